"""A dialogue may point at the event it was held at: an event of its own SLD activity."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.core.testing import PASSWORD
from apps.dialogues.forms import DialogueForm
from apps.dialogues.models import Dialogue
from apps.events.models import Event
from apps.progress.models import CityActivity

pytestmark = pytest.mark.django_db


def event_on(activity, published=False):
    start = timezone.make_aware(dt.datetime(2010, 2, 20, 9))
    return Event.objects.create(city_activity=activity, title_th="เวที SLD 1", starts_at=start,
                                ends_at=start + dt.timedelta(hours=7), published=published)


def test_the_event_must_be_of_the_dialogues_activity(world, dialogue):
    launch = CityActivity.objects.get(city=world.city, plan_activity__number=1)
    dialogue.event = event_on(launch)
    with pytest.raises(ValidationError) as error:
        dialogue.full_clean()
    assert "event" in error.value.message_dict
    dialogue.event = event_on(dialogue.city_activity)
    dialogue.full_clean()
    form = DialogueForm(instance=dialogue)
    assert list(form.fields["event"].queryset) == [dialogue.event]


def test_the_event_field_is_left_out_without_events(world, dialogue):
    assert "event" not in DialogueForm(instance=dialogue).fields


def test_removing_the_event_keeps_the_dialogue(world, dialogue):
    dialogue.event = event_on(dialogue.city_activity)
    dialogue.save()
    dialogue.event.delete()
    assert Dialogue.objects.get().event is None


def test_pages_and_api_show_the_event_only_to_those_who_may_see_it(client, world, dialogue):
    event = event_on(dialogue.city_activity)
    dialogue.event = event
    dialogue.published = True
    dialogue.save()
    link = f'href="/events/{event.pk}/"'
    assert link not in client.get("/c/a1/sld/1/").content.decode()
    assert client.get("/api/dialogues").json()["items"][0]["event"] is None
    client.login(username="member", password=PASSWORD)
    assert link in client.get("/c/a1/sld/1/").content.decode()
    assert client.get("/api/dialogues").json()["items"][0]["event"] == event.pk
    client.logout()
    Event.objects.filter(pk=event.pk).update(published=True)
    assert link in client.get("/c/a1/sld/1/").content.decode()
    assert client.get(f"/api/dialogues/{dialogue.pk}").json()["event"] == event.pk
