"""The dialogue, vote and city pages and the API keep a flat number of queries as records,
ballots, voters and risk areas grow."""
import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.testing import PASSWORD
from apps.dialogues.models import (
    FollowUpAction, Indicator, ItemKind, Nomination, Risk, RiskArea, VulnerableGroup,
)
from apps.dialogues.tests.conftest import add_items, make_member
from apps.dialogues.tests.test_rules import SQUARE
from apps.dialogues.votes import Vote
from apps.people.models import Organisation, Person

pytestmark = pytest.mark.django_db
_names = itertools.count()


def grow(world, dialogue, size):
    """`size` more of everything: records, areas, actions (overdue ones included), voters and
    their ballots on the first vote, and a further closed vote."""
    today = timezone.localdate()
    for kind in ItemKind:
        add_items(dialogue, kind, *[f"{kind} {n}" for n in range(size)])
    organisation = Organisation.objects.create(name_th=f"องค์กร {next(_names)}", kind="ngo",
                                               city=world.city)
    for n in range(size):
        Risk.objects.create(dialogue=dialogue, hazard="flood", description_th=f"เสี่ยง {n}")
        VulnerableGroup.objects.create(dialogue=dialogue, name_th=f"กลุ่ม {n}")
        RiskArea.objects.create(dialogue=dialogue, name_th=f"พื้นที่ {n}", hazard="haze",
                                geometry=SQUARE)
        Nomination.objects.create(dialogue=dialogue, organisation=organisation)
        Indicator.objects.create(dialogue=dialogue, criterion_th="เกณฑ์", name_th=f"ตัวชี้วัด {n}")
        owner = Person.objects.create(full_name_th=f"เจ้าของ {next(_names)}", city=world.city,
                                      organisation=organisation)
        FollowUpAction.objects.create(dialogue=dialogue, text_th=f"ทำ {n}", owner=owner,
                                      due=today - dt.timedelta(days=n - size // 2))
    needs = list(dialogue.items.filter(kind=ItemKind.NEED)[:4])
    first = Vote.objects.filter(dialogue=dialogue).order_by("pk").first()
    closed = Vote.objects.open(dialogue, None, title_th=f"โหวต {next(_names)}", sources=needs,
                               method="dots", dots=3)
    for _n in range(size):
        voter = make_member(world, f"voter{next(_names)}")
        first.cast(voter, None, {1: 1, 2: 2})
        closed.cast(voter, None, {1: 2, 2: 1})
    closed.close(None)


@pytest.fixture
def grown(world, dialogue):
    needs = add_items(dialogue, ItemKind.NEED, "ก", "ข", "ค")
    vote = Vote.objects.open(dialogue, None, title_th="จัดลำดับ", sources=needs)
    world.city.boundary = {"type": "Polygon", "coordinates": [[[99.9, 12.9], [100.1, 12.9],
                                                               [100.1, 13.1], [99.9, 12.9]]]}
    world.city.save()
    return lambda size: grow(world, dialogue, size), vote


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = ["/c/a1/sld/1/", "/c/a1/", "/api/dialogues", "/api/dialogues?city=a1"]


# Anonymous visitors: every page but the vote page, which asks them to log in.
CASES = [(url, persona) for url in PAGES + ["vote", "api-detail"]
         for persona in ("coordinator", "member", None) if (url, persona) != ("vote", None)]


@pytest.mark.parametrize("url,persona", CASES)
def test_query_counts_stay_flat(client, world, dialogue, grown, persona, url):
    more, vote = grown
    if persona:
        client.login(username=persona, password=PASSWORD)
    else:
        dialogue.set_published(None, True)
    if url == "vote":
        url = f"/c/a1/sld/1/votes/{vote.pk}/"
    elif url == "api-detail":
        url = f"/api/dialogues/{dialogue.pk}"
    more(2)
    small = count(client, url)
    more(8)
    large = count(client, url)
    assert large == small, f"{url}: {small} queries with few rows, {large} with many"


def test_the_city_panel_takes_six_queries(rf, world, dialogue, grown, django_assert_num_queries):
    from apps.dialogues.panels import city_panel
    from apps.networks.models import City

    more, _vote = grown
    more(5)
    request = rf.get("/c/a1/")
    request.user = world.user("coordinator")
    city = City.objects.select_related("network").get(pk=world.city.pk)
    with django_assert_num_queries(7):  # six, plus the user's roles (once per request)
        panel = city_panel(request, city)
    assert panel["overdue"] and panel["map"]["areas"]
    assert [len(row["outcomes"]) for row in panel["rows"]] == [1]
