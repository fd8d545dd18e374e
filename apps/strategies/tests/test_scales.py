"""The network's prioritisation scales page: its national coordinator adds, renames, reweights
and takes items out of use; weights must be positive and one item stays in use; nobody else
gets in; every city's ranking follows."""
import pytest
from django.urls import reverse

from apps.strategies.models import (
    FeasibilityCriterion, Intervention, ResilienceCharacteristic, Scoring,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _url(world):
    return reverse("strategies:scales", args=[world.network.slug])


def _save(client, world, kind, code, **fields):
    prefix = f"{kind}-{code or 'new'}"
    data = {"kind": kind, "code": code}
    data.update({f"{prefix}-{k}": v for k, v in fields.items() if v is not None})
    return client.post(_url(world), data, **EN)


def _ranked(client, strategy):
    page = client.get(reverse("strategies:ranking", args=[strategy.city.slug]))
    return [i.title_th for i in page.context["ranked"]]


def test_only_the_networks_national_coordinator(client, world):
    url = _url(world)
    assert client.get(url).status_code == 302  # to log in
    for role in ("coordinator", "member", "stranger", "funder"):
        client.force_login(world.user(role))
        assert client.get(url).status_code == 403, role
        assert _save(client, world, "characteristic", "", name_th="x",
                     weight="1", active="on").status_code == 403, role
    assert not ResilienceCharacteristic.objects.exists()
    client.force_login(world.user("national"))
    page = client.get(url, **EN)
    assert page.status_code == 200
    assert "Flexibility and diversity" in page.content.decode()  # the defaults until changed


def test_add_rename_reweight_deactivate_with_validation(client, world):
    client.force_login(world.user("national"))
    response = _save(client, world, "characteristic", "", name_th="การเรียนรู้",
                     name_en="Learning", weight="2", active="on")
    assert response.status_code == 302
    # The defaults became the network's own, plus the new item.
    rows = {r.code: r for r in ResilienceCharacteristic.objects.filter(network=world.network)}
    assert len(rows) == 7 and rows["learning"].weight == 2 and rows["learning"].name_en == \
        "Learning"
    assert not ResilienceCharacteristic.objects.exclude(network=world.network).exists()

    refused = _save(client, world, "characteristic", "redundancy", name_th="สำรอง",
                    weight="0", active="on")
    assert refused.status_code == 400
    assert "greater than or equal to 0.01" in refused.content.decode()
    assert _save(client, world, "characteristic", "redundancy", name_th="ระบบสำรอง",
                 name_en="Back-up systems", weight="3", active="on").status_code == 302
    redundancy = ResilienceCharacteristic.objects.get(network=world.network, code="redundancy")
    assert (redundancy.name_th, redundancy.name_en, redundancy.weight) == \
        ("ระบบสำรอง", "Back-up systems", 3)
    assert _save(client, world, "characteristic", "learning", name_th="การเรียนรู้",
                 weight="2").status_code == 302  # unticked: out of use
    assert "learning" not in {c.code for c in Scoring.for_network(world.network).characteristics}

    # Criteria: two taken out of use, the last one refused.
    for code in ("technical", "financial"):
        assert _save(client, world, "criterion", code, name_th=code,
                     weight="1").status_code == 302
    last = _save(client, world, "criterion", "political_social", name_th="การเมือง", weight="1")
    assert last.status_code == 400 and "Keep at least one item in use" in \
        last.content.decode()
    assert [c.code for c in Scoring.for_network(world.network).criteria] == \
        ["political_social"]
    assert FeasibilityCriterion.objects.get(code="political_social").active


def test_ranking_follows_the_scales(client, world, strategy):
    common = {"strategy": strategy, "feasibility": {"technical": 3}}
    Intervention.objects.create(title_th="ก ยืดหยุ่น", characteristics=["flexibility"], **common)
    Intervention.objects.create(title_th="ข สำรอง", characteristics=["redundancy"], **common)
    client.force_login(world.user("national"))
    assert _ranked(client, strategy) == ["ก ยืดหยุ่น", "ข สำรอง"]  # a tie: in order
    ranking = client.get(reverse("strategies:ranking", args=[strategy.city.slug]))
    assert _url(world) in ranking.content.decode()  # the coordinator is sent to the scales
    _save(client, world, "characteristic", "redundancy", name_th="สำรอง", weight="5",
          active="on")
    assert _ranked(client, strategy) == ["ข สำรอง", "ก ยืดหยุ่น"]
    _save(client, world, "characteristic", "redundancy", name_th="สำรอง", weight="5")
    assert _ranked(client, strategy) == ["ก ยืดหยุ่น", "ข สำรอง"]
    # Editing the intervention keeps the code of the item out of use.
    b = Intervention.objects.get(title_th="ข สำรอง")
    client.force_login(world.user("coordinator"))
    response = client.post(reverse("strategies:intervention-edit",
                                   args=[strategy.city.slug, b.pk]),
                           {"title_th": "ข สำรอง", "characteristics": ["information"],
                            "feas_technical": "3"})
    assert response.status_code == 302
    b.refresh_from_db()
    assert sorted(b.characteristics) == ["information", "redundancy"]
