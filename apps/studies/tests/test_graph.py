"""The rules of the impact graph: direction, duplicates, self-links, loops, links of the wrong
kind, complete chains and gaps; and the layout's determinism and crossings."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from apps.assessments.models import Assessment, RiskArea, ScopeGroup
from apps.dialogues.models import Hazard
from apps.studies import graph
from apps.studies.models import ImpactLink, ImpactNode
from apps.studies.svg import layout, render, wrap
from apps.studies.tests.conftest import link, node

pytestmark = pytest.mark.django_db


def messages(error):
    return " ".join(error.value.messages)


def test_links_only_run_forward(assessment):
    hazard = node(assessment, "hazard", "น้ำท่วม")
    impact = node(assessment, "impact", "ระบายน้ำไม่ทัน")
    consequence = node(assessment, "consequence", "ถนนปิด")
    affected = node(assessment, "affected", "ผู้สูงอายุ")
    link(hazard, impact)
    link(impact, consequence)
    link(consequence, affected)
    for a, b in [(impact, hazard), (hazard, consequence), (hazard, affected),
                 (affected, consequence), (consequence, impact), (impact, affected)]:
        with translation.override("en"), pytest.raises(ValidationError) as error:
            link(a, b)
        # The message names both nodes and their kinds.
        assert a.text_th in messages(error) and b.text_th in messages(error)
        assert "cannot lead to" in messages(error)
    assert ImpactLink.objects.count() == 3


def test_same_kind_links_only_between_impacts(assessment):
    a, b = node(assessment, "hazard", "ฝนหนัก"), node(assessment, "hazard", "ดินถล่ม")
    with pytest.raises(ValidationError):
        link(a, b)
    c, d = node(assessment, "consequence", "ก"), node(assessment, "consequence", "ข")
    with pytest.raises(ValidationError):
        link(c, d)
    e, f = node(assessment, "impact", "ท่อล้น"), node(assessment, "impact", "ถนนปิด")
    assert link(e, f).pk  # a cascade between urban systems


def test_no_self_link_no_duplicate(assessment):
    impact = node(assessment, "impact", "ท่อล้น")
    hazard = node(assessment, "hazard", "น้ำท่วม")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        link(impact, impact)
    assert "ท่อล้น" in messages(error) and "itself" in messages(error)
    link(hazard, impact)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        link(hazard, impact)
    assert "already leads to" in messages(error)
    # The database refuses them too, whatever code path writes.
    with transaction.atomic(), pytest.raises(IntegrityError):
        ImpactLink.objects.create(from_node=hazard, to_node=impact)
    with transaction.atomic(), pytest.raises(IntegrityError):
        ImpactLink.objects.create(from_node=impact, to_node=impact)


def test_loops_are_refused_naming_the_loop(assessment):
    a = node(assessment, "impact", "ท่อล้น")
    b = node(assessment, "impact", "ถนนปิด")
    c = node(assessment, "impact", "ไฟดับ")
    link(a, b)
    link(b, c)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        link(c, a)
    text = messages(error)
    assert "loop" in text and "ท่อล้น → ถนนปิด → ไฟดับ → ท่อล้น" in text
    assert ImpactLink.objects.count() == 2


def test_nodes_across_assessments_cannot_be_linked(world, assessment):
    other = Assessment.objects.create(city=world.other_city)
    with pytest.raises(ValidationError):
        link(node(assessment, "hazard", "น้ำท่วม"), node(other, "impact", "ท่อล้น"))


def test_a_node_cannot_carry_the_link_of_another_kind(world, assessment):
    group = ScopeGroup.objects.create(assessment=assessment, name_th="ผู้สูงอายุ")
    area = RiskArea.objects.create(assessment=assessment, name_th="ริมน้ำ", hazard="flood",
                                   geometry={"type": "Polygon", "coordinates": []})
    wrong = [("impact", {"hazard": "flood"}, "hazard"), ("hazard", {"system": "drainage"}, "system"),
             ("consequence", {"group": group}, "group"), ("impact", {"area": area}, "area")]
    for kind, values, field in wrong:
        with pytest.raises(ValidationError) as error:
            node(assessment, kind, "ข้อความ", **values)
        assert field in error.value.message_dict
        with transaction.atomic(), pytest.raises(IntegrityError):  # and the database says so
            ImpactNode.objects.create(assessment=assessment, kind=kind, text_th="x", **values)
    # A group of another city's assessment is refused too.
    foreign = ScopeGroup.objects.create(
        assessment=Assessment.objects.create(city=world.far_city), name_th="อื่น")
    with pytest.raises(ValidationError) as error:
        node(assessment, "affected", "", group=foreign)
    assert "group" in error.value.message_dict


def test_an_empty_text_takes_the_linked_name(assessment):
    made = node(assessment, "hazard", "", hazard="haze")
    with translation.override("th"):
        assert made.text_th == str(Hazard.HAZE.label)
    assert made.text_en == "Haze"
    with pytest.raises(ValidationError) as error:
        node(assessment, "consequence", "")
    assert "text_th" in error.value.message_dict


def test_complete_chains_and_gaps(assessment, chain):
    built = ImpactNode.objects.graph(assessment)
    texts = [[n.text_th for n in c] for c in built.chains]
    assert texts == [
        ["น้ำท่วม", "ระบายน้ำไม่ทัน", "ถนนถูกตัดขาด", "ไปโรงพยาบาลไม่ได้", "ชุมชนริมน้ำ"],
        ["น้ำท่วม", "น้ำประปาปนเปื้อน", "ท้องร่วงระบาด", "ชุมชนริมน้ำ"],
    ]
    assert built.gaps == []
    # Dangling nodes: a hazard leading nowhere, an impact with no consequence, an orphan.
    lonely = node(assessment, "hazard", "ดินถล่ม")
    stuck = node(assessment, "impact", "ไฟฟ้าดับ")
    link(chain["flood"], stuck)
    orphan = node(assessment, "affected", "ผู้ค้ารายย่อย")
    with translation.override("en"):
        built = ImpactNode.objects.graph(assessment)
        gaps = {n.pk: [str(m) for m in n.gap_messages] for n in built.gaps}
    assert set(gaps) == {lonely.pk, stuck.pk, orphan.pk}
    assert gaps[lonely.pk] == ["This hazard leads nowhere yet."]
    assert gaps[stuck.pk] == ["This impact has no consequence for anyone yet."]
    assert gaps[orphan.pk] == ["Nothing leads to this group or area yet."]
    assert built.chain_count == 2
    assert [len(c) for c in built.chains_through([chain["water"].pk])] == [4]


def test_chain_listing_is_capped():
    kinds = {0: "hazard", **{i: "impact" for i in range(1, 21)}, 21: "consequence",
             22: "affected"}
    links = [(0, i) for i in range(1, 21)] + [(i, j) for i in range(1, 21)
                                               for j in range(i + 1, 21)]
    links += [(i, 21) for i in range(1, 21)] + [(21, 22)]
    chains, truncated = graph.complete_chains(kinds, links, limit=50)
    assert len(chains) == 50 and truncated


def test_layout_is_deterministic_and_untangles(assessment):
    hazards = [node(assessment, "hazard", f"ภัย {i}") for i in range(3)]
    impacts = [node(assessment, "impact", f"ผลกระทบ {i}") for i in range(3)]
    # Crossed on purpose: hazard i -> impact 2-i.
    for i in range(3):
        link(hazards[i], impacts[2 - i])
    built = ImpactNode.objects.graph(assessment)
    kinds = {n.pk: n.kind for n in built.nodes}
    pairs = [(x.from_node_id, x.to_node_id) for x in built.links]
    start = graph.columns(kinds, {n.pk: n.order for n in built.nodes}, pairs)
    assert graph.crossings(start, pairs) == 3
    ordered, count = graph.order_layers(start, pairs)
    assert count == 0
    first = layout(built.nodes, built.links)
    again = layout(built.nodes, built.links)
    assert first == again


def test_cascades_get_their_own_column(assessment, chain):
    built = ImpactNode.objects.graph(assessment)
    _pos, layers, _size, _count = layout(built.nodes, built.links)
    # hazard | impacts | cascaded impacts | consequences | affected
    assert len(layers) == 5
    assert chain["roads"].pk in layers[2] and chain["drainage"].pk in layers[1]


def test_svg_has_curves_arrowheads_and_wrapped_thai(assessment, chain):
    long = node(assessment, "consequence", "ผู้ป่วยโรคทางเดินหายใจล้นโรงพยาบาลประจำจังหวัดเชียงราย")
    link(chain["water"], long)
    markup = render(ImpactNode.objects.graph(assessment))
    assert markup.count("marker-end=") == 8
    assert " C" in markup and "<foreignObject" not in markup
    lines = wrap(long.text_th, 18)
    assert len(lines) > 1 and "".join(lines) == long.text_th
    assert all(sum(1 for ch in line if ch not in "ัิีึืุู่้๊๋็์") <= 18 for line in lines)


def test_wrap_keeps_marks_and_leading_vowels():
    # A leading vowel stays with the letter after it: "เมือง" is not cut after "เ".
    assert wrap("ในเมือง", 3) == ["ใน", "เมือ", "ง"]
    # A tone or vowel mark never starts a line, and takes no width.
    lines = wrap("น้ำท่วมน้ำท่วมน้ำท่วม", 4)
    assert "".join(lines) == "น้ำท่วมน้ำท่วมน้ำท่วม"
    assert all(line[0] not in "่้๊๋ัิีึืุู็์" for line in lines)
    # Latin text breaks at spaces.
    assert wrap("flood water in the streets", 10) == ["flood", "water in", "the", "streets"]
