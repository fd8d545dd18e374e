"""Pages of a city's M&E framework and its indicator reports.

Reading: the city's readers (others 404, as for a missing record); a pilot's reports also its
team (Pilot.is_team). Framework changes and imports: the city's editors (readers 403). Values
and submitting: the city's editors and, on a pilot's report, its team. Returning, approving,
locking: the city's editors only.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.scope import scope_of
from apps.core.access import access
from apps.monitoring import forms as f
from apps.monitoring.models import (
    Criterion, Indicator, LibraryIndicator, Period, Report, Target, Value, ValueImport,
)
from apps.networks.models import City
from apps.pilots.models import Pilot


def city_for(request, slug, edit=False):
    city = get_object_or_404(City.objects.select_related("network"), slug=slug)
    scope = scope_of(request.user)
    if not scope.can_read_city(city):
        raise Http404(_("This city's monitoring is not published."))
    if edit and not scope.can_edit_city(city):
        raise PermissionDenied
    return city


def report_for(request, pk, write=False, review=False):
    report = (Report.objects.visible_to(request.user)
              .select_related("city__network", "period", "pilot__proposal").filter(pk=pk)
              .first())
    if report is None:
        raise Http404(_("This report does not exist or is not yours to see."))
    if (write and not report.can_write(request.user)) or (
            review and not report.can_review(request.user)):
        raise PermissionDenied
    return report


def _framework(request, city, status=200, **forms):
    can_edit = scope_of(request.user).can_edit_city(city)
    periods = list(Period.objects.filter(city=city))
    indicators = list(Indicator.objects.filter(city=city)
                      .select_related("criterion", "pilot", "library", "sld_indicator")
                      .prefetch_related(Prefetch("targets", Target.objects.all())))
    criteria = list(Criterion.objects.filter(city=city))
    for criterion in criteria:
        criterion.rows = [i for i in indicators if i.criterion_id == criterion.pk]
    for indicator in indicators:
        by_period = {t.period_id: t.value for t in indicator.targets.all()}
        indicator.target_row = [by_period.get(p.pk) for p in periods]
    reports = list(Report.objects.filter(city=city).select_related("period", "pilot"))
    pilots = Pilot.objects.filter(city=city)
    library = list(LibraryIndicator.objects.filter(network=city.network))
    return render(request, "monitoring/framework.html", {
        "city": city, "criteria": criteria, "periods": periods, "reports": reports,
        "can_edit": can_edit, "library": library,
        "imports": list(ValueImport.objects.filter(city=city)[:5]) if can_edit else [],
        "criterion_form": forms.get("criterion_form") or f.CriterionForm(),
        "period_form": forms.get("period_form") or f.PeriodForm(city=city),
        "library_form": forms.get("library_form") or f.LibraryPickForm(city=city),
        "open_form": forms.get("open_form") or f.OpenReportForm(city=city, pilots=pilots),
    }, status=status)


@access("login")
def framework(request, slug):
    return _framework(request, city_for(request, slug))


@access("city-edit")
@require_POST
def start_from_sld3(request, slug):
    city = city_for(request, slug, edit=True)
    added = Criterion.objects.start_from_sld3(city)
    if added:
        messages.success(request, _("%(n)s indicators agreed at SLD 3 were added.") % {"n": added})
    else:
        messages.info(request, _("No new indicators: SLD 3 has none recorded, or all are in "
                                 "the framework already."))
    return redirect("monitoring:framework", slug=city.slug)


@access("city-edit")
@require_POST
def criterion_new(request, slug):
    city = city_for(request, slug, edit=True)
    form = f.CriterionForm(request.POST)
    if not form.is_valid():
        return _framework(request, city, criterion_form=form)
    form.instance.city = city
    form.save()
    return redirect("monitoring:framework", slug=city.slug)


@access("city-edit")
@require_POST
def period_new(request, slug):
    city = city_for(request, slug, edit=True)
    form = f.PeriodForm(request.POST, city=city)
    if not form.is_valid():
        return _framework(request, city, period_form=form)
    form.save()
    return redirect("monitoring:framework", slug=city.slug)


@access("city-edit")
@require_POST
def library_pick(request, slug):
    city = city_for(request, slug, edit=True)
    form = f.LibraryPickForm(request.POST, city=city)
    if not form.is_valid():
        return _framework(request, city, library_form=form)
    added = Indicator.objects.pick_from_library(form.cleaned_data["criterion"],
                                                form.cleaned_data["indicators"])
    messages.success(request, _("%(n)s library indicators added.") % {"n": len(added)})
    return redirect("monitoring:framework", slug=city.slug)


def _indicator_page(request, city, form, indicator=None):
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(reverse("monitoring:framework", args=[city.slug]) + "#indicators")
    return render(request, "monitoring/indicator_form.html", {
        "city": city, "form": form, "indicator": indicator,
    }, status=400 if request.method == "POST" else 200)


@access("city-edit")
def indicator_new(request, slug):
    city = city_for(request, slug, edit=True)
    form = f.IndicatorForm(request.POST or None, city=city)
    return _indicator_page(request, city, form)


@access("city-edit")
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user)
                                  .select_related("city__network"), pk=pk)
    city = city_for(request, indicator.city.slug, edit=True)
    form = f.IndicatorForm(request.POST or None, instance=indicator, city=city)
    return _indicator_page(request, city, form, indicator)


@access("city-edit")
def targets(request, pk):
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user)
                                  .select_related("city__network"), pk=pk)
    city = city_for(request, indicator.city.slug, edit=True)
    periods = list(Period.objects.filter(city=city))
    form = f.TargetsForm(request.POST or None, indicator=indicator, periods=periods)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            indicator.targets.all().delete()
            Target.objects.bulk_create(
                Target(indicator=indicator, period=p, value=form.cleaned_data[f"p{p.pk}"])
                for p in periods if form.cleaned_data.get(f"p{p.pk}") is not None)
        messages.success(request, _("Targets saved."))
        return redirect(reverse("monitoring:framework", args=[city.slug]) + "#targets")
    return render(request, "monitoring/targets.html", {
        "city": city, "indicator": indicator, "form": form,
    }, status=400 if request.method == "POST" else 200)


@access("login")
@require_POST
def report_open(request, slug):
    """Open (or find) the report of a period, city-wide or of a pilot, and go to its grid."""
    city = get_object_or_404(City, slug=slug)
    scope = scope_of(request.user)
    pilots = Pilot.objects.visible_to(request.user).filter(city=city)
    team = pilots.filter(proposal__proponent=request.user) if request.user.is_authenticated \
        else pilots.none()
    if not scope.can_edit_city(city):
        if not team.exists():
            raise Http404 if not scope.can_read_city(city) else PermissionDenied
        pilots = team
    form = f.OpenReportForm(request.POST, city=city, pilots=pilots)
    back = redirect("monitoring:framework", slug=city.slug) if scope.can_read_city(city) \
        else redirect("home")
    if not form.is_valid():
        messages.error(request, _("Choose a period."))
        return back
    pilot = form.cleaned_data["pilot"]
    if pilot is None and not scope.can_edit_city(city):
        messages.error(request, _("Choose your pilot project."))
        return back
    report = Report.objects.filter(city=city, pilot=pilot,
                                   period=form.cleaned_data["period"]).first()
    if report is None:
        report = Report.objects.create(city=city, pilot=pilot, period=form.cleaned_data["period"])
    return redirect("monitoring:report-edit", pk=report.pk)


def _grid(report, values, targets=None, totals=None):
    """Rows for the grid: each indicator with its cells [(category, value)]."""
    indicators = list(report.indicators())
    by_key = {(v.indicator_id, v.category): v for v in values}
    rows = []
    for indicator in indicators:
        cells = [(c, by_key.get((indicator.pk, c))) for c in indicator.categories()]
        rows.append({"indicator": indicator, "cells": cells,
                     "target": (targets or {}).get(indicator.pk),
                     "running": (totals or {}).get(indicator.pk)})
    return rows


def _running_totals(report):
    """Cumulative indicators' running totals up to this period: approved values of earlier
    periods plus this report's own total (one query)."""
    rows = (Value.objects.approved()
            .filter(report__city_id=report.city_id, report__pilot_id=report.pilot_id,
                    report__period__start__lte=report.period.start, category="",
                    indicator__cumulative=True, number__isnull=False)
            .exclude(report=report).values("indicator_id").annotate(total=Sum("number")))
    return {r["indicator_id"]: r["total"] for r in rows}


@access("login")
def report(request, pk):
    item = report_for(request, pk)
    values = list(item.values.all())
    targets = dict(Target.objects.filter(period=item.period, indicator__city=item.city)
                   .values_list("indicator_id", "value"))
    totals = _running_totals(item)
    own = {v.indicator_id: v.number for v in values if v.category == "" and v.number is not None}
    for key, number in own.items():
        totals[key] = totals.get(key, 0) + number
    return render(request, "monitoring/report.html", {
        "report": item, "city": item.city, "rows": _grid(item, values, targets, totals),
        "can_write": item.can_write(request.user) and item.is_open(),
        "can_review": item.can_review(request.user), "review_form": f.ReviewForm(),
    })


@access("login")
def report_edit(request, pk):
    item = report_for(request, pk, write=True)
    if not item.is_open():
        messages.info(request, _("This report takes no more values."))
        return redirect("monitoring:report", pk=item.pk)
    errors = {}
    if request.method == "POST":
        cells = {}
        for name, raw in request.POST.items():
            if not name.startswith("v|"):
                continue
            _prefix, indicator, category = name.split("|", 2)
            if indicator.isdigit():
                cells[(int(indicator), category)] = (raw, request.POST.get(
                    f"n|{indicator}|{category}", ""))
        errors = item.save_values(cells, request.user)
        if not errors:
            messages.success(request, _("Values saved."))
            return redirect("monitoring:report-edit", pk=item.pk)
        messages.error(request, _("Nothing was saved: correct the cells marked below."))
    posted = request.POST if request.method == "POST" else None
    rows = _grid(item, list(item.values.all()))
    for row in rows:
        row["inputs"] = []
        for category, value in row["cells"]:
            key = (row["indicator"].pk, category)
            if posted is not None:
                raw = posted.get(f"v|{key[0]}|{category}", "")
                note = posted.get(f"n|{key[0]}|{category}", "")
            else:
                raw = "" if value is None else (value.text or (
                    "" if value.number is None else f"{value.number.normalize():f}"))
                note = value.note if value else ""
            row["inputs"].append({"category": category, "raw": raw, "note": note,
                                  "error": errors.get(key)})
    return render(request, "monitoring/report_edit.html", {
        "report": item, "city": item.city, "rows": rows, "general": errors.get((None, "")),
    }, status=400 if errors else 200)


@access("login")
@require_POST
def report_submit(request, pk):
    item = report_for(request, pk, write=True)
    try:
        item.submit(request.user)
        messages.success(request, _("Report submitted for review."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("monitoring:report", pk=item.pk)


@access("login")
@require_POST
def report_review(request, pk):
    item = report_for(request, pk, review=True)
    form = f.ReviewForm(request.POST)
    if form.is_valid():
        action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
        try:
            if action == "return":
                item.return_(request.user, comment)
            elif action == "approve":
                item.approve(request.user)
            else:
                item.lock(request.user)
            messages.success(request, _("Report updated."))
            return redirect("monitoring:report", pk=item.pk)
        except ValidationError as error:
            problems = (error.message_dict.get("comment", error.messages)
                        if hasattr(error, "error_dict") else error.messages)
            form.add_error("comment" if action == "return" else None, problems[0])
    values = list(item.values.all())
    return render(request, "monitoring/report.html", {
        "report": item, "city": item.city, "rows": _grid(item, values),
        "can_write": item.can_write(request.user) and item.is_open(),
        "can_review": True, "review_form": form,
    })


@access("login")
def report_history(request, pk):
    item = report_for(request, pk)
    return render(request, "monitoring/history.html", {
        "report": item, "city": item.city,
        "changes": item.changes.select_related("by"),
    })


@access("city-edit")
def import_values(request, slug):
    city = city_for(request, slug, edit=True)
    form = f.ImportForm(request.POST or None, request.FILES or None, city=city)
    if request.method == "POST" and form.is_valid():
        from apps.monitoring.tasks import start_import

        job = start_import(city, form.cleaned_data["pilot"], form.cleaned_data["file"],
                           request.user)
        return redirect("monitoring:import", pk=job.pk)
    return render(request, "monitoring/import_form.html", {
        "city": city, "form": form,
    }, status=400 if request.method == "POST" else 200)


def _job(request, pk):
    job = get_object_or_404(ValueImport.objects.visible_to(request.user)
                            .select_related("city__network", "pilot"), pk=pk)
    city_for(request, job.city.slug, edit=True)
    return job


@access("city-edit")
def import_status(request, pk):
    job = _job(request, pk)
    return render(request, "monitoring/import.html", {
        "city": job.city, "job": job, "errors": job.error_messages(),
    })


@access("city-edit")
def import_poll(request, pk):
    """What the progress bar polls."""
    job = _job(request, pk)
    return JsonResponse({"status": job.status, "status_label": job.get_status_display(),
                         "progress": job.progress, "rows_done": job.rows_done,
                         "rows_total": job.rows_total})


@access("login")
def pilot_reports(request, pk):
    """A pilot's indicators and reports, for its team and the city's readers."""
    pilot = (Pilot.objects.visible_to(request.user).select_related("city__network", "proposal")
             .filter(pk=pk).first())
    if pilot is None:
        raise Http404
    readable = scope_of(request.user).can_read_city(pilot.city) or pilot.is_team(request.user)
    if not readable:
        raise Http404
    can_write = (scope_of(request.user).can_edit_city(pilot.city)
                 or pilot.is_team(request.user))
    return render(request, "monitoring/pilot_reports.html", {
        "pilot": pilot, "city": pilot.city, "can_write": can_write,
        "indicators": list(Indicator.objects.filter(pilot=pilot).select_related("criterion")),
        "reports": list(Report.objects.filter(pilot=pilot).select_related("period")),
        "open_form": f.OpenReportForm(city=pilot.city, pilots=Pilot.objects.filter(pk=pilot.pk),
                                      initial={"pilot": pilot.pk}),
    })

