"""Cities' activities: list, detail, status changes and evidence.

Anyone sees published activities; the city's own team and its national coordinator also see
unpublished ones and the change history. Another city's unpublished activity answers 404,
exactly like one that does not exist.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja import Status as HttpStatus  # Status is the activity status here
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.accounts.api import require_login
from apps.accounts.scope import scope_of
from apps.networks.api import city_or_404
from apps.progress.models import FINISHED, CityActivity, Evidence, Status
from apps.progress.schemas import (
    ActionIn, CityActivityDetail, CityActivityOut, EvidenceIn, EvidenceOut,
)
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["progress"])

# The transitions name some fields differently from the request body; errors point at the body.
BODY_FIELDS = {"actual_start": "started", "actual_end": "on", "skip_reason": "reason"}


def city_activities(user):
    """Visible activities with what the late and blocked flags need, in a fixed number of
    queries: the prerequisites of each plan activity and each city's open visible activities."""
    open_activities = (
        CityActivity.objects.visible_to(user).exclude(status__in=FINISHED)
        .select_related("plan_activity")
    )
    return (
        CityActivity.objects.visible_to(user)
        .select_related("city", "plan_activity")
        .prefetch_related(
            "plan_activity__prerequisites",
            Prefetch("city__activities", queryset=open_activities, to_attr="open_activities"),
        )
    )


def _visible(user, activity_id, queryset=None):
    queryset = city_activities(user) if queryset is None else queryset
    activity = queryset.filter(pk=activity_id).first()
    if activity is None:
        raise Http404(gettext("Unknown activity: %(id)s.") % {"id": activity_id})
    return activity


def _detail(user, activity_id):
    activity = _visible(user, activity_id, city_activities(user).prefetch_related("evidence"))
    activity.history = (
        list(activity.changes.select_related("by"))
        if scope_of(user).can_read_city(activity.city) else None
    )
    return activity


def _editable(user, activity_id, lock=False):
    # 404 before 403: never confirm that another city's unpublished activity exists.
    visible = CityActivity.objects.visible_to(user).select_related("city", "plan_activity")
    if lock:  # inside a transaction: a concurrent change waits, then sees the new status
        visible = visible.select_for_update(of=("self",))
    activity = _visible(user, activity_id, visible)
    if not scope_of(user).can_edit_city(activity.city):
        raise HttpError(403, gettext("Only the city's coordinators may change its activities."))
    return activity


@router.get("/city-activities", response=list[CityActivityOut])
@paginate(LimitOffsetPagination)
def list_city_activities(request, city: str | None = None, status: Status | None = None):
    activities = city_activities(request.user)
    if city:
        activities = activities.filter(city=city_or_404(city))
    if status:
        activities = activities.filter(status=status)
    return activities


@router.get("/city-activities/{int:activity_id}", response=CityActivityDetail)
def get_city_activity(request, activity_id: int):
    return _detail(request.user, activity_id)


@router.patch("/city-activities/{int:activity_id}", response=CityActivityDetail)
def change_city_activity(request, activity_id: int, payload: ActionIn):
    user = require_login(request)
    try:
        with transaction.atomic():
            _apply(_editable(user, activity_id, lock=True), user, payload)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {BODY_FIELDS.get(name, name): errors for name, errors in error.error_dict.items()}
            ) from None
        raise
    return _detail(user, activity_id)


def _apply(activity, user, payload):
    match payload.action:
        case "start":
            activity.start(user, on=payload.on)
        case "complete":
            activity.complete(user, on=payload.on, started=payload.started)
        case "skip":
            activity.skip(user, payload.reason)
        case "reopen":
            activity.reopen(user)
        case "reschedule":
            if payload.planned_start is None:
                raise ValidationError({"planned_start": gettext("Give the new planned start.")})
            # An omitted end keeps the current one; an explicit null makes it open-ended.
            keep_end = "planned_end" not in payload.model_fields_set
            end = activity.planned_end if keep_end else payload.planned_end
            activity.reschedule(user, payload.planned_start, end)
        case "publish" | "unpublish":
            activity.set_published(user, payload.action == "publish")


@router.post("/city-activities/{int:activity_id}/evidence", response={201: EvidenceOut})
def add_evidence(request, activity_id: int, payload: EvidenceIn):
    user = require_login(request)
    activity = _editable(user, activity_id)
    evidence = Evidence(city_activity=activity, added_by=user, **payload.dict())
    evidence.full_clean()
    evidence.record(user)  # the evidence and its history row in one transaction
    return HttpStatus(201, evidence)
