"""Stakeholder defaults from participation, the coordinator's override (who, when), and the
analysis in the synthesis' data."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.core.testing import PASSWORD
from apps.forum import stakeholders, synthesis
from apps.forum.models import StakeholderPosition
from apps.people.models import Membership, Organisation, Person

pytestmark = pytest.mark.django_db


def _member(world, organisation, name, role="member"):
    person = Person.objects.create(full_name_th=name, city=world.city, organisation=organisation)
    Membership.objects.create(group=world.city.working_group, person=person, role=role,
                              start=dt.date(2010, 1, 1))


def test_defaults_from_participation_and_override(client, world):
    ngo = Organisation.objects.create(name_th="มูลนิธิรักษ์น้ำ", kind="ngo", city=world.city)
    quiet = Organisation.objects.create(name_th="ชมรมเงียบ", kind="ngo", city=world.city)
    Organisation.objects.create(name_th="องค์กรเครือข่ายบี", kind="ngo", city=world.far_city)
    _member(world, ngo, "ก", role="chair")
    _member(world, ngo, "ข")
    people = {s.organisation.name_th: s for s in stakeholders.analyse(world.network)}
    assert "องค์กรเครือข่ายบี" not in people
    assert people["มูลนิธิรักษ์น้ำ"].interest == 5 and people["มูลนิธิรักษ์น้ำ"].influence == 5
    assert people["ชมรมเงียบ"].interest == 1 and people["ชมรมเงียบ"].influence == 1
    # the world's municipality: one member (half the top interest); a government body
    # weighs as much as chairing the working group
    assert people["เทศบาลเมืองเอหนึ่ง"].interest == 3
    assert people["เทศบาลเมืองเอหนึ่ง"].influence == 5

    url = reverse("forum:stakeholders", args=[world.network.slug])
    assert client.login(username="coordinator", password=PASSWORD)
    assert client.get(url).status_code == 404
    assert client.login(username="national", password=PASSWORD)
    page = client.get(url)
    assert page.status_code == 200 and b'id="stakeholder-data"' in page.content
    response = client.post(url, {"organisation": quiet.pk, "influence": "4", "interest": "",
                                 "role_th": "เฝ้าระวังคุณภาพน้ำ"})
    assert response.status_code == 302
    position = StakeholderPosition.objects.get(organisation=quiet)
    assert position.changed_by == world.user("national") and position.changed_at
    people = {s.organisation.name_th: s for s in stakeholders.analyse(world.network)}
    assert people["ชมรมเงียบ"].influence == 4 and people["ชมรมเงียบ"].interest == 1
    assert people["ชมรมเงียบ"].overridden
    # out of range, or another network's organisation: nothing saved
    bad = client.post(url, {"organisation": quiet.pk, "influence": "9"},
                      HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 200 and b"Influence (1-5)" in bad.content
    far = Organisation.objects.get(name_th="องค์กรเครือข่ายบี")
    client.post(url, {"organisation": far.pk, "influence": "3"})
    assert StakeholderPosition.objects.count() == 1
    assert StakeholderPosition.objects.get().influence == 4

    content = synthesis.collect(world.network)
    rows = dict((t, r) for t, _h, r in synthesis.tables(content))
    assert any(r[0] == "ชมรมเงียบ" and r[2] == 4 and r[4] == "เฝ้าระวังคุณภาพน้ำ"
               for r in next(v for k, v in rows.items() if "takeholder" in str(k)
                             or "ผู้มีส่วน" in str(k)))
    assert "<svg" in content.stakeholder_svg and "ชมรมเงียบ" in content.stakeholder_svg
