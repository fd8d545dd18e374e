"""The evaluators' pages: declare, score, submit, correct; the managers' progress matrix.

The world: a closed call of city A1 with two criteria (1-5), two eligible proposals, and two
evaluators: `expert` (of the organisation that wrote the second proposal) and `judge2`.
"""
import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts.models import Role
from apps.core.testing import PASSWORD, make_world
from apps.proposals.models import CallChange, Conflict, Evaluator, Score
from apps.proposals.testing import (
    make_call, make_evaluator, make_organisation, make_proposal, make_user, score_all,
)

SECRET = "ความเห็นลับของกรรมการอีกท่าน"


@pytest.fixture
def w(db):
    world = make_world()
    city = world.city
    call = make_call(city, open=False)
    org_a = make_organisation(city, "มูลนิธิคลองสวย")
    org_b = make_organisation(city, "สมาคมสวนซับน้ำ")
    canal = make_proposal(call, make_user("prop1", city, organisation=org_a), org_a,
                          title="โครงการคลองสะอาด")
    garden = make_proposal(call, make_user("prop2", city, organisation=org_b), org_b,
                           title="โครงการสวนซับน้ำ")
    expert = make_evaluator(call, world.user("expert"), organisation=org_b)
    judge = make_evaluator(call, make_user("judge2", city, role=Role.EXPERT))
    c1, c2 = call.criteria.all()
    return SimpleNamespace(world=world, call=call, canal=canal, garden=garden, expert=expert,
                           judge=judge, c1=c1, c2=c2)


def login(client, username):
    assert client.login(username=username, password=PASSWORD)


def url(name, pk):
    return reverse(f"proposals:{name}", args=[pk])


def page(response):
    return response.content.decode()


def declare(client, w, **answers):
    data = {f"conflict_{w.canal.pk}": "no", f"note_{w.canal.pk}": ""}
    data.update(answers)
    return client.post(url("declare", w.call.pk), data)


def score_data(w, v1, v2, comment1="", comment2=""):
    return {f"value_{w.c1.pk}": v1, f"comment_{w.c1.pk}": comment1,
            f"value_{w.c2.pk}": v2, f"comment_{w.c2.pk}": comment2}


# -- the path -----------------------------------------------------------------------------------
def test_declare_then_score_then_submit(client, w):
    login(client, "expert")
    home = client.get(url("evaluate", w.call.pk))
    assert home.status_code == 200
    text = page(home)
    assert "โครงการคลองสะอาด" in text and "มูลนิธิคลองสวย" in text
    assert "โครงการสวนซับน้ำ" in text and f'name="conflict_{w.canal.pk}"' in text
    # The own organisation's proposal has no choice: it is a conflict.
    assert "badge blocked" in text

    # Submitting before declaring is refused with the model's message.
    refused = client.post(url("submit-scores", w.call.pk))
    assert refused.status_code == 200
    w.expert.refresh_from_db()
    assert w.expert.submitted_at is None

    response = declare(client, w)
    assert response.status_code == 302
    w.expert.refresh_from_db()
    assert w.expert.declared_at is not None
    assert Conflict.objects.get(evaluator=w.expert, proposal=w.garden).conflicted
    assert not Conflict.objects.get(evaluator=w.expert, proposal=w.canal).conflicted

    home = page(client.get(url("evaluate", w.call.pk)))
    assert url("score", w.canal.pk) in home
    assert url("score", w.garden.pk) not in home
    assert url("submit-scores", w.call.pk) in home

    # Submitting with scores missing lists them and saves nothing.
    refused = page(client.post(url("submit-scores", w.call.pk)))
    assert "เกณฑ์ 1" in refused and "โครงการคลองสะอาด" in refused
    w.expert.refresh_from_db()
    assert w.expert.submitted_at is None

    sheet = client.get(url("score", w.canal.pk))
    assert sheet.status_code == 200
    text = page(sheet)
    assert "น้ำท่วมขังในชุมชน" in text  # the problem, from the dossier
    assert "200,000" in text and "500,000" in text  # budget against the ceiling
    assert url("proposal", w.canal.pk) in text
    assert f'name="value_{w.c1.pk}"' in text and 'type="radio"' in text

    # A draft of one criterion, then both.
    assert client.post(url("score", w.canal.pk), {f"value_{w.c1.pk}": "3"}).status_code == 302
    assert "st-in_progress" in page(client.get(url("evaluate", w.call.pk)))
    response = client.post(url("score", w.canal.pk), score_data(w, "4", "5", "ดี"))
    assert response.status_code == 302
    values = Score.objects.filter(evaluator=w.expert).values_list("value", flat=True)
    assert sorted(values) == [4, 5]

    response = client.post(url("submit-scores", w.call.pk))
    assert response.status_code == 302
    w.expert.refresh_from_db()
    assert w.expert.submitted_at is not None
    home = page(client.get(url("evaluate", w.call.pk)))
    assert url("ranking", w.call.pk) in home
    assert url("correct-score", Score.objects.filter(evaluator=w.expert).first().pk) in home
    assert CallChange.objects.filter(action=CallChange.Action.SUBMIT_SCORES).count() == 1


def test_only_the_call_evaluators_reach_the_pages(client, w):
    login(client, "coordinator")
    assert client.get(url("evaluate", w.call.pk)).status_code == 403
    assert client.get(url("score", w.canal.pk)).status_code == 403  # reads it, does not score
    login(client, "proponent")
    assert client.get(url("evaluate", w.call.pk)).status_code == 403
    assert client.get(url("score", w.canal.pk)).status_code == 404
    client.logout()
    assert client.get(url("evaluate", w.call.pk)).status_code == 302


def test_own_organisation_is_an_automatic_conflict_and_its_sheet_refuses(client, w):
    login(client, "expert")
    before = page(client.get(url("score", w.garden.pk)))  # not declared yet: refused
    assert 'name="value_' not in before
    # Answering "no conflict" for one's own organisation's proposal changes nothing.
    declare(client, w, **{f"conflict_{w.garden.pk}": "no"})
    conflict = Conflict.objects.get(evaluator=w.expert, proposal=w.garden)
    assert conflict.conflicted and conflict.note
    assert client.get(url("score", w.garden.pk)).status_code == 404
    assert client.post(url("score", w.garden.pk), score_data(w, "5", "5")).status_code == 404
    assert not Score.objects.filter(proposal=w.garden).exists()
    home = page(client.get(url("evaluate", w.call.pk)))
    assert "badge blocked" in home


def test_declaring_needs_an_answer_for_every_proposal(client, w):
    login(client, "expert")
    response = client.post(url("declare", w.call.pk), {})
    assert response.status_code == 200
    assert "โครงการคลองสะอาด" in page(response)  # named in the message
    w.expert.refresh_from_db()
    assert w.expert.declared_at is None and not Conflict.objects.exists()


def test_a_score_outside_the_scale_names_the_criterion_and_saves_nothing(client, w):
    login(client, "expert")
    declare(client, w)
    client.post("/i18n/setlang/", {"language": "en"})
    response = client.post(url("score", w.canal.pk), score_data(w, "4", "9"))
    assert response.status_code == 200
    text = page(response)
    assert "The score for “Criterion 2” must be between 1 and 5." in text
    assert not Score.objects.exists()
    response = client.post(url("score", w.canal.pk), score_data(w, "abc", "3"))
    assert "Criterion 1" in page(response)
    assert not Score.objects.exists()


def test_scoring_after_submitting_is_refused(client, w):
    score_all(w.expert, {w.canal.pk: 3})
    login(client, "expert")
    before = list(Score.objects.values_list("pk", "value"))
    response = client.post(url("score", w.canal.pk), score_data(w, "5", "5"))
    assert response.status_code == 200
    assert 'name="value_' not in page(response)
    assert list(Score.objects.values_list("pk", "value")) == before
    assert client.post(url("declare", w.call.pk), {f"conflict_{w.canal.pk}": "yes"}).status_code \
        == 200
    assert not Conflict.objects.get(evaluator=w.expert, proposal=w.canal).conflicted


def test_an_evaluator_does_not_see_others_scores_before_submitting(client, w):
    w.judge.declare({w.canal.pk: (False, ""), w.garden.pk: (False, "")})
    for proposal in (w.canal, w.garden):
        w.judge.score(proposal, {w.c1.pk: (2, SECRET), w.c2.pk: (1, SECRET)})
    w.judge.submit()
    login(client, "expert")
    declare(client, w)
    client.post(url("score", w.canal.pk), score_data(w, "4", "4", "ของฉันเอง"))
    reachable = [url("evaluate", w.call.pk), url("score", w.canal.pk),
                 url("proposal", w.canal.pk), url("ranking", w.call.pk),
                 url("call", w.call.pk), url("progress", w.call.pk)]
    for address in reachable:
        response = client.get(address)
        assert SECRET not in page(response), address
    assert client.get(url("ranking", w.call.pk)).status_code in (403, 404)
    assert "ของฉันเอง" in page(client.get(url("score", w.canal.pk)))
    # The coordinator's progress page shows counts, not the comments or values.
    login(client, "coordinator")
    progress = page(client.get(url("progress", w.call.pk)))
    assert SECRET not in progress and "judge2" in progress


def test_the_correction_appears_and_the_original_remains(client, w):
    score_all(w.expert, {w.canal.pk: 3})
    original = Score.objects.get(evaluator=w.expert, criterion=w.c1)
    login(client, "expert")
    client.post("/i18n/setlang/", {"language": "en"})
    # Without a reason: the model's message, nothing saved.
    response = client.post(url("correct-score", original.pk), {"value": "5", "reason": ""})
    assert response.status_code == 200
    assert "Say why the score is corrected." in page(response)
    assert Score.objects.count() == 2

    response = client.post(url("correct-score", original.pk),
                           {"value": "5", "comment": "อ่านงบประมาณผิด", "reason": "อ่านผิดหน้า"})
    assert response.status_code == 302
    original.refresh_from_db()
    assert original.value == 3 and hasattr(original, "correction")
    assert original.correction.value == 5
    home = page(client.get(url("evaluate", w.call.pk)))
    assert "อ่านผิดหน้า" in home and "Was 3" in home
    assert url("correct-score", original.correction.pk) in home
    assert url("correct-score", original.pk) not in home
    # The original cannot be corrected twice.
    again = client.post(url("correct-score", original.pk), {"value": "4", "reason": "อีกครั้ง"})
    assert again.status_code == 200 and Score.objects.count() == 3


def test_only_its_evaluator_corrects_a_score(client, w):
    score_all(w.expert, {w.canal.pk: 3})
    score = Score.objects.filter(evaluator=w.expert).first()
    for username in ("coordinator", "judge2", "national"):
        login(client, username)
        response = client.post(url("correct-score", score.pk), {"value": "1", "reason": "x"})
        assert response.status_code == 404, username
    assert Score.objects.count() == 2


# -- the managers' progress ---------------------------------------------------------------------
def populate(city, evaluators, proposals, prefix):
    """A closed call with `evaluators` x `proposals`, some declared, scored, conflicted."""
    call = make_call(city, open=False)
    criteria = list(call.criteria.all())
    organisation = make_organisation(city, f"องค์กร {prefix}")
    proponent = make_user(f"{prefix}-proponent", city)
    items = [make_proposal(call, proponent, organisation, title=f"โครงการ {prefix} {i}")
             for i in range(proposals)]
    User = get_user_model()
    users = User.objects.bulk_create(User(username=f"{prefix}-judge-{i}")
                                     for i in range(evaluators))
    now = timezone.now()
    rows = Evaluator.objects.bulk_create(
        Evaluator(call=call, user=u, declared_at=now if i % 3 else None,
                  submitted_at=now if i % 3 == 2 else None) for i, u in enumerate(users))
    conflicts, scores = [], []
    for i, evaluator in enumerate(rows):
        if not evaluator.declared_at:
            continue
        for j, proposal in enumerate(items):
            conflicted = (i + j) % 7 == 0
            conflicts.append(Conflict(evaluator=evaluator, proposal=proposal,
                                      conflicted=conflicted))
            if not conflicted:
                for criterion in criteria[: 1 + (i + j) % 2]:
                    scores.append(Score(evaluator=evaluator, proposal=proposal,
                                        criterion=criterion, value=3))
    Conflict.objects.bulk_create(conflicts)
    Score.objects.bulk_create(scores)
    return call


def test_progress_page_query_count_stays_flat(client, w):
    small = populate(w.world.city, 3, 3, "s")
    large = populate(w.world.city, 30, 20, "l")
    login(client, "coordinator")
    counts = []
    for call in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("progress", call.pk))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    text = page(response)
    assert "l-judge-29" in text and "โครงการ l 19" in text
    assert "×" in text  # conflicts marked


def test_progress_is_for_the_call_managers(client, w):
    for username, status in (("coordinator", 200), ("national", 200), ("expert", 403),
                             ("outsider", 403), ("proponent", 403)):
        login(client, username)
        assert client.get(url("progress", w.call.pk)).status_code == status, username


def test_progress_counts_criteria_not_values(client, w):
    score_all(w.expert, {w.canal.pk: 3})
    login(client, "coordinator")
    client.post("/i18n/setlang/", {"language": "en"})
    text = page(client.get(url("progress", w.call.pk)))
    assert "1 / 1" in text  # expert: the one proposal to score, complete
    assert 'class="cell st-done"' in text and 'class="cell st-skipped"' in text


# -- languages --------------------------------------------------------------------------------
def test_pages_in_thai_by_default_and_in_english(client, w):
    login(client, "expert")
    thai = page(client.get(url("evaluate", w.call.pk)))
    assert '<html lang="th">' in thai and "เปิดรับข้อเสนอโครงการนำร่อง" in thai
    client.post("/i18n/setlang/", {"language": "en"})
    english = client.get(url("evaluate", w.call.pk))
    text = page(english)
    assert '<html lang="en">' in text and "Call for pilot projects" in text
    assert "Declare your conflicts of interest" in text
    declare(client, w)
    assert "Criterion 1" in page(client.get(url("score", w.canal.pk)))


ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted((ROOT / "templates" / "proposals" / "evaluation").glob("*.html"))
SOURCES = [ROOT / "apps" / "proposals" / "views" / "evaluation.py",
           ROOT / "apps" / "proposals" / "forms_evaluation.py"]


def template_msgids(text):
    """Messages of a template: strings, and (singular, plural) pairs."""
    found = set(re.findall(r'{% translate "([^"]+)"', text))
    found |= set(re.findall(r"{% translate '([^']+)'", text))
    for body in re.findall(r"{% blocktranslate[^%]*%}(.*?){% endblocktranslate %}", text, re.S):
        parts = tuple(re.sub(r"{{ (\w+) }}", r"%(\1)s", part)
                      for part in body.split("{% plural %}"))
        found.add(parts if len(parts) == 2 else parts[0])
    return found


def source_msgids(path):
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "gettext") \
                and node.args and isinstance(node.args[0], ast.Constant):
            found.add(node.args[0].value)
    return found


def test_every_string_of_these_pages_has_its_thai():
    msgids = set()
    for template in TEMPLATES:
        msgids |= template_msgids(template.read_text(encoding="utf-8"))
    for source in SOURCES:
        msgids |= source_msgids(source)
    assert len(msgids) > 50
    missing = []
    with translation.override("th"):
        for message in sorted(msgids, key=str):
            if isinstance(message, tuple):  # the catalogue keeps plurals apart
                msgid = message[0]
                thai = translation.ngettext(*message, 1)
            else:
                msgid = message
                thai = translation.gettext(msgid)
            if thai == msgid or not re.search(r"[\u0E00-\u0E7F]", thai):
                missing.append(msgid)
            elif sorted(re.findall(r"%\(\w+\)s", thai)) != sorted(re.findall(r"%\(\w+\)s", msgid)):
                missing.append(f"placeholders: {msgid}")
    assert not missing, "\n".join(missing)


def test_another_evaluators_conflict_does_not_hide_the_proposal(client, w):
    # judge2 works for the organisation of the canal proposal: conflicted on it.
    Evaluator.objects.filter(pk=w.judge.pk).update(organisation=w.canal.organisation)
    w.judge.refresh_from_db()
    w.judge.declare({w.canal.pk: (False, ""), w.garden.pk: (False, "")})
    assert Conflict.objects.get(evaluator=w.judge, proposal=w.canal).conflicted
    login(client, "expert")
    declare(client, w)
    assert list(w.expert.to_score()) == [w.canal]
    assert client.get(url("score", w.canal.pk)).status_code == 200
    assert client.post(url("score", w.canal.pk), score_data(w, "4", "4")).status_code == 302
    assert client.post(url("submit-scores", w.call.pk)).status_code == 302
    # And judge2 still has the garden proposal to score before submitting.
    assert [p for p, _c in w.judge.missing_scores()] == [w.garden, w.garden]
