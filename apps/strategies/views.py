"""Pages of the city's resilience strategy: the strategy (vision, issues, interventions, gaps,
what other cities did, what evaluations recommend), the ranked list with its chart, versions,
adoption, and the PDF.

Visibility: a published strategy is public; a draft is for the city's readers (404 to anyone
else, like a missing page). Editing is for the city's editors ("city-edit"); an adopted or
submitted strategy refuses edits until a new version is started.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.scope import scope_of
from apps.core.access import access, require_city_edit
from apps.networks.models import City
from apps.strategies.forms import InterventionForm, IssueForm, StatusForm, StrategyForm
from apps.strategies.funding_models import FunderProposal
from apps.strategies.models import (
    Intervention, StrategicIssue, Strategy, StrategyVersion, compare_versions,
)


# -- lookups ----------------------------------------------------------------------------------
def _city(slug):
    return get_object_or_404(City.objects.select_related("network"), slug=slug)


def strategy_for(request, slug):
    """The city's strategy if the user may read it, else 404. The city's editors get an
    unsaved one to start from."""
    city = _city(slug)
    strategy = Strategy.objects.visible_to(request.user).filter(city=city).first()
    if strategy is None:
        if not (scope_of(request.user).can_edit_city(city)
                and not Strategy.objects.filter(city=city).exists()):
            raise Http404(_("This strategy does not exist or is not published."))
        strategy = Strategy(city=city)
    strategy.city = city
    return strategy


def editable_strategy(request, slug, *, create=True, check_status=True):
    strategy = strategy_for(request, slug)
    require_city_edit(request, strategy.city)
    if create and strategy.pk is None:
        strategy, _created = Strategy.objects.get_or_create(
            city=strategy.city, defaults={"created_by": request.user})
    return strategy


def _refuse_read_only(request, strategy):
    """The redirect back with the message, or None when the strategy may change."""
    try:
        strategy.check_editable()
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(strategy_url(strategy))
    return None


def strategy_url(strategy):
    return reverse("strategies:detail", args=[strategy.city.slug])


def interventions_of(strategy):
    """The interventions with everything the pages show, in six queries."""
    if strategy.pk is None:
        return []
    return list(strategy.interventions.select_related("issue").prefetch_related(
        "risks__assessment", "groups", "areas", "agencies", "plan_items"))


# -- the strategy -----------------------------------------------------------------------------
@access("public")
def detail(request, slug):
    from apps.evaluations.models import recommendations_for_strategy
    from apps.practices.similar import similar_for_city

    strategy = strategy_for(request, slug)
    city = strategy.city
    can_edit = scope_of(request.user).can_edit_city(city)
    scoring = strategy.scoring()
    interventions = scoring.ranked(interventions_of(strategy))
    issues = list(strategy.issues.prefetch_related("risks")) if strategy.pk else []
    return render(request, "strategies/detail.html", {
        "city": city, "strategy": strategy, "can_edit": can_edit and not strategy.read_only,
        "can_manage": can_edit, "issues": issues, "interventions": interventions,
        "gaps": strategy.gaps() if strategy.pk else None,
        "scoring": scoring,
        "similar": similar_for_city(city, request.user),
        "recommendations": list(recommendations_for_strategy(city, request.user)[:10]),
        "status_form": StatusForm() if can_edit else None,
        "versions": list(strategy.versions.all()[:10]) if strategy.pk else [],
        "issue_form": IssueForm(strategy=strategy) if can_edit and strategy.pk else None,
        "proposals": list(FunderProposal.objects.filter(intervention__strategy=strategy)
                          .prefetch_related("submissions")) if strategy.pk else [],
    })


@access("city-edit")
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    strategy = editable_strategy(request, slug, create=False)
    if strategy.pk and (refused := _refuse_read_only(request, strategy)):
        return refused
    form = StrategyForm(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        strategy = form.save(commit=False)
        if strategy.pk is None:
            strategy.created_by = request.user
        strategy.save()
        messages.success(request, _("Strategy saved."))
        return redirect(strategy_url(strategy))
    return render(request, "strategies/form.html", {
        "city": strategy.city, "strategy": strategy, "form": form,
        "title": _("Vision and publication")}, status=400 if form.errors else 200)


@access("city-edit")
@require_POST
def issue_add(request, slug):
    strategy = editable_strategy(request, slug)
    if refused := _refuse_read_only(request, strategy):
        return refused
    form = IssueForm(request.POST, strategy=strategy)
    if form.is_valid():
        with transaction.atomic():
            issue = form.save(commit=False)
            issue.strategy = strategy
            issue.order = strategy.issues.count() + 1
            issue.save()
            form.save_m2m()
        messages.success(request, _("Strategic issue added."))
    else:
        messages.error(request, "; ".join(f"{form.fields[k].label if k in form.fields else ''}: "
                                          f"{' '.join(v)}" for k, v in form.errors.items()))
    return redirect(strategy_url(strategy))


@access("city-edit")
@require_POST
def issue_remove(request, slug, pk):
    strategy = editable_strategy(request, slug)
    issue = get_object_or_404(StrategicIssue, strategy=strategy, pk=pk)
    if refused := _refuse_read_only(request, strategy):
        return refused
    issue.delete()
    messages.success(request, _("Strategic issue removed."))
    return redirect(strategy_url(strategy))


def _intervention_form(request, strategy, instance=None):
    scoring = strategy.scoring()
    form = InterventionForm(request.POST or None, instance=instance, strategy=strategy,
                            scoring=scoring)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            intervention = form.save()
        messages.success(request, _("Intervention “%(title)s” saved.") % {
            "title": intervention.title})
        return redirect(strategy_url(strategy) + "#interventions")
    return render(request, "strategies/intervention_form.html", {
        "city": strategy.city, "strategy": strategy, "form": form, "intervention": instance,
    }, status=400 if form.errors else 200)


@access("city-edit")
@require_http_methods(["GET", "POST"])
def intervention_add(request, slug):
    strategy = editable_strategy(request, slug)
    if refused := _refuse_read_only(request, strategy):
        return refused
    return _intervention_form(request, strategy)


@access("city-edit")
@require_http_methods(["GET", "POST"])
def intervention_edit(request, slug, pk):
    strategy = editable_strategy(request, slug)
    intervention = get_object_or_404(Intervention, strategy=strategy, pk=pk)
    if refused := _refuse_read_only(request, strategy):
        return refused
    return _intervention_form(request, strategy, intervention)


@access("city-edit")
@require_POST
def intervention_remove(request, slug, pk):
    strategy = editable_strategy(request, slug)
    intervention = get_object_or_404(Intervention, strategy=strategy, pk=pk)
    if refused := _refuse_read_only(request, strategy):
        return refused
    intervention.delete()
    messages.success(request, _("Intervention removed."))
    return redirect(strategy_url(strategy) + "#interventions")


# -- prioritisation ---------------------------------------------------------------------------
@access("public")
def ranking(request, slug):
    strategy = strategy_for(request, slug)
    scoring = strategy.scoring()
    ranked = scoring.ranked(interventions_of(strategy))
    chart = {
        "label_x": _("Feasibility (1-5)"), "label_y": _("Resilience (share of characteristics, %)"),
        "points": [{"x": float(i.feasibility_score), "y": round(float(i.resilience_share) * 100, 1),
                    "label": i.title, "rank": n}
                   for n, i in enumerate(ranked, 1) if i.feasibility_score is not None],
    }
    return render(request, "strategies/ranking.html", {
        "city": strategy.city, "strategy": strategy, "ranked": ranked, "scoring": scoring,
        "chart": chart,
        "can_edit_scales": scope_of(request.user).can_admin_network(strategy.city.network),
    })


# -- versions and adoption --------------------------------------------------------------------
@access("city-edit")
@require_POST
def save_version(request, slug):
    strategy = editable_strategy(request, slug)
    version = strategy.save_version(request.user, request.POST.get("note", ""))
    messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
    return redirect(reverse("strategies:versions", args=[slug]))


@access("public")
def versions(request, slug):
    strategy = strategy_for(request, slug)
    rows = list(strategy.versions.select_related("created_by")) if strategy.pk else []
    by_number = {v.number: v for v in rows}
    diff = None
    try:
        a, b = int(request.GET.get("a", 0)), int(request.GET.get("b", 0))
    except ValueError:
        a = b = 0
    if a in by_number and b in by_number:
        diff = compare_versions(by_number[a].snapshot, by_number[b].snapshot)
    return render(request, "strategies/versions.html", {
        "city": strategy.city, "strategy": strategy, "versions": rows, "diff": diff,
        "a": a, "b": b, "can_manage": scope_of(request.user).can_edit_city(strategy.city),
    })


@access("city-edit")
@require_POST
def set_status(request, slug):
    strategy = editable_strategy(request, slug)
    form = StatusForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            strategy.set_status(form.cleaned_data["status"], request.user,
                                decided_on=form.cleaned_data["decided_on"],
                                evidence=form.cleaned_data["evidence"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Status: %(status)s.") % {
                "status": strategy.get_status_display()})
    else:
        messages.error(request, " ".join(" ".join(v) for v in form.errors.values()))
    return redirect(strategy_url(strategy))


@access("city-edit")
@require_POST
def new_version(request, slug):
    strategy = editable_strategy(request, slug)
    try:
        strategy.start_new_version(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new draft version is open for editing."))
    return redirect(strategy_url(strategy))


@access("public")
def evidence(request, slug):
    from apps.studies.files import content_type

    strategy = strategy_for(request, slug)
    if not strategy.evidence:
        raise Http404(_("No evidence attached."))
    return FileResponse(strategy.evidence.open("rb"), as_attachment=True,
                        filename=strategy.evidence.name.rsplit("/", 1)[-1],
                        content_type=content_type(strategy.evidence_type))


@access("public")
def pdf(request, slug):
    """The strategy as PDF (Chromium print: Thai text stays exact). Visibility first: a draft
    the user may not read is a 404 before anything is rendered."""
    from apps.events.pdf import html_to_pdf

    strategy = strategy_for(request, slug)
    if strategy.pk is None:
        raise Http404(_("This strategy does not exist or is not published."))
    scoring = strategy.scoring()
    html = render_to_string("strategies/print.html", {
        "city": strategy.city, "strategy": strategy, "scoring": scoring,
        "issues": list(strategy.issues.all()),
        "interventions": scoring.ranked(interventions_of(strategy)),
        "gaps": strategy.gaps(),
    }, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="strategy-{strategy.city.slug}.pdf"'
    return response
