import datetime as dt

from ninja import Schema

from apps.events.models import Event, Language, Registration


class EventOut(Schema):
    id: int
    title: str
    title_th: str
    title_en: str
    city: str | None  # city slug; None for a network event
    activity_number: int | None  # the plan activity it carries out, if any
    network: str  # network slug
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    language: Language
    organiser: int | None
    organiser_name: str | None
    status: Event.Status
    published: bool
    capacity: int | None  # None: no limit
    cap_per_city: int | None
    registration_deadline: dt.datetime | None
    registration_open: bool
    confirmed: int
    waitlisted: int

    @staticmethod
    def resolve_city(obj):
        return obj.city_activity.city.slug if obj.city_activity_id else None

    @staticmethod
    def resolve_activity_number(obj):
        step = obj.plan_step
        return step.number if step else None

    @staticmethod
    def resolve_network(obj):
        return obj.owner_network.slug

    @staticmethod
    def resolve_organiser(obj):
        return obj.organiser_id

    @staticmethod
    def resolve_organiser_name(obj):
        return obj.organiser and obj.organiser.name

    @staticmethod
    def resolve_registration_open(obj):
        return obj.is_open()

    @staticmethod
    def resolve_confirmed(obj):
        return obj.confirmed_count

    @staticmethod
    def resolve_waitlisted(obj):
        return obj.waitlisted_count


class AgendaItemOut(Schema):
    day: int
    time: dt.time
    end_time: dt.time | None
    title: str
    title_th: str
    title_en: str
    speaker: str
    organisation: str | None

    @staticmethod
    def resolve_speaker(obj):
        return obj.speaker_name or (obj.speaker.full_name if obj.speaker_id else "")

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation and obj.organisation.name


class StatOut(Schema):
    value: str | int
    label: str
    count: int


class AttendanceOut(Schema):
    checked_in: int
    by_organisation_kind: list[StatOut]
    by_sector: list[StatOut]
    by_city: list[StatOut]
    by_gender: list[StatOut]
    by_vulnerable_group: list[StatOut]  # self-declared; "" = not declared


class EventDetail(EventOut):
    description: str
    cancel_reason: str
    agenda: list[AgendaItemOut]
    # Counts of checked-in participants; only for those who may read the event's participants.
    attendance: AttendanceOut | None

    @staticmethod
    def resolve_agenda(obj):
        return obj.agenda_items  # loaded by the endpoint with speakers and organisations


class RegistrationOut(Schema):
    id: int
    event: int
    person: int
    person_name: str
    city: str
    organisation_name: str | None
    status: Registration.Status
    position: int  # the order registrations committed in: the waitlist is served in it
    registered_at: dt.datetime
    promoted_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    # Self-declared at registration or check-in; "" = not declared. Shown to whoever sees
    # the registration (the event's team, the person's own city, the person).
    vulnerable_group: str

    @staticmethod
    def resolve_event(obj):
        return obj.event_id

    @staticmethod
    def resolve_person(obj):
        return obj.person_id

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.full_name

    @staticmethod
    def resolve_city(obj):
        return obj.person.city.slug

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.person.organisation and obj.person.organisation.name


class CheckInIn(Schema):
    checked_in: bool = True  # false undoes a check-in made by mistake
    # The participant's own declaration at the door, as on the check-in page: one of
    # VulnerableGroup's values, "" to withdraw it; left out (null), it stays as it was.
    vulnerable_group: str | None = None
