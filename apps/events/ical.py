"""iCalendar (RFC 5545/5546) for event emails.

The UID stays the same for the event's whole life and SEQUENCE grows each time it moves, so a
calendar updates the entry it already has; METHOD:CANCEL removes it.
"""
import datetime as dt

import icalendar
from django.conf import settings
from django.utils import timezone, translation

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def calendar(event, method, person=None, lang="th"):
    """The .ics bytes for one recipient, with the texts in their language."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Resilience Workbench//Events//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    entry = icalendar.Event()
    entry.add("uid", event.ical_uid)
    entry.add("sequence", event.sequence)
    entry.add("dtstamp", timezone.now().astimezone(dt.timezone.utc))
    entry.add("dtstart", event.starts_at.astimezone(dt.timezone.utc))
    entry.add("dtend", event.ends_at.astimezone(dt.timezone.utc))
    with translation.override(lang):
        entry.add("summary", event.title)
        if event.place:
            entry.add("location", event.place)
        if event.description:
            entry.add("description", event.description)
        if person is not None and person.email:
            attendee = icalendar.vCalAddress(f"mailto:{person.email}")
            attendee.params["cn"] = person.full_name
            attendee.params["role"] = "REQ-PARTICIPANT"
            # Answers come through the personal link, not by calendar reply.
            attendee.params["rsvp"] = "FALSE"
            entry.add("attendee", attendee)
    entry.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = "Resilience Workbench"
    entry.add("organizer", organizer)
    cal.add_component(entry)
    return cal.to_ical()
