"""A built synthesis rebuilds itself when its published data changes: once per network and
transaction, never for unpublished data, and the view's check catches what sends no signal."""
import pytest
from django.urls import reverse

from apps.assessments.models import RiskRating
from apps.forum import rebuild, synthesis as content_of, tasks
from apps.forum.models import ForumSynthesis, StakeholderPosition
from apps.forum.tests.conftest import assess
from apps.people.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch, no_chromium):
    """The syntheses built (by the task, which the immediate backend runs at once)."""
    built, real = [], tasks.build

    def counting(synthesis):
        built.append(synthesis.pk)
        return real(synthesis)
    monkeypatch.setattr(tasks, "build", counting)
    return built


@pytest.fixture
def built(world, builds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assessment = assess(world.city)
        synthesis = ForumSynthesis.objects.create(network=world.network, title_th="สังเคราะห์")
        tasks.enqueue(synthesis)
    synthesis.refresh_from_db()
    assert synthesis.status == "done" and builds == [synthesis.pk]
    builds.clear()
    return synthesis, assessment


def _risk(assessment, hazard="storm"):
    return RiskRating.objects.create(assessment=assessment, hazard=hazard, system="energy",
                                     likelihood=2, consequence=3, justification_th="พายุ")


def test_published_change_rebuilds_once(world, built, builds,
                                        django_capture_on_commit_callbacks):
    synthesis, assessment = built
    old_pdf = synthesis.pdf.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        risk = _risk(assessment)
        risk.likelihood = 5
        risk.save()
        _risk(assessment, hazard="drought")
    assert len(callbacks) == 1  # three saves under one assessment: one callback
    assert builds == [synthesis.pk]
    synthesis.refresh_from_db()
    assert synthesis.status == "done"
    assert synthesis.signature == content_of.input_signature(world.network)
    assert synthesis.pdf.name != old_pdf and synthesis.pdf.storage.exists(synthesis.pdf.name)
    assert not synthesis.pdf.storage.exists(old_pdf)  # replaced, not piled up


def test_concurrent_changes_queue_once(world, built, builds, monkeypatch):
    """Two transactions that commit at once: the conditional UPDATE lets one queue it."""
    synthesis, assessment = built
    monkeypatch.setattr(tasks, "build", lambda s: builds.append(s.pk))  # leaves it queued
    _risk(assessment)
    assert rebuild.refresh_network(world.network.pk) == [synthesis.pk]
    assert rebuild.refresh_network(world.network.pk) == []
    assert builds == [synthesis.pk]
    synthesis.refresh_from_db()
    assert synthesis.status == "queued"


def test_unpublished_or_other_network_data_rebuilds_nothing(
        world, built, builds, django_capture_on_commit_callbacks):
    synthesis, _assessment = built
    with django_capture_on_commit_callbacks(execute=True):
        hidden = assess(world.other_city, published=False)
        foreign = assess(world.far_city)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _risk(hidden)
        hidden.groups.create(name_th="กลุ่มที่ยังไม่เผยแพร่")
    assert len(callbacks) == 1 and builds == []  # an unpublished parent: no network found
    with django_capture_on_commit_callbacks(execute=True):
        _risk(foreign)
    assert builds == []
    synthesis.refresh_from_db()
    assert synthesis.status == "done" and not synthesis.is_stale()


def test_publishing_an_assessment_is_a_change(world, built, builds,
                                              django_capture_on_commit_callbacks):
    synthesis, _assessment = built
    with django_capture_on_commit_callbacks(execute=True):
        hidden = assess(world.other_city, published=False)
    with django_capture_on_commit_callbacks(execute=True):
        hidden.published = True
        hidden.save()
    assert builds == [synthesis.pk]


def test_bulk_change_is_caught_when_the_page_is_viewed(
        client, world, built, builds, django_capture_on_commit_callbacks):
    synthesis, assessment = built
    ForumSynthesis.objects.filter(pk=synthesis.pk).update(published=True)
    RiskRating.objects.bulk_create([RiskRating(assessment=assessment, hazard="heat",
                                               system="health", likelihood=3, consequence=3,
                                               score=9, justification_th="ร้อน")])
    assert builds == []
    url = reverse("forum:detail", args=[synthesis.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # While the rebuild waits, the previous files stay on offer and the page says so.
    assert "Being updated" in page
    assert client.get(reverse("forum:file", args=[synthesis.pk, "pdf"])).status_code == 200
    for callback in callbacks:
        callback()
    assert builds == [synthesis.pk]
    synthesis.refresh_from_db()
    assert synthesis.status == "done" and not synthesis.is_stale()
    assert "Being updated" not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_stakeholder_override_rebuilds(world, built, builds,
                                       django_capture_on_commit_callbacks):
    synthesis, _assessment = built
    organisation = Organisation.objects.create(name_th="มูลนิธิรักษ์น้ำ", kind="ngo",
                                               city=world.city)
    with django_capture_on_commit_callbacks(execute=True):
        StakeholderPosition.objects.create(network=world.network, organisation=organisation,
                                           influence=4)
    assert builds == [synthesis.pk]


def test_two_parents_of_one_network_rebuild_once(world, built, builds,
                                                 django_capture_on_commit_callbacks):
    synthesis, assessment = built
    with django_capture_on_commit_callbacks(execute=True):
        other = assess(world.other_city)
    builds.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _risk(assessment)
        _risk(other)
    assert len(callbacks) == 2 and builds == [synthesis.pk]
    synthesis.refresh_from_db()
    assert not synthesis.is_stale()


def _stall(synthesis, minutes):
    """The state a build leaves when its worker dies: RUNNING, last progress `minutes` ago."""
    import datetime as dt

    from django.utils import timezone

    ForumSynthesis.objects.filter(pk=synthesis.pk).update(
        status=ForumSynthesis.Status.RUNNING, progress=50,
        updated_at=timezone.now() - dt.timedelta(minutes=minutes))
    synthesis.refresh_from_db()


def test_a_build_whose_worker_died_can_be_started_again(
        client, world, built, builds, django_capture_on_commit_callbacks):
    """A worker killed mid-build leaves the synthesis RUNNING: after 30 minutes without
    progress the coordinator is told and may build it again; before that, nobody may start a
    second build beside a live one."""
    synthesis, _ = built
    client.force_login(world.user("national"))
    page = reverse("forum:detail", args=[synthesis.pk])
    rebuild_url = reverse("forum:rebuild", args=[synthesis.pk])

    _stall(synthesis, minutes=5)  # a live build, merely slow
    assert "forum-stuck" not in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(rebuild_url)
    assert builds == [] and ForumSynthesis.objects.get(pk=synthesis.pk).status == "running"

    _stall(synthesis, minutes=45)
    text = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "has probably stopped" in text and 'id="forum-build"' in text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(rebuild_url)
    synthesis.refresh_from_db()
    assert builds == [synthesis.pk] and synthesis.status == "done" and synthesis.progress == 100


def test_a_stuck_build_is_restarted_by_a_data_change(
        world, built, builds, django_capture_on_commit_callbacks):
    synthesis, assessment = built
    _stall(synthesis, minutes=45)
    with django_capture_on_commit_callbacks(execute=True):
        _risk(assessment)
    synthesis.refresh_from_db()
    assert builds == [synthesis.pk] and synthesis.status == "done"
    assert synthesis.signature == content_of.input_signature(world.network)


def test_a_pilot_workplan_change_rebuilds(world, built, builds,
                                          django_capture_on_commit_callbacks):
    """The synthesis shows each pilot's progress (%), computed from its workplan: a milestone
    moving from 0% to 60% rebuilds it; the same change on an unpublished pilot does not."""
    from apps.pilots.models import Milestone, PilotComponent
    from apps.pilots.tests.test_pages import approved_pilots

    from apps.assessments.models import ScopeGroup

    synthesis, _ = built
    # approved_pilots() finds the city's one vulnerable group of its own call's assessment.
    # Set up as committed transactions would leave it (their rebuilds run, then are forgotten).
    with django_capture_on_commit_callbacks(execute=True):
        ScopeGroup.objects.filter(assessment__city=world.city).delete()
        published, hidden = approved_pilots(world, n=2)
        published.published, hidden.published = True, False
        published.save()
        hidden.save()
        components = {p: PilotComponent.objects.create(pilot=p, title_th="ติดตั้ง")
                      for p in (published, hidden)}
        milestones = {p: Milestone.objects.create(component=c, title_th="จุดวัด 6 จุด")
                      for p, c in components.items()}
    synthesis.refresh_from_db()
    assert synthesis.status == "done"
    assert synthesis.signature == content_of.input_signature(world.network)
    builds.clear()

    with django_capture_on_commit_callbacks(execute=True):
        milestones[hidden].percent = 60
        milestones[hidden].save()
    assert builds == []
    with django_capture_on_commit_callbacks(execute=True):
        milestones[published].percent = 60
        milestones[published].save()
    synthesis.refresh_from_db()
    assert builds == [synthesis.pk] and synthesis.status == "done"
    assert synthesis.signature == content_of.input_signature(world.network)
