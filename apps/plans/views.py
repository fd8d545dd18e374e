from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.scope import scope_of
from apps.core.access import access, require
from apps.plans.forms import PlanActivityForm
from apps.plans.models import PlanTemplate


def can_edit_plan(user, plan):
    """The national coordinator of the network owning the plan (plans with no owner: admins)."""
    scope = scope_of(user)
    return scope.superuser or (plan.owner_id is not None and plan.owner_id in scope.admin_networks)


@access("public")
def plan_detail(request, pk):
    plan = get_object_or_404(PlanTemplate.objects.select_related("owner", "based_on"), pk=pk)
    activities = plan.activities.prefetch_related("prerequisites")
    return render(request, "plans/plan.html", {
        "plan": plan,
        "activities": activities,
        "versions": PlanTemplate.objects.filter(code=plan.code).order_by("-version"),
        "can_edit": can_edit_plan(request.user, plan),
    })


@access("plan-admin")
@require_POST
def new_version(request, pk):
    plan = get_object_or_404(PlanTemplate, pk=pk)
    require(can_edit_plan(request.user, plan))
    copy = plan.new_version()
    messages.success(request, _("Draft version %(version)s created.") % {"version": copy.version})
    return redirect("plans:detail", pk=copy.pk)


@access("plan-admin")
@require_POST
def publish(request, pk):
    plan = get_object_or_404(PlanTemplate, pk=pk)
    require(can_edit_plan(request.user, plan) and plan.is_editable)
    plan.publish()
    messages.success(request, _("Version %(version)s published; networks can adopt it.") % {
        "version": plan.version})
    return redirect("plans:detail", pk=plan.pk)


@access("plan-admin")
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk, number):
    plan = get_object_or_404(PlanTemplate, pk=pk)
    require(can_edit_plan(request.user, plan))
    activity = get_object_or_404(plan.activities, number=number)
    if not plan.is_editable:
        messages.error(request, _("A published plan cannot change; make a new version."))
        return redirect("plans:detail", pk=plan.pk)
    form = PlanActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Activity %(number)s saved.") % {"number": number})
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/activity_form.html", {"plan": plan, "activity": activity,
                                                         "form": form})
