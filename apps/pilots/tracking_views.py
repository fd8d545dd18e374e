"""Pages of a pilot's implementation: workplan, budget and spending, progress reports, and the
network's overview of all its pilots.

Reading follows Pilot.objects.visible_to (404 otherwise). Writing (workplan, expenses,
reports) is for the pilot team and the city's editors (403 for other readers); reviewing
reports and closing budget lines for the city's editors only.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.access import access
from apps.networks.models import Network
from apps.pilots import tracking
from apps.pilots.forms import (
    ComponentForm, ExpenseForm, MilestoneForm, ReportForm, ReviewForm, ScheduleForm,
)
from apps.pilots.models import (
    Expense, Milestone, Pilot, PilotBudgetLine, PilotComponent, PilotPhoto, ProgressReport,
)


def pilot_for(request, pk, write=False, review=False):
    pilot = (Pilot.objects.visible_to(request.user).with_progress()
             .select_related("city__network", "proposal").filter(pk=pk).first())
    if pilot is None:
        raise Http404(_("This pilot project does not exist or is not published."))
    if (write and not pilot.can_write(request.user)) or (
            review and not pilot.can_review(request.user)):
        raise PermissionDenied
    return pilot


def visible_pilots(request):
    return Pilot.objects.visible_to(request.user)


def _context(request, pilot, tab, **extra):
    return {"pilot": pilot, "city": pilot.city, "tab": tab,
            "can_write": pilot.can_write(request.user),
            "can_review": pilot.can_review(request.user),
            "slow_spending": tracking.slow_spending(pilot),
            "spent_share": tracking.spent_share(pilot), **extra}


# -- workplan ---------------------------------------------------------------------------------
def _workplan(request, pilot, component_form=None, milestone_form=None, schedule_form=None):
    components = list(tracking.annotate_components(pilot.components.all())
                      .prefetch_related("milestones"))
    today = timezone.localdate()
    for component in components:
        for milestone in component.milestones.all():
            milestone.overdue = milestone.is_overdue(today)
    return render(request, "pilots/workplan.html", _context(
        request, pilot, "workplan", components=components,
        component_form=component_form or ComponentForm(),
        milestone_form=milestone_form or MilestoneForm(pilot=pilot),
        schedule_form=schedule_form or ScheduleForm(instance=pilot)))


@access("public")
def workplan(request, pk):
    return _workplan(request, pilot_for(request, pk))


@access("login")
@require_POST
def schedule(request, pk):
    pilot = pilot_for(request, pk, write=True)
    form = ScheduleForm(request.POST, instance=Pilot.objects.get(pk=pilot.pk))
    if not form.is_valid():
        return _workplan(request, pilot, schedule_form=form)
    form.save()
    messages.success(request, _("Implementation period saved."))
    return redirect("pilots:workplan", pilot.pk)


@access("login")
@require_POST
def component_new(request, pk):
    pilot = pilot_for(request, pk, write=True)
    form = ComponentForm(request.POST)
    if not form.is_valid():
        return _workplan(request, pilot, component_form=form)
    form.instance.pilot = pilot
    form.save()
    messages.success(request, _("Component added."))
    return redirect("pilots:workplan", pilot.pk)


@access("login")
@require_POST
def milestone_new(request, pk):
    pilot = pilot_for(request, pk, write=True)
    form = MilestoneForm(request.POST, pilot=pilot)
    if not form.is_valid():
        return _workplan(request, pilot, milestone_form=form)
    form.save()
    messages.success(request, _("Milestone added."))
    return redirect("pilots:workplan", pilot.pk)


@access("login")
def milestone_edit(request, pk):
    milestone = get_object_or_404(
        Milestone.objects.select_related("component"),
        pk=pk, component__pilot__in=visible_pilots(request))
    pilot = pilot_for(request, milestone.component.pilot_id, write=True)
    form = MilestoneForm(request.POST or None, instance=milestone, pilot=pilot)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Milestone saved."))
        return redirect("pilots:workplan", pilot.pk)
    return render(request, "pilots/milestone_form.html",
                  _context(request, pilot, "workplan", form=form, milestone=milestone))


def _remove(request, pilot, item, heading):
    """GET: the confirm step; POST: delete (refused on a closed pilot), back to the workplan."""
    if request.method == "POST":
        try:
            item.remove()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("“%(title)s” deleted.") % {"title": item.title})
        return redirect("pilots:workplan", pilot.pk)
    return render(request, "pilots/confirm_delete.html", _context(
        request, pilot, "workplan", item=item, heading=heading % {"title": item.title},
        milestones=list(item.milestones.all()) if hasattr(item, "milestones") else []))


@access("login")
@require_http_methods(["GET", "POST"])
def component_delete(request, pk):
    component = get_object_or_404(PilotComponent, pk=pk, pilot__in=visible_pilots(request))
    pilot = pilot_for(request, component.pilot_id, write=True)
    component.pilot = pilot
    return _remove(request, pilot, component, _("Delete the component “%(title)s”?"))


@access("login")
@require_http_methods(["GET", "POST"])
def milestone_delete(request, pk):
    milestone = get_object_or_404(Milestone.objects.select_related("component"), pk=pk,
                                  component__pilot__in=visible_pilots(request))
    pilot = pilot_for(request, milestone.component.pilot_id, write=True)
    milestone.component.pilot = pilot
    return _remove(request, pilot, milestone, _("Delete the milestone “%(title)s”?"))


# -- budget and spending ----------------------------------------------------------------------
def _budget(request, pilot, form=None):
    lines = tracking.line_rows(pilot)
    expenses = list(Expense.objects.filter(line__pilot=pilot).select_related("line")
                    .order_by("-date", "-pk"))
    return render(request, "pilots/budget.html", _context(
        request, pilot, "budget", lines=lines, expenses=expenses,
        total_amount=sum(line.amount for line in lines),
        total_spent=sum(line.spent for line in lines),
        total_remaining=sum(line.remaining for line in lines),
        form=form or ExpenseForm(pilot=pilot)))


@access("public")
def budget(request, pk):
    return _budget(request, pilot_for(request, pk))


@access("login")
@require_POST
def expense_new(request, pk):
    pilot = pilot_for(request, pk, write=True)
    form = ExpenseForm(request.POST, request.FILES, pilot=pilot)
    if form.is_valid():
        expense = form.save(commit=False)
        try:
            expense.record(request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            line = tracking.line_rows(pilot)
            over = [row for row in line if row.pk == expense.line_id and row.overspent]
            if over:
                messages.warning(request, _(
                    "Expense recorded. The line “%(item)s” is now overspent by %(over)s THB.")
                    % {"item": over[0].item, "over": f"{-over[0].remaining:,.2f}"})
            else:
                messages.success(request, _("Expense recorded."))
            return redirect("pilots:budget", pilot.pk)
    return _budget(request, pilot, form)


@access("login")
@require_POST
def line_close(request, pk):
    line = get_object_or_404(PilotBudgetLine, pk=pk, pilot__in=visible_pilots(request))
    pilot_for(request, line.pilot_id, review=True)
    line.closed = request.POST.get("closed", "1") == "1"
    line.save(update_fields=["closed"])
    messages.success(request, _("Budget line closed.") if line.closed
                     else _("Budget line reopened."))
    return redirect("pilots:budget", line.pilot_id)


def _file(field, filename):
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing.")) from None
    return FileResponse(handle, as_attachment=False, filename=filename)


@access("public")
def receipt(request, pk):
    expense = get_object_or_404(Expense, pk=pk, line__pilot__in=visible_pilots(request))
    if not expense.receipt:
        raise Http404(_("This expense has no receipt."))
    return _file(expense.receipt, expense.receipt.name.rsplit("/", 1)[-1])


# -- progress reports -------------------------------------------------------------------------
@access("public")
def reports(request, pk):
    pilot = pilot_for(request, pk)
    return _reports(request, pilot)


def _reports(request, pilot, form=None):
    items = list(pilot.reports.select_related("created_by").prefetch_related("photos"))
    return render(request, "pilots/reports.html", _context(
        request, pilot, "reports", reports=items,
        form=form or ReportForm(initial={"percent": round(pilot.progress)})))


def _save_report(request, form, pilot):
    with transaction.atomic():
        report = form.save(commit=False)
        report.pilot = pilot
        if not report.pk:
            report.created_by = request.user
        report.save()
        if form.cleaned_data.get("photo"):
            PilotPhoto.objects.create(report=report, image=form.cleaned_data["photo"],
                                      caption=form.cleaned_data.get("caption", ""))
    return report


@access("login")
@require_POST
def report_new(request, pk):
    pilot = pilot_for(request, pk, write=True)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _reports(request, pilot, form)
    report = _save_report(request, form, pilot)
    messages.success(request, _("Report saved as a draft."))
    return redirect("pilots:report", report.pk)


def report_for(request, pk):
    return get_object_or_404(ProgressReport.objects.prefetch_related("photos"), pk=pk,
                             pilot__in=visible_pilots(request))


@access("public")
def report(request, pk):
    item = report_for(request, pk)
    pilot = pilot_for(request, item.pilot_id)
    history = list(item.changes.select_related("by"))
    return render(request, "pilots/report.html", _context(
        request, pilot, "reports", report=item, history=history, review_form=ReviewForm()))


@access("login")
def report_edit(request, pk):
    item = report_for(request, pk)
    pilot = pilot_for(request, item.pilot_id, write=True)
    if not item.editable:
        messages.error(request, " ".join(ValidationError(_(
            "This report is %(status)s and can no longer be changed.")
            % {"status": item.get_status_display().lower()}).messages))
        return redirect("pilots:report", item.pk)
    form = ReportForm(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        _save_report(request, form, pilot)
        messages.success(request, _("Report saved."))
        return redirect("pilots:report", item.pk)
    return render(request, "pilots/report_form.html",
                  _context(request, pilot, "reports", form=form, report=item))


@access("login")
@require_POST
def report_submit(request, pk):
    item = report_for(request, pk)
    pilot_for(request, item.pilot_id, write=True)
    try:
        item.submit(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Report submitted to the city's coordinators."))
    return redirect("pilots:report", item.pk)


@access("login")
@require_POST
def report_review(request, pk):
    item = report_for(request, pk)
    pilot = pilot_for(request, item.pilot_id, review=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                item.accept(request.user, form.cleaned_data["comment"])
                messages.success(request, _("Report accepted."))
            else:
                item.send_back(request.user, form.cleaned_data["comment"])
                messages.success(request, _("Report returned to the pilot team."))
            return redirect("pilots:report", item.pk)
        except ValidationError as error:
            form.add_error(None, error.messages)
    history = list(item.changes.select_related("by"))
    return render(request, "pilots/report.html", _context(
        request, pilot, "reports", report=item, history=history, review_form=form))


@access("public")
def photo(request, pk):
    item = get_object_or_404(PilotPhoto, pk=pk, report__pilot__in=visible_pilots(request))
    return _file(item.image, item.image.name.rsplit("/", 1)[-1])


# -- the network's overview -------------------------------------------------------------------
@access("public")
def overview(request, slug):
    network = get_object_or_404(Network, slug=slug)
    pilots = list(Pilot.objects.visible_to(request.user).filter(city__network=network)
                  .with_progress().select_related("city").order_by("city__name_th", "pk"))
    for pilot in pilots:
        pilot.spent_pct = tracking.spent_share(pilot)
        pilot.slow = tracking.slow_spending(pilot)
    by_city = tracking.rollup(pilots)
    cities = sorted({p.city for p in pilots}, key=lambda c: c.name)
    for city in cities:
        city.pilot_progress = by_city.get(city.pk)
    network_progress = tracking.rollup(pilots, key=lambda p: None).get(None)
    return render(request, "pilots/overview.html", {
        "network": network, "pilots": pilots, "cities": cities,
        "network_progress": network_progress})
