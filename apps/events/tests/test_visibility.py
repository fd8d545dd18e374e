"""Who sees and who changes which events: city events follow their city's scope, network
events their network's national coordinator; published events are public."""
import pytest
from django.contrib.auth.models import AnonymousUser

from apps.events.models import Event
from apps.events.tests.conftest import at, make_event
from apps.progress.models import CityActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(world):
    def city_event(city):
        activity = CityActivity.objects.get(city=city, plan_activity__number=2)
        return make_event(activity, title_th=f"งาน {city.slug}")

    return {
        "own": city_event(world.city), "sibling": city_event(world.other_city),
        "foreign": city_event(world.far_city),
        "network": make_event(network=world.network, title_th="เครือข่าย เอ"),
        "other-network": make_event(network=world.other_network, title_th="เครือข่าย บี"),
    }


def names(queryset, events):
    pks = set(queryset.values_list("pk", flat=True))
    return {name for name, event in events.items() if event.pk in pks}


@pytest.mark.parametrize("persona,visible,editable", [
    ("national", {"own", "sibling", "network"}, {"own", "sibling", "network"}),
    ("coordinator", {"own"}, {"own"}),
    ("member", {"own"}, set()),
    ("funder", set(), set()),
    ("outsider", {"sibling"}, {"sibling"}),
    ("stranger", {"foreign", "other-network"}, {"foreign", "other-network"}),
])
def test_unpublished_events_by_persona(world, events, persona, visible, editable):
    user = world.user(persona)
    assert names(Event.objects.visible_to(user), events) == visible
    assert names(Event.objects.editable_by(user), events) == editable
    for name, event in events.items():
        event = Event.objects.with_related().get(pk=event.pk)
        assert event.in_scope(user) is (name in visible)
        assert event.can_edit(user) is (name in editable)


def test_published_events_are_public_but_not_editable(world, events):
    for event in events.values():
        event.set_published(None, True)
    assert names(Event.objects.visible_to(AnonymousUser()), events) == set(events)
    assert names(Event.objects.editable_by(world.user("coordinator")), events) == {"own"}
    assert Event.objects.editable_by(AnonymousUser()).count() == 0


def test_open_for_a_city_lists_its_own_and_its_networks_open_events(world, events):
    events["sibling"].cancel(world.user("national"), "เลื่อน")
    closed = make_event(CityActivity.objects.get(city=world.city, plan_activity__number=3),
                        registration_deadline=at(-1), starts_at=at(5), ends_at=at(5, 12))
    open_names = names(Event.objects.open_for(world.city), {**events, "closed": closed})
    assert open_names == {"own", "network"}
