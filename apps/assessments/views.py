"""The assessment workspace: the overview (summary, scope, trends), the risk matrix, the
vulnerability table and the map of risk areas, with the forms of those who do the work
(the city's coordinators and experts, the national coordinator: access "city-assess").

Reading follows the assessment: published ones are public, others are for the city's readers
(404 to everyone else, exactly like a missing one)."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.scope import scope_of
from apps.assessments import exposure
from apps.assessments.evidence import EvidenceForm, evidence_for_trends
from apps.assessments.forms import (
    RECORD_FORMS, AreaForm, AreaUploadForm, AssessmentForm, ExposureLayerForm, RiskRatingForm,
    ScaleForm, VulnerabilityForm,
)
from apps.assessments.models import (
    LEVEL_ORDER, Assessment, AssessmentChange, AssessmentScale, Characteristic, ExposureLayer,
    HazardTrend, Level, Projection, RiskArea, RiskRating, ScopeGroup, ScopeHazard, ScopeSystem,
    TrendEvidence, VulnerabilityRating,
)
from apps.core.access import access, require_city_assess, require_network_admin
from apps.core.concurrency import Conflict, conflict_response
from apps.networks.models import City, Network

RECORD_MODELS = {
    "hazard": ScopeHazard, "system": ScopeSystem, "group": ScopeGroup, "trend": HazardTrend,
    "projection": Projection, "risk": RiskRating, "vulnerability": VulnerabilityRating,
    "area": RiskArea, "layer": ExposureLayer, "evidence": TrendEvidence,
}
SECTION = {"hazard": "scope", "system": "scope", "group": "scope", "trend": "trends",
           "projection": "trends"}


# -- lookups ----------------------------------------------------------------------------------
def _city(slug):
    return get_object_or_404(City.objects.select_related("network"), slug=slug)


def _assessment(request, slug):
    """The city's assessment if the user may read it; 404 otherwise."""
    city = _city(slug)
    assessment = (Assessment.objects.visible_to(request.user).filter(city=city)
                  .select_related("lead").first())
    if assessment is None:
        raise Http404(_("This assessment does not exist or is not published."))
    assessment.city = city
    return assessment


def _workable(request, slug):
    assessment = _assessment(request, slug)
    require_city_assess(request, assessment.city)
    return assessment


def _url(name, assessment, anchor=""):
    url = reverse(f"assessments:{name}", args=[assessment.city.slug])
    return f"{url}#{anchor}" if anchor else url


def _context(request, assessment, **extra):
    scope = scope_of(request.user)
    return {"assessment": assessment, "city": assessment.city, "scale": assessment.scale,
            "can_work": scope.can_assess_city(assessment.city),
            "can_publish": scope.can_edit_city(assessment.city),
            "can_read_private": scope.can_read_city(assessment.city), **extra}


# -- overview ---------------------------------------------------------------------------------
@access("public")
def overview(request, slug):
    city = _city(slug)
    assessment = (Assessment.objects.visible_to(request.user).filter(city=city)
                  .select_related("lead").first())
    if assessment is None:
        # Not started yet: those who will do it may start it; others find nothing.
        if scope_of(request.user).can_assess_city(city) \
                and not Assessment.objects.filter(city=city).exists():
            return render(request, "assessments/start.html", {"city": city})
        raise Http404(_("This assessment does not exist or is not published."))
    assessment.city = city
    return _overview(request, assessment)


def _overview(request, assessment, bound=None):
    context = _context(request, assessment)
    forms = {}
    if context["can_work"]:
        forms = {name: form(assessment=assessment) for name, form in RECORD_FORMS.items()}
        forms["settings"] = AssessmentForm(instance=assessment)
        if assessment.trends.exists():
            forms["evidence"] = EvidenceForm(assessment=assessment, user=request.user)
    if bound is not None:
        forms[bound.record] = bound
    trends = list(assessment.trends.prefetch_related("projections"))
    evidence_for_trends(request, trends)
    return render(request, "assessments/overview.html", {
        **context,
        "summary": assessment.summary(),
        "activity8": _studies(assessment),
        "hazards": list(assessment.hazards.all()),
        "systems": list(assessment.systems.all()),
        "groups": list(assessment.groups.all()),
        "trends": trends,
        "forms": forms,
        "bound": bound and bound.record,
        "history": (assessment.changes.select_related("by")[:30]
                    if context["can_read_private"] else None),
    })


def _studies(assessment):
    """Activity 8's work on this assessment (apps.studies): the impact graph's complete chains
    and gaps, and each sector study's latest round. Four queries."""
    from apps.studies.models import ImpactNode, SectorStudy

    graph = ImpactNode.objects.graph(assessment)
    studies = list(SectorStudy.objects.filter(assessment=assessment).with_latest())
    for study in studies:
        study.latest_round = study.rounds_desc[0] if study.rounds_desc else None
    return {"graph": graph, "studies": studies}


@access("city-assess")
@require_POST
def cite_evidence(request, slug):
    assessment = _workable(request, slug)
    form = EvidenceForm(request.POST, assessment=assessment, user=request.user)
    form.record = "evidence"
    if not form.is_valid():
        return _overview(request, assessment, bound=form)
    with transaction.atomic():
        row = form.save(request.user)
        assessment.log(request.user, AssessmentChange.Action.ADD,
                       f"{capfirst(TrendEvidence._meta.verbose_name)}: {row}")
    messages.success(request, _("Climate evidence cited."))
    return redirect(_url("overview", assessment, "trends"))


@access("city-assess")
@require_POST
def start(request, slug):
    city = _city(slug)
    if not scope_of(request.user).can_read_city(city):
        raise Http404(_("This assessment does not exist or is not published."))
    require_city_assess(request, city)
    assessment = Assessment.objects.start(city, request.user)
    messages.success(request, _("The assessment is started with the scope SLD 1 set."))
    return redirect(_url("overview", assessment))


@access("city-assess")
@require_POST
def edit(request, slug):
    assessment = _workable(request, slug)
    form = AssessmentForm(request.POST, instance=assessment)
    form.record = "settings"
    if not form.is_valid():
        return _overview(request, assessment, bound=form)
    try:
        with transaction.atomic():
            form.save()
            assessment.log(request.user, AssessmentChange.Action.EDIT,
                           assessment.get_status_display())
    except Conflict as conflict:
        form.show_conflict(conflict)
        assessment.refresh_from_db()  # the page around the form shows what is saved
        return conflict_response(_overview(request, assessment, bound=form))
    messages.success(request, _("Saved."))
    return redirect(_url("overview", assessment))


@access("city-edit")
@require_POST
def publish(request, slug):
    assessment = _assessment(request, slug)
    # Publishing speaks for the city: its coordinators decide, not the experts.
    if not scope_of(request.user).can_edit_city(assessment.city):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    published = request.POST.get("published") == "1"
    assessment.set_published(request.user, published)
    messages.success(request, _("Published.") if published else _("Unpublished."))
    return redirect(_url("overview", assessment))


@access("city-assess")
@require_POST
def add_record(request, slug, record):
    assessment = _workable(request, slug)
    form = RECORD_FORMS[record](request.POST, assessment=assessment)
    form.record = record
    if not form.is_valid():
        return _overview(request, assessment, bound=form)
    label = capfirst(form.instance._meta.verbose_name)
    with transaction.atomic():
        saved = form.save()
        assessment.log(request.user, AssessmentChange.Action.ADD, f"{label}: {saved}")
    messages.success(request, _("%(what)s added.") % {"what": label})
    return redirect(_url("overview", assessment, SECTION.get(record, "")))


@access("city-assess")
@require_POST
def remove_record(request, slug, record, pk):
    assessment = _workable(request, slug)
    model = RECORD_MODELS[record]
    owner = ({"trend__assessment": assessment} if record in ("projection", "evidence")
             else {"assessment": assessment})
    row = get_object_or_404(model, pk=pk, **owner)
    label = capfirst(row._meta.verbose_name)
    with transaction.atomic():
        assessment.log(request.user, AssessmentChange.Action.REMOVE, f"{label}: {row}")
        row.delete()
    messages.success(request, _("%(what)s removed.") % {"what": label})
    page = {"risk": "risks", "vulnerability": "vulnerability", "area": "areas",
            "layer": "areas"}.get(record, "overview")
    return redirect(_url(page, assessment))


# -- risks ------------------------------------------------------------------------------------
@access("public")
def risks(request, slug):
    return _risks(request, _assessment(request, slug))


def _risks(request, assessment, form=None):
    context = _context(request, assessment)
    scale = assessment.scale
    ratings = list(assessment.risks.select_related("rated_by"))
    cells = {}
    for rank, rating in enumerate(ratings, 1):
        rating.assessment = assessment
        rating.rank = rank  # the number its chip shows in the matrix
        cells.setdefault((rating.likelihood, rating.consequence), []).append(rating)
    # Rows from consequence 5 (top) to 1; columns likelihood 1 to 5, as risk matrices read.
    matrix = [(c, [(l, scale.risk_level(l * c), cells.get((l, c), [])) for l in range(1, 6)])
              for c in range(5, 0, -1)]
    if context["can_work"] and form is None:
        form = RiskRatingForm(assessment=assessment)
    return render(request, "assessments/risks.html", {
        **context, "ratings": ratings, "matrix": matrix, "form": form,
        "levels": [(level, Level(level).label) for level in LEVEL_ORDER],
    })


@access("city-assess")
@require_POST
def rate_risk(request, slug):
    assessment = _workable(request, slug)
    form = RiskRatingForm(request.POST, assessment=assessment)
    if not form.is_valid():
        return _risks(request, assessment, form)
    with transaction.atomic():
        form.instance.rated_by = request.user
        rating = form.save()
        after = f"{rating.likelihood}×{rating.consequence}"
        detail = f"{rating.get_hazard_display()} × {rating.get_system_display()}: "
        detail += f"{form.before} → {after}" if form.before else after
        assessment.log(request.user, AssessmentChange.Action.RATE, detail)
    messages.success(request, _("Risk rated."))
    return redirect(_url("risks", assessment))


# -- vulnerability ----------------------------------------------------------------------------
@access("public")
def vulnerability(request, slug):
    return _vulnerability(request, _assessment(request, slug))


def _vulnerability(request, assessment, form=None):
    context = _context(request, assessment)
    ratings = list(assessment.vulnerabilities.select_related("group"))
    for rating in ratings:
        rating.assessment = assessment
    if context["can_work"] and form is None:
        form = VulnerabilityForm(assessment=assessment)
    return render(request, "assessments/vulnerability.html", {
        **context, "ratings": ratings, "form": form,
        "characteristics": Characteristic.choices,
    })


@access("city-assess")
@require_POST
def rate_vulnerability(request, slug):
    assessment = _workable(request, slug)
    form = VulnerabilityForm(request.POST, assessment=assessment)
    if not form.is_valid():
        return _vulnerability(request, assessment, form)
    with transaction.atomic():
        form.instance.rated_by = request.user
        rating = form.save()
        detail = f"{rating.target}: "
        detail += f"{form.before} → {rating.index}" if form.before else f"{rating.index}"
        assessment.log(request.user, AssessmentChange.Action.RATE, detail)
    messages.success(request, _("Vulnerability rated."))
    return redirect(_url("vulnerability", assessment))


# -- areas ------------------------------------------------------------------------------------
@access("public")
def areas(request, slug):
    return _areas(request, _assessment(request, slug))


def _areas(request, assessment, draw=None, upload=None, layer=None):
    context = _context(request, assessment)
    rows = list(assessment.areas.prefetch_related("groups", "exposures"))
    layers = list(assessment.exposure_layers.all())
    for area in rows:
        values = {e.layer_id: e.value for e in area.exposures.all()}
        area.layer_values = [values.get(l.pk) for l in layers]
    if context["can_work"]:
        draw = draw or AreaForm(assessment=assessment)
        upload = upload or AreaUploadForm()
        layer = layer or ExposureLayerForm()
    city = assessment.city
    return render(request, "assessments/areas.html", {
        **context, "areas": rows, "layers": layers,
        "draw_form": draw, "upload_form": upload, "layer_form": layer,
        "map_data": {
            "areas": {"type": "FeatureCollection", "features": [a.as_feature() for a in rows]},
            "boundary": city.boundary, "center": _center(city),
            "tiles": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION,
        },
    })


def _center(city):
    if city.latitude is not None and city.longitude is not None:
        return [float(city.latitude), float(city.longitude)]
    return None


@access("city-assess")
@require_POST
def draw_area(request, slug):
    assessment = _workable(request, slug)
    form = AreaForm(request.POST, assessment=assessment)
    if not form.is_valid():
        return _areas(request, assessment, draw=form)
    with transaction.atomic():
        area = form.save()
        exposure.refresh(assessment, areas=[area])
        assessment.log(request.user, AssessmentChange.Action.ADD,
                       f"{capfirst(RiskArea._meta.verbose_name)}: {area}")
    messages.success(request, _("Risk area added."))
    return redirect(_url("areas", assessment))


@access("city-assess")
@require_POST
def upload_areas(request, slug):
    assessment = _workable(request, slug)
    form = AreaUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _areas(request, assessment, upload=form)
    with transaction.atomic():
        created = exposure.create_areas(assessment, form.cleaned_data["layer"],
                                        hazard=form.cleaned_data["hazard"],
                                        name_attribute=form.cleaned_data["name_attribute"])
        exposure.refresh(assessment, areas=created)
        assessment.log(request.user, AssessmentChange.Action.ADD,
                       _("%(count)s risk areas uploaded") % {"count": len(created)})
    for warning in form.cleaned_data["layer"].warnings:
        messages.warning(request, warning)
    messages.success(request, _("%(count)s risk areas added.") % {"count": len(created)})
    return redirect(_url("areas", assessment))


@access("city-assess")
@require_POST
def upload_layer(request, slug):
    assessment = _workable(request, slug)
    form = ExposureLayerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _areas(request, assessment, layer=form)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            layer = exposure.create_layer(assessment, data["layer"], name=data["name"],
                                          kind=data["kind"], attribute=data["attribute"],
                                          unit=data["unit"], by=request.user)
            exposure.refresh(assessment, layers=[layer])
            assessment.log(request.user, AssessmentChange.Action.ADD,
                           f"{capfirst(ExposureLayer._meta.verbose_name)}: {layer}")
    except ValidationError as error:
        form.add_error("attribute", error)
        return _areas(request, assessment, layer=form)
    messages.success(request, _("Layer added; exposure computed for every risk area."))
    return redirect(_url("areas", assessment))


@access("public")
def areas_geojson(request, slug):
    assessment = _assessment(request, slug)
    return JsonResponse({"type": "FeatureCollection",
                         "features": [a.as_feature() for a in assessment.areas.all()]})


# -- network scale ----------------------------------------------------------------------------
@access("network-admin")
@require_http_methods(["GET", "POST"])
def scale(request, slug):
    network = get_object_or_404(Network, slug=slug)
    require_network_admin(request, network)
    instance = AssessmentScale.for_network(network)
    form = ScaleForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("assessments:scale", slug=slug)
    return render(request, "assessments/scale.html", {
        "network": network, "form": form, "matrix": instance.matrix_levels()})
