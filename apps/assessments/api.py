"""The vulnerability assessments: list, detail (scope, risks, vulnerabilities, areas as GeoJSON
features, trends, data gaps) and the writes of those who do the work (the city's coordinators
and experts, the national coordinator). Unreadable assessments answer 404 like missing ones."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja import Status as HttpStatus
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.accounts.api import require_login
from apps.accounts.scope import scope_of
from apps.assessments import exposure
from apps.assessments.models import (
    Assessment, AssessmentChange, AreaExposure, AssessmentScale, RiskArea, RiskRating,
    ScopeGroup, VulnerabilityRating,
)
from apps.assessments.schemas import (
    AreaIn, AreaOut, AssessmentDetail, AssessmentOut, RiskIn, RiskOut, VulnerabilityIn,
    VulnerabilityOut,
)
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["assessments"])


def _visible(user, slug):
    assessment = (Assessment.objects.visible_to(user).filter(city__slug=slug)
                  .select_related("city__network", "lead").first())
    if assessment is None:
        raise Http404(gettext("No assessment of %(slug)s that you may see.") % {"slug": slug})
    return assessment


def _workable(user, slug):
    assessment = _visible(user, slug)  # 404 before 403
    if not scope_of(user).can_assess_city(assessment.city):
        raise HttpError(403, gettext(
            "Only the city's coordinators and experts may change its assessment."))
    return assessment


@router.get("/assessments", response=list[AssessmentOut])
@paginate(LimitOffsetPagination)
def list_assessments(request, network: str | None = None):
    rows = (Assessment.objects.visible_to(request.user)
            .select_related("city__network", "lead").order_by("city__name_en"))
    if network:
        rows = rows.filter(city__network__slug=network)
    # Levels need the network's thresholds: counted in Python from one query per page.
    return _LevelCounted(rows)


class _LevelCounted:
    """A queryset wrapper that adds high/extreme counts to each page of assessments."""

    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return self.rows.count()

    def count(self):
        return self.rows.count()

    def __getitem__(self, index):
        page = list(self.rows[index])
        scales = {s.network_id: s for s in AssessmentScale.objects.filter(
            network__in={a.city.network_id for a in page})}
        scores = {}
        for assessment_id, score in RiskRating.objects.filter(
                assessment__in=page).values_list("assessment", "score"):
            scores.setdefault(assessment_id, []).append(score)
        for assessment in page:
            scale = scales.get(assessment.city.network_id) or AssessmentScale(
                network=assessment.city.network)
            levels = [scale.risk_level(s) for s in scores.get(assessment.pk, [])]
            assessment.risk_count = len(levels)
            assessment.extreme_count = levels.count("extreme")
            assessment.high_count = levels.count("high")
        return page


@router.get("/assessments/{slug}", response=AssessmentDetail)
def get_assessment(request, slug: str):
    assessment = _visible(request.user, slug)
    risks = list(assessment.risks.all())
    vulnerabilities = list(assessment.vulnerabilities.select_related("group"))
    for row in risks + vulnerabilities:
        row.assessment = assessment
    levels = [r.level for r in risks]
    assessment.risk_count = len(risks)
    assessment.extreme_count = levels.count("extreme")
    assessment.high_count = levels.count("high")
    assessment.prepared = {
        "hazards": [h.hazard for h in assessment.hazards.all()],
        "systems": [s.system for s in assessment.systems.all()],
        "groups": list(assessment.groups.all()),
        "risks": [_risk(r) for r in risks],
        "vulnerabilities": [_vulnerability(v) for v in vulnerabilities],
        "areas": list(assessment.areas.prefetch_related(
            "groups", Prefetch("exposures", AreaExposure.objects.select_related("layer")))),
        "trends": list(assessment.trends.prefetch_related("projections")),
        "gaps": [str(gap) for gap in assessment.summary().gaps],
    }
    return assessment


def _risk(rating):
    return {"id": rating.pk, "hazard": rating.hazard, "system": rating.system,
            "likelihood": rating.likelihood, "consequence": rating.consequence,
            "score": rating.score, "level": rating.level,
            "justification_th": rating.justification_th,
            "justification_en": rating.justification_en, "evidence": rating.evidence}


def _vulnerability(rating):
    rating.index = float(rating.index)
    return rating


@router.post("/assessments/{slug}/risks", response={200: RiskOut, 201: RiskOut})
def rate_risk(request, slug: str, payload: RiskIn):
    """Rate a hazard x urban system pair; rating it again replaces the rating (logged)."""
    user = require_login(request)
    assessment = _workable(user, slug)
    rating = RiskRating.objects.filter(assessment=assessment, hazard=payload.hazard,
                                       system=payload.system).first()
    created = rating is None
    before = "" if created else f"{rating.likelihood}×{rating.consequence}"
    rating = rating or RiskRating(assessment=assessment)
    for name, value in payload.dict().items():
        setattr(rating, name, value)
    rating.rated_by = user
    with transaction.atomic():
        rating.save()
        after = f"{rating.likelihood}×{rating.consequence}"
        assessment.log(user, AssessmentChange.Action.RATE,
                       f"{rating.get_hazard_display()} × {rating.get_system_display()}: "
                       + (f"{before} → {after}" if before else after))
    rating.assessment = assessment
    return HttpStatus(201 if created else 200, _risk(rating))


@router.post("/assessments/{slug}/vulnerabilities",
             response={200: VulnerabilityOut, 201: VulnerabilityOut})
def rate_vulnerability(request, slug: str, payload: VulnerabilityIn):
    user = require_login(request)
    assessment = _workable(user, slug)
    if (payload.system is None) == (payload.group is None):
        raise ValidationError({"system": gettext("Give either an urban system or a group.")})
    group = None
    if payload.group is not None:
        group = ScopeGroup.objects.filter(assessment=assessment, pk=payload.group).first()
        if group is None:
            raise ValidationError({"group": gettext("Unknown vulnerable group: %(id)s.")
                                   % {"id": payload.group}})
        lookup = {"group": group}
    else:
        lookup = {"system": payload.system, "group": None}
    rating = VulnerabilityRating.objects.filter(assessment=assessment, **lookup).first()
    created = rating is None
    rating = rating or VulnerabilityRating(assessment=assessment)
    data = payload.dict()
    data.pop("group")
    data["system"] = data["system"] or ""
    for name, value in data.items():
        setattr(rating, name, value)
    rating.group = group
    rating.rated_by = user
    with transaction.atomic():
        rating.save()
        assessment.log(user, AssessmentChange.Action.RATE, f"{rating.target}: {rating.index}")
    rating.assessment = assessment
    return HttpStatus(201 if created else 200, _vulnerability(rating))


@router.post("/assessments/{slug}/areas", response={201: AreaOut})
def add_area(request, slug: str, payload: AreaIn):
    """Add a risk area from a GeoJSON Polygon or MultiPolygon in WGS 84 (repaired when it
    can be, refused saying where when not)."""
    from apps.core.layers import read_geojson_geometry, to_geojson

    user = require_login(request)
    assessment = _workable(user, slug)
    try:
        geometry = to_geojson(read_geojson_geometry(payload.geometry))
    except ValidationError as error:
        raise ValidationError({"geometry": error.messages}) from None
    groups = list(ScopeGroup.objects.filter(assessment=assessment, pk__in=payload.groups))
    if len(groups) != len(set(payload.groups)):
        raise ValidationError({"groups": gettext("Some groups are not of this assessment.")})
    with transaction.atomic():
        area = RiskArea.objects.create(
            assessment=assessment, name_th=payload.name_th, name_en=payload.name_en,
            hazard=payload.hazard, geometry=geometry, source=RiskArea.Source.DRAWN,
            order=assessment.next_order(assessment.areas.all()))
        area.groups.set(groups)
        exposure.refresh(assessment, areas=[area])
        assessment.log(user, AssessmentChange.Action.ADD, f"{RiskArea._meta.verbose_name}: {area}")
    return HttpStatus(201, RiskArea.objects.prefetch_related("groups", "exposures__layer")
                      .get(pk=area.pk))
