"""500 people register at once for 80 places: exactly 80 get one, the rest wait in the order
their registrations committed, and cancellations hand places down that line.

Each registration locks the event row (SELECT ... FOR UPDATE) for its whole transaction, so
the count of places and the waitlist position it takes are those of the moment it commits.
Only PostgreSQL can show this: SQLite lets one writer in at a time, so its transactions never
overlap in the first place.
"""
import threading
import time

import pytest
from django.core import mail as outbox
from django.db import connection, connections

from apps.core.testing import make_world
from apps.events.models import Event, Registration
from apps.events.tests.conftest import make_event, make_people
from apps.progress.models import CityActivity

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises all writes, so registrations cannot race there; "
                              "run the suite on PostgreSQL (make test) to exercise the lock"),
    pytest.mark.django_db(transaction=True),
]

PEOPLE, PLACES, WORKERS, CANCELLATIONS = 500, 80, 24, 10


def run_in_threads(jobs, work):
    """Run `work(job)` for each job on WORKERS threads that start together, each with its own
    database connection (closed at the end); re-raise the first error."""
    errors, lock = [], threading.Lock()
    chunks = [chunk for chunk in (jobs[i::WORKERS] for i in range(WORKERS)) if chunk]
    barrier = threading.Barrier(len(chunks), timeout=20)

    def worker(chunk):
        try:
            barrier.wait()
            for job in chunk:
                work(job)
        except Exception as error:  # noqa: BLE001 - reported to the test below
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def test_500_registrations_at_once_for_80_places():
    started = time.monotonic()
    world = make_world()
    activity = CityActivity.objects.get(city=world.city, plan_activity__number=2)
    event = make_event(activity, capacity=PLACES)
    people = make_people(world.city, PEOPLE)

    run_in_threads(people, lambda person: Event(pk=event.pk).register(person))

    rows = list(Registration.objects.filter(event=event).order_by("position"))
    assert len(rows) == PEOPLE  # nothing lost
    assert len({r.person_id for r in rows}) == PEOPLE  # nothing duplicated
    assert [r.position for r in rows] == list(range(1, PEOPLE + 1))  # one line, no gaps
    assert [r.status for r in rows] == (["confirmed"] * PLACES
                                        + ["waitlisted"] * (PEOPLE - PLACES))
    # Positions are taken under the lock that is held until commit, so their order is the
    # commit order; the time each took the lock runs the same way.
    times = [r.registered_at for r in rows]
    assert times == sorted(times)
    event.refresh_from_db()
    assert event.last_position == PEOPLE
    assert len(outbox.outbox) == PEOPLE  # one email each, after each commit

    # Ten places freed at once go to the next ten in line, in order.
    leaving = [r for r in rows[:PLACES]][::PLACES // CANCELLATIONS][:CANCELLATIONS]
    run_in_threads(leaving, lambda registration: Registration.objects.get(
        pk=registration.pk).cancel())

    after = {r.pk: r for r in Registration.objects.filter(event=event)}
    promoted = sorted(r.position for r in after.values() if r.promoted_at)
    assert promoted == list(range(PLACES + 1, PLACES + CANCELLATIONS + 1))
    counts = {s: sum(1 for r in after.values() if r.status == s)
              for s in ("confirmed", "waitlisted", "cancelled")}
    assert counts == {"confirmed": PLACES, "waitlisted": PEOPLE - PLACES - CANCELLATIONS,
                      "cancelled": CANCELLATIONS}
    assert time.monotonic() - started < 30
