from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.scope import scope_of
from apps.core.access import access, require_city_edit
from apps.networks.models import City
from apps.progress.forms import (
    EvidenceForm, PerformersForm, ScheduleForm, StatusForm, apply_or_report,
)
from apps.progress.models import CityActivity, Evidence


def _activity(request, slug, number):
    """The city activity if the user may read it; 404 otherwise (never reveal it exists)."""
    city = get_object_or_404(City.objects.select_related("network"), slug=slug)
    activity = (
        CityActivity.objects.visible_to(request.user)
        .filter(city=city, plan_activity__number=number, plan_activity__plan=city.network.plan_id)
        .select_related("plan_activity__plan", "city__network")
        .first()
    )
    if activity is None:
        raise Http404(_("This activity does not exist or is not published."))
    return activity


def _page(request, activity, status_form=None, schedule_form=None, evidence_form=None):
    scope = scope_of(request.user)
    can_read_private = scope.can_read_city(activity.city)
    # Only prerequisites the user may see: a published page must not reveal the status of
    # an unpublished activity.
    prerequisites = list(
        CityActivity.objects.visible_to(request.user).filter(
            city=activity.city, plan_activity__in=activity.plan_activity.prerequisites.all()
        ).select_related("plan_activity").order_by("plan_activity__number")
    )
    return render(request, "progress/activity.html", {
        "activity": activity,
        "plan_activity": activity.plan_activity,
        "city": activity.city,
        "prerequisites": prerequisites,
        "blocked_by": [p for p in prerequisites if p.status not in ("done", "skipped")],
        "late": activity.is_late(timezone.localdate()),
        "evidence": activity.evidence.select_related("added_by"),
        "history": activity.changes.select_related("by")[:50] if can_read_private else None,
        "organisations": activity.organisations.all(),
        "can_edit": scope.can_edit_city(activity.city),
        "sld_number": activity.plan_activity.sld_number(),
        "events": activity.events.visible_to(request.user).order_by("starts_at"),
        "status_form": status_form or StatusForm(),
        "schedule_form": schedule_form or ScheduleForm(initial={
            "planned_start": activity.planned_start, "planned_end": activity.planned_end}),
        "evidence_form": evidence_form or EvidenceForm(),
        "performers_form": PerformersForm(city=activity.city, initial={
            "organisations": [o.pk for o in activity.organisations.all()]}),
    })


@access("public")
def activity_detail(request, slug, number):
    return _page(request, _activity(request, slug, number))


@access("city-edit")
@require_POST
def update_status(request, slug, number):
    activity = _activity(request, slug, number)
    require_city_edit(request, activity.city)
    form = StatusForm(request.POST)
    if form.is_valid() and apply_or_report(form, lambda: form.apply(activity, request.user)):
        messages.success(request, _("Status saved: %(status)s.") % {
            "status": activity.get_status_display()})
        return redirect("progress:activity", slug=slug, number=number)
    return _page(request, activity, status_form=form)


@access("city-edit")
@require_POST
def update_schedule(request, slug, number):
    activity = _activity(request, slug, number)
    require_city_edit(request, activity.city)
    form = ScheduleForm(request.POST)
    if form.is_valid() and apply_or_report(form, lambda: activity.reschedule(
            request.user, form.cleaned_data["planned_start"], form.cleaned_data["planned_end"])):
        messages.success(request, _("Planned dates saved."))
        return redirect("progress:activity", slug=slug, number=number)
    return _page(request, activity, schedule_form=form)


@access("city-edit")
@require_POST
def update_performers(request, slug, number):
    activity = _activity(request, slug, number)
    require_city_edit(request, activity.city)
    form = PerformersForm(request.POST, city=activity.city)
    if form.is_valid():
        activity.set_performers(request.user, list(form.cleaned_data["organisations"]))
        messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("progress:activity", slug=slug, number=number)


@access("city-edit")
@require_POST
def publish(request, slug, number):
    activity = _activity(request, slug, number)
    require_city_edit(request, activity.city)
    published = request.POST.get("published") == "1"
    activity.set_published(request.user, published)
    messages.success(request, _("Published.") if published else _("Unpublished."))
    return redirect("progress:activity", slug=slug, number=number)


@access("city-edit")
@require_POST
def add_evidence(request, slug, number):
    activity = _activity(request, slug, number)
    require_city_edit(request, activity.city)
    form = EvidenceForm(request.POST, request.FILES, instance=Evidence(city_activity=activity))
    if form.is_valid():
        form.instance.record(request.user)
        messages.success(request, _("Evidence added."))
        return redirect("progress:activity", slug=slug, number=number)
    return _page(request, activity, evidence_form=form)



@access("public")
def evidence_file(request, slug, number, pk):
    """Evidence files are served through the same visibility check as their activity."""
    activity = _activity(request, slug, number)
    item = get_object_or_404(activity.evidence.exclude(file=""), pk=pk)
    return FileResponse(item.file.open("rb"), as_attachment=True,
                        filename=item.file.name.rsplit("/", 1)[-1])
