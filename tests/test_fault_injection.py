"""A request that fails midway leaves no half-written data (issue 9).

Each test lets a multi-step write begin, makes one step in the middle raise (a crash, a lost
database connection), and checks that every table is exactly as before (a fingerprint of all
rows of every model) and that the user got an error page rather than a success. The steps are
patched where the code looks them up, so the earlier steps have really written by the time
the fault comes.

Faults injected (FAULTS counts them for the closing note of issue 9):
  proposals decide ......... 2   (pilot creation; the call's audit row)
  proposals shortlist ...... 2   (the shortlist entries; the call's audit row)
  events registration ...... 3   (registration row after the position counter; waitlist
                                  promotion on cancel; waitlist promotion on a capacity edit)
  assessments .............. 2   (start: scope copy after the assessment row; risk re-rating:
                                  audit row after the rating)
  studies versioning ....... 1   (next round: attachments copy after the round and links)
  people erasure ........... 2   (account disabling after the person is anonymised; the
                                  erasure log row)
  backup restore --force ... 2   (loading after the wipe; sequence reset after the load)
  baselines import ......... 2   (replace: insert after delete; first import: insert after
                                  the new profile)
  climate series import .... 1   (upload record after the observations and the stored file)
  = 17 faults in 9 flows
"""
import io
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse

from apps.core.testing import PASSWORD

FAULTS = 17
SKIP_TABLES = {"sessions.session"}  # the signed-in test client's session only


def fingerprint():
    """Every row of every model, by table."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in SKIP_TABLES or model._meta.proxy or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        tables[label] = list(model._base_manager.order_by("pk").values_list(*fields))
    return tables


def as_user(username):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=username, password=PASSWORD)
    return client


def fails_cleanly(send, target, attribute=None, error=RuntimeError("injected fault")):
    """Patch the step, send the request; assert a 500 error page and an unchanged database."""
    before = fingerprint()
    patcher = (mock.patch.object(target, attribute, side_effect=error) if attribute
               else mock.patch(target, side_effect=error))
    with patcher as step:
        response = send()
    assert step.called, "the fault was injected where the flow really goes"
    assert response.status_code == 500
    assert "Server error" in response.content.decode()  # the error page, not a half success
    after = fingerprint()
    changed = [t for t in before if before[t] != after[t]]
    assert not changed, f"half-written: {changed}"
    return response


# -- proposals: the funder's decision and the shortlist ------------------------------------
from apps.proposals.tests.test_selection_pages import (  # noqa: E402
    decide_data, scored, selection_event, shortlisted,
)

__all__ = ["scored", "shortlisted"]  # fixtures used below


@pytest.mark.django_db
def test_decision_with_the_pilot_failing(world, shortlisted):
    from apps.pilots.models import Pilot
    from apps.proposals.models import Decision

    call, proposals = shortlisted
    alpha = proposals["Alpha"]
    client = as_user("funder")
    fails_cleanly(lambda: client.post(
        reverse("proposals:decide", args=[alpha.pk]),
        decide_data(alpha, outcome="approved", approved_budget="150000")),
        Pilot.objects, "follow_decision")
    assert not Decision.objects.exists() and not Pilot.objects.exists()


@pytest.mark.django_db
def test_decision_with_the_audit_row_failing(world, shortlisted):
    from apps.proposals.models import CallChange

    call, proposals = shortlisted
    delta = proposals["Delta"]
    client = as_user("funder")
    fails_cleanly(lambda: client.post(
        reverse("proposals:decide", args=[delta.pk]),
        decide_data(delta, outcome="rejected", reason_th="งบซ้ำซ้อน")),
        CallChange, "save", DatabaseError("connection lost"))


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["entries", "log"])
def test_shortlist_with_a_step_failing(world, scored, step):
    from apps.proposals.models import Call, ShortlistEntry

    call, proposals, _evaluators = scored
    meeting = selection_event(world.city)
    client = as_user("coordinator")
    target = (ShortlistEntry.objects, "bulk_create") if step == "entries" else (Call, "log")
    fails_cleanly(lambda: client.post(
        reverse("proposals:shortlist", args=[call.pk]),
        {"event": meeting.pk, "proposals": [proposals["Alpha"].pk, proposals["Bravo"].pk]}),
        *target)


# -- events: places and the waitlist --------------------------------------------------------
@pytest.fixture
def full_event(world):
    from apps.events.tests.conftest import make_event, make_people
    from apps.progress.models import CityActivity

    activity = CityActivity.objects.get(city=world.city, plan_activity__number=2)
    event = make_event(activity, capacity=2)
    people = make_people(world.city, 4)
    registrations = [event.register(p) for p in people[:3]]  # two places, one waiting
    return event, people, registrations


@pytest.mark.django_db
def test_registration_with_the_row_failing_after_the_position_counter(world, full_event):
    from apps.events.models import Registration

    event, people, _registrations = full_event
    client = as_user("coordinator")
    fails_cleanly(lambda: client.post(reverse("events:register", args=[event.pk]),
                                      {"person": people[3].pk}),
                  Registration.objects, "create", DatabaseError("disk full"))


@pytest.mark.django_db
def test_cancelling_with_the_waitlist_promotion_failing(world, full_event):
    from apps.events.models import Registration

    event, _people, registrations = full_event
    client = as_user("coordinator")
    fails_cleanly(lambda: client.post(
        reverse("events:cancel-registration", args=[registrations[0].pk])),
        Registration.objects, "bulk_update")
    assert Registration.objects.get(pk=registrations[0].pk).status == "confirmed"


@pytest.mark.django_db
def test_more_places_with_the_waitlist_promotion_failing(world, full_event):
    from apps.events.models import Event

    event, _people, _registrations = full_event
    client = as_user("coordinator")
    fails_cleanly(lambda: client.post(reverse("events:edit", args=[event.pk]), {
        "title_th": event.title_th, "language": "th", "capacity": "5",
        "loaded_version": event.version}),
        Event, "_fill_from_waitlist")
    assert Event.objects.get(pk=event.pk).capacity == 2


# -- assessments ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_starting_the_assessment_with_the_scope_copy_failing(world):
    from apps.assessments.models import Assessment

    client = as_user("expert")
    fails_cleanly(lambda: client.post(reverse("assessments:start", args=[world.city.slug])),
                  Assessment, "copy_scope")
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_rerating_a_risk_with_the_audit_row_failing(world):
    from apps.assessments.models import Assessment, AssessmentChange

    Assessment.objects.create(city=world.city, created_by=world.user("expert"))
    client = as_user("expert")
    url = reverse("assessments:rate-risk", args=[world.city.slug])
    risk = {"hazard": "flood", "system": "drainage", "likelihood": "4", "consequence": "5",
            "justification_th": "ท่อระบายน้ำรับน้ำฝนหนักไม่ได้"}
    assert client.post(url, risk).status_code == 302
    fails_cleanly(lambda: client.post(url, {**risk, "likelihood": "2"}),
                  AssessmentChange.objects, "create")


# -- studies: the next round after a sign-off -------------------------------------------------
@pytest.mark.django_db
def test_next_round_with_the_attachment_copy_failing(world):
    from apps.assessments.models import Assessment
    from apps.studies.models import SectorStudy, StudyAttachment, StudyVersion

    assessment = Assessment.objects.create(city=world.city, created_by=world.user("expert"))
    study = SectorStudy.objects.create(assessment=assessment, title_th="การจัดการน้ำท่วม",
                                       sector="drainage")
    first = study.start(world.user("expert"))
    first.findings_th = "น้ำท่วมซ้ำซาก"
    first.save()
    first.sign_off(world.user("expert"))
    client = as_user("expert")
    url = reverse("studies:edit", args=[world.city.slug, study.pk])
    fails_cleanly(lambda: client.post(url, {"findings_th": "รอบที่สอง"}),
                  StudyAttachment.objects, "bulk_create")
    assert StudyVersion.objects.filter(study=study).count() == 1


# -- people: erasure ---------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("step", ["account", "log"])
def test_erasure_with_a_step_failing(world, step):
    from apps.people.models import Person, PersonErasure

    person = Person.objects.get(user=world.user("member"))
    client = as_user("coordinator")
    target = (("apps.accounts.twofactor.turn_off",) if step == "account"
              else (PersonErasure.objects, "create"))
    fails_cleanly(lambda: client.post(reverse("people:person-erase", args=[person.pk]),
                                      {"reason": "Request by email, 2 May", "confirm": "on"}),
                  *target)
    assert Person.objects.get(pk=person.pk).full_name_en == "Member Test"
    assert world.user("member").roles.exists()


# -- baselines: importing past disasters ------------------------------------------------------
HEADER = "date,hazard,area_en,people_affected,deaths,damage_thb,source\n"
ROWS = "21/11/2543,flash_flood,City,120000,30,4500000000,\n2005,drought,,,,,\n"


def disasters_csv():
    return SimpleUploadedFile("disasters.csv", (HEADER + ROWS).encode(), content_type="text/csv")


@pytest.mark.django_db
def test_replacing_disasters_with_the_insert_failing(world):
    from apps.baselines.models import BaselineProfile, PastDisaster

    profile = BaselineProfile.objects.create(city=world.city)
    PastDisaster.objects.create(profile=profile, date="2010-11-01", precision="day",
                                hazard="flood")
    client = as_user("coordinator")
    url = reverse("baselines:import", args=[world.city.slug])
    fails_cleanly(lambda: client.post(url, {"file": disasters_csv(), "replace": "on"}),
                  PastDisaster.objects, "bulk_create")
    assert PastDisaster.objects.filter(profile=profile).count() == 1


@pytest.mark.django_db
def test_first_import_with_the_insert_failing_leaves_no_empty_profile(world):
    from apps.baselines.models import BaselineProfile, PastDisaster

    client = as_user("coordinator")
    url = reverse("baselines:import", args=[world.city.slug])
    fails_cleanly(lambda: client.post(url, {"file": disasters_csv()}),
                  PastDisaster.objects, "bulk_create")
    assert not BaselineProfile.objects.exists()


# -- climate: a station's daily series --------------------------------------------------------
@pytest.mark.django_db
def test_series_upload_with_the_record_failing_keeps_neither_rows_nor_file(world, settings,
                                                                           tmp_path):
    from apps.climate.models import Observation, SeriesUpload, Station

    settings.MEDIA_ROOT = str(tmp_path / "media")
    station = Station.objects.create(city=world.city, code="48303", name_th="สถานี",
                                     name_en="Station")
    Observation.objects.create(station=station, date="2009-12-31", prcp_mm=3)
    client = as_user("coordinator")
    text = "date,prcp,tmax,tmin\n2010-01-01,1,30,20\n2010-01-02,,31,21\n"
    upload = SimpleUploadedFile("series.csv", text.encode(), content_type="text/csv")
    url = reverse("climate:upload", args=[world.city.slug, station.pk])
    fails_cleanly(lambda: client.post(url, {"file": upload, "mode": "replace"}),
                  SeriesUpload, "save", DatabaseError("connection lost"))
    assert list(Observation.objects.values_list("date", flat=True)) == [
        __import__("datetime").date(2009, 12, 31)]
    stored = list(Path(settings.MEDIA_ROOT).rglob("*.csv"))
    assert stored == [], "the stored file goes with the rolled-back rows"


# -- backup: restore over an installation (--force) -------------------------------------------
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("step", ["load", "sequences"])
def test_forced_restore_failing_midway_keeps_the_installation(settings, tmp_path, step):
    from apps.core.backup import media_files
    from apps.core.testing import make_world
    from apps.networks.models import Network

    settings.MEDIA_ROOT = str(tmp_path / "media")
    media = Path(settings.MEDIA_ROOT)
    media.mkdir()
    make_world()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    # The installation moves on after the backup: a restore would wipe this.
    Network.objects.create(slug="net-c", name_th="เครือข่าย ซี", name_en="Network C")
    (media / "later.txt").write_text("uploaded after the backup")
    before, files = fingerprint(), media_files(media)
    fault = DatabaseError("injected fault")
    patcher = (mock.patch("apps.core.backup._load", side_effect=fault) if step == "load" else
               mock.patch.object(type(connection.ops), "sequence_reset_sql", side_effect=fault))
    with patcher as hit:
        with pytest.raises((CommandError, DatabaseError)):
            call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert hit.called
    assert fingerprint() == before
    assert media_files(media) == files and (media / "later.txt").exists()
