"""An event may belong to a pilot project of its own city: chosen in the event's form, listed
on the pilot's page; another city's pilot, or a pilot on a network event, is refused."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.events.models import Event
from apps.events.tests.conftest import at, make_event
from apps.events.tests.test_pages import NEW, login
from apps.monitoring.tests.test_progress import bulk_pilots

pytestmark = pytest.mark.django_db
FORM = {"title_th": "อบรมอาสาสมัครเตือนภัย", "language": "th",
        "starts_at_0": "14/01/2553", "starts_at_1": "09:00",
        "ends_at_0": "14/01/2553", "ends_at_1": "16:00"}


@pytest.fixture
def pilots(world):
    own, = bulk_pilots(world, world.city, 1, "OWN", framework=False)
    other, = bulk_pilots(world, world.other_city, 1, "OTHER", framework=False)
    return own, other


def test_the_coordinator_links_an_event_to_the_citys_pilot(client, world, pilots):
    own, other = pilots
    login(client, "coordinator")
    form = client.get(NEW).content.decode()
    assert own.title_th in form and other.title_th not in form
    assert client.post(NEW, {**FORM, "pilot": own.pk}).status_code == 302
    event = Event.objects.get()
    assert event.pilot == own
    # Unlinked again through the edit form (details, not the date).
    response = client.post(f"/events/{event.pk}/edit/",
                           {"title_th": event.title_th, "language": "th", "pilot": ""})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.pilot is None and event.changes.filter(action="edit").exists()


def test_another_citys_pilot_is_refused(client, world, launch_activity, pilots):
    own, other = pilots
    login(client, "coordinator")
    response = client.post(NEW, {**FORM, "pilot": other.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Event.objects.exists()
    # The model refuses it too, whatever the way in (admin, shell, a future API).
    event = make_event(launch_activity)
    event.pilot = other
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert "pilot" in refused.value.message_dict
    with pytest.raises(ValidationError):
        event.update_details(world.user("coordinator"), pilot=other)
    assert Event.objects.get(pk=event.pk).pilot_id is None


def test_a_network_event_belongs_to_no_pilot(world, pilots):
    own, _other = pilots
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(network=world.network, pilot=own, title_th="เวทีระดับประเทศ",
                             starts_at=at(1), ends_at=at(1, 12))


def test_the_pilot_page_lists_its_events_as_far_as_the_reader_sees(client, world,
                                                                   launch_activity, pilots):
    own, _other = pilots
    public = make_event(launch_activity, title_th="วันสาธิตระบบเตือนภัย", pilot=own,
                        published=True)
    private = make_event(launch_activity, title_th="ประชุมทีมโครงการ", pilot=own)
    make_event(launch_activity, title_th="งานอื่นของเมือง")
    login(client, "member")
    html = client.get(f"/pilots/{own.pk}/").content.decode()
    assert public.title_th in html and private.title_th in html
    assert "งานอื่นของเมือง" not in html
    own.published = True
    own.save(update_fields=["published"])
    client.logout()
    html = client.get(f"/pilots/{own.pk}/").content.decode()
    assert public.title_th in html and private.title_th not in html
