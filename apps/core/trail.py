"""One audit trail read from the apps' own append-only logs.

Each app keeps its log next to its records (progress ActivityChange, events EventChange,
assessments AssessmentChange, dialogues DialogueChange, proposals CallChange, people
PersonErasure and MembershipChange, accounts RoleChange, monitoring ReportChange (indicator
values submitted, returned, approved, locked), pilots ReportChange (progress reports) and
PilotChange (publishing), evaluations EvaluationChange, practices PracticeChange). `trail()` reads the newest rows of
each log the user may see, one query per log, and merges them by time with heapq: the page
costs the same number of queries however long the logs grow.

Who sees what: a superuser everything; a national coordinator the cities of their networks
(and their networks' own events and roles); a city coordinator their city. The rows are
never changed here: the page only reads.
"""
import datetime as dt
import heapq
from dataclasses import dataclass
from itertools import islice

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PAGE_SIZE = 50
MAX_PAGES = 40  # further back: narrow the dates instead


@dataclass
class Entry:
    at: dt.datetime
    by: object
    city: object
    kind: str
    kind_label: str
    record: str
    url: str
    action: str
    before: str
    after: str


def may_read_trail(scope):
    return scope.superuser or bool(scope.edit_cities) or bool(scope.admin_networks)


def _text(value):
    """A before/after value as one line: dicts as "key: value; ...", lists joined."""
    if value in (None, "", {}, []):
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v) or '—'}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return str(value)


class Source:
    """One log: its model, the path from a row to its city, how a row reads."""

    key = ""
    label = ""
    city_path = ""
    network_path = None  # rows that belong to a network rather than a city (events, roles)
    related = ()

    def model(self):
        raise NotImplementedError

    def scoped(self, scope):
        rows = self.model().objects.select_related("by", *self.related)
        if scope.superuser:
            return rows
        where = scope.city_edit_q(self.city_path)
        if self.network_path:
            where |= Q(**{f"{self.network_path}__in": scope.admin_networks})
        return rows.filter(where)

    def filtered(self, scope, city=None, user=None, since=None, until=None):
        rows = self.scoped(scope)
        if city is not None:
            rows = rows.filter(**{self.city_path: city})
        if user is not None:
            rows = rows.filter(by=user)
        if since is not None:
            rows = rows.filter(at__gte=since)
        if until is not None:
            rows = rows.filter(at__lt=until)
        return rows.order_by("-at", "-pk")

    def entry(self, row, **values):
        return Entry(at=row.at, by=row.by, kind=self.key, kind_label=str(self.label),
                     **{"before": "", "after": "", "url": "", **values})


class ActivitySource(Source):
    key, label = "progress", gettext_lazy("Plan activities")
    city_path = "city_activity__city"
    related = ("city_activity__city", "city_activity__plan_activity")

    def model(self):
        from apps.progress.models import ActivityChange
        return ActivityChange

    def read(self, row):
        activity = row.city_activity
        return self.entry(
            row, city=activity.city, action=row.get_action_display(),
            record=f"{activity.plan_activity.number}. {activity.plan_activity.name}",
            url=reverse("progress:activity", args=[activity.city.slug,
                                                   activity.plan_activity.number]),
            before=_text(row.before), after=_text(row.after))


class EventSource(Source):
    key, label = "events", gettext_lazy("Events")
    city_path = "event__city_activity__city"
    network_path = "event__network"
    related = ("event__city_activity__city", "event__network")

    def model(self):
        from apps.events.models import EventChange
        return EventChange

    def read(self, row):
        event = row.event
        return self.entry(
            row, city=event.city_activity.city if event.city_activity_id else None,
            action=row.get_action_display(), record=str(event.title),
            url=reverse("events:detail", args=[event.pk]),
            before=_text(row.before), after=_text(row.after))


class AssessmentSource(Source):
    key, label = "assessments", gettext_lazy("Vulnerability assessment")
    city_path = "assessment__city"
    related = ("assessment__city",)

    def model(self):
        from apps.assessments.models import AssessmentChange
        return AssessmentChange

    def read(self, row):
        city = row.assessment.city
        return self.entry(row, city=city, action=row.get_action_display(),
                          record=_("Assessment of %(city)s") % {"city": city},
                          url=reverse("assessments:overview", args=[city.slug]),
                          after=row.detail)


class DialogueSource(Source):
    key, label = "dialogues", gettext_lazy("Shared learning dialogues")
    city_path = "dialogue__city_activity__city"
    related = ("dialogue__city_activity__city", "dialogue__city_activity__plan_activity")

    def model(self):
        from apps.dialogues.models import DialogueChange
        return DialogueChange

    def read(self, row):
        activity = row.dialogue.city_activity
        return self.entry(
            row, city=activity.city, action=row.get_action_display(),
            record=f"{activity.plan_activity.number}. {activity.plan_activity.name}",
            url=reverse("progress:activity", args=[activity.city.slug,
                                                   activity.plan_activity.number]),
            after=row.detail)


class CallSource(Source):
    key, label = "proposals", gettext_lazy("Calls, scores and decisions")
    city_path = "call__city"
    related = ("call__city", "proposal")

    def model(self):
        from apps.proposals.models import CallChange
        return CallChange

    def read(self, row):
        record = str(row.call.title)
        if row.proposal_id:
            record += f" · {row.proposal.title}"
        after = _text(row.after)
        if row.note:
            after = f"{after} ({row.note})" if after else row.note
        return self.entry(row, city=row.call.city, action=row.get_action_display(),
                          record=record, url=reverse("proposals:call", args=[row.call_id]),
                          before=_text(row.before), after=after)


class ErasureSource(Source):
    key, label = "erasures", gettext_lazy("Erasures of personal data")
    city_path = "person__city"
    related = ("person__city",)

    def model(self):
        from apps.people.models import PersonErasure
        return PersonErasure

    def read(self, row):
        return self.entry(row, city=row.person.city, action=_("Personal data erased"),
                          record=row.person.full_name,
                          url=reverse("people:person-data", args=[row.person_id]),
                          after=row.reason)


class MembershipSource(Source):
    key, label = "memberships", gettext_lazy("Working-group memberships")
    city_path = "city"
    related = ("city", "person")

    def model(self):
        from apps.people.models import MembershipChange
        return MembershipChange

    def read(self, row):
        return self.entry(
            row, city=row.city, action=row.get_action_display(),
            record=row.person.full_name if row.person else f"#{row.person_id}",
            url=reverse("people:group", args=[row.city.slug]) if row.city else "",
            before=_text(row.before), after=_text(row.after))


class RoleSource(Source):
    key, label = "roles", gettext_lazy("Roles and permissions")
    city_path = "city"
    network_path = "network"
    related = ("city", "network", "user")

    def model(self):
        from apps.accounts.models import RoleChange
        return RoleChange

    def read(self, row):
        from apps.accounts.models import Role

        def where(values):
            return Role(values["role"]).label if values.get("role") in Role.values else ""

        place = row.city or row.network
        role = Role(row.role).label if row.role in Role.values else row.role
        return self.entry(
            row, city=row.city, action=row.get_action_display(),
            record=row.user.username if row.user else f"#{row.user_id}",
            before=where(row.before) if row.before else "",
            after=f"{role} · {place}" if place else str(role))


class _StatusSource(Source):
    """Logs of a status workflow: from -> to, with the reviewer's comment."""

    def status_entry(self, row, city, record, url, statuses):
        return self.entry(row, city=city, action=str(statuses(row.to_status).label),
                          record=record, url=url,
                          before=str(statuses(row.from_status).label) if row.from_status else "",
                          after=row.comment)


class IndicatorReportSource(_StatusSource):
    key, label = "monitoring", gettext_lazy("Indicator values and their approval")
    city_path = "report__city"
    related = ("report__city", "report__period", "report__pilot")

    def model(self):
        from apps.monitoring.models import ReportChange
        return ReportChange

    def read(self, row):
        from apps.monitoring.models import Report

        report = row.report
        record = str(report.period) + (f" · {report.pilot}" if report.pilot_id else "")
        return self.status_entry(row, report.city, record,
                                 reverse("monitoring:report", args=[report.pk]), Report.Status)


class PilotReportSource(_StatusSource):
    key, label = "pilots", gettext_lazy("Pilot progress reports")
    city_path = "report__pilot__city"
    related = ("report__pilot__city",)

    def model(self):
        from apps.pilots.models import ReportChange
        return ReportChange

    def read(self, row):
        from apps.pilots.models import ProgressReport

        report = row.report
        return self.status_entry(row, report.pilot.city, f"{report.pilot} · {report.period}",
                                 reverse("pilots:report", args=[report.pk]),
                                 ProgressReport.Status)


class PilotPublicationSource(Source):
    key, label = "pilot-publication", gettext_lazy("Pilot projects published")
    city_path = "pilot__city"
    related = ("pilot__city",)

    def model(self):
        from apps.pilots.models import PilotChange
        return PilotChange

    def read(self, row):
        return self.entry(row, city=row.pilot.city, action=row.get_action_display(),
                          record=str(row.pilot), url=reverse("pilots:detail", args=[row.pilot_id]))


class EvaluationSource(Source):
    key, label = "evaluations", gettext_lazy("Expert evaluations")
    city_path = "evaluation__city"
    related = ("evaluation__city",)

    def model(self):
        from apps.evaluations.models import EvaluationChange
        return EvaluationChange

    def read(self, row):
        evaluation = row.evaluation
        return self.entry(row, city=evaluation.city, action=row.get_action_display(),
                          record=str(evaluation.title), after=row.note,
                          url=reverse("evaluations:detail",
                                      args=[evaluation.city.slug, evaluation.pk]))


class PracticeSource(Source):
    key, label = "practices", gettext_lazy("Good practices")
    city_path = "practice__city"
    related = ("practice__city",)

    def model(self):
        from apps.practices.models import PracticeChange
        return PracticeChange

    def read(self, row):
        practice = row.practice
        return self.entry(row, city=practice.city, action=row.get_action_display(),
                          record=str(practice.title),
                          url=reverse("practices:detail", args=[practice.pk]))


SOURCES = [ActivitySource(), EventSource(), AssessmentSource(), DialogueSource(), CallSource(),
           ErasureSource(), MembershipSource(), RoleSource(), IndicatorReportSource(),
           PilotReportSource(), PilotPublicationSource(), EvaluationSource(), PracticeSource()]
KINDS = {source.key: source for source in SOURCES}


def trail(scope, kinds=None, page=1, **filters):
    """(entries of the page, whether a next page exists). One query per log read."""
    page = max(1, min(page, MAX_PAGES))
    wanted = page * PAGE_SIZE + 1
    streams = []
    for source in SOURCES:
        if kinds and source.key not in kinds:
            continue
        rows = source.filtered(scope, **filters)[:wanted]
        streams.append(map(source.read, rows))  # map binds this source now
    merged = list(islice(heapq.merge(*streams, key=lambda e: e.at, reverse=True), wanted))
    start = (page - 1) * PAGE_SIZE
    return merged[start:start + PAGE_SIZE], len(merged) > page * PAGE_SIZE


def day_bounds(since_day=None, until_day=None):
    """Aware datetimes for "from this day" and "up to and including that day" (local time)."""
    def start(day):
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    return (start(since_day) if since_day else None,
            start(until_day + dt.timedelta(days=1)) if until_day else None)
