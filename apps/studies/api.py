"""Sector studies (with their rounds) and each city's impact graph.

Visibility is the city assessment's: published ones are public, unpublished ones are for the
city's team and the national coordinator (404 to anyone else). Adding nodes and links is
assessment work: the city's coordinators and experts and the national coordinator.
"""
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja import Status as HttpStatus
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.accounts.api import require_login
from apps.accounts.scope import scope_of
from apps.assessments.models import Assessment, RiskArea, RiskRating, ScopeGroup
from apps.networks.api import city_or_404
from apps.studies.models import ImpactLink, ImpactNode, SectorStudy
from apps.studies.schemas import (
    GraphOut, LinkOut, NodeIn, NodeOut, StudyDetail, StudyOut,
)
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["studies"])


def studies(user):
    return (SectorStudy.objects.visible_to(user).with_latest()
            .select_related("assessment__city", "lead").prefetch_related("experts")
            .order_by("assessment__city__slug", "pk"))


@router.get("/studies", response=list[StudyOut])
@paginate(LimitOffsetPagination)
def list_studies(request, city: str | None = None):
    rows = studies(request.user)
    if city:
        rows = rows.filter(assessment__city=city_or_404(city))
    return rows


@router.get("/studies/{int:study_id}", response=StudyDetail)
def get_study(request, study_id: int):
    study = studies(request.user).filter(pk=study_id).first()
    if study is None:
        raise Http404(gettext("Unknown study: %(id)s.") % {"id": study_id})
    study.round_list = list(
        study.versions.order_by("round").select_related("signed_by").prefetch_related(
            Prefetch("risks", RiskRating.objects.order_by("pk")),
            Prefetch("nodes", ImpactNode.objects.order_by("pk")), "attachments"))
    return study


def _assessment(user, slug):
    city = city_or_404(slug)
    assessment = Assessment.objects.visible_to(user).filter(city=city).first()
    if assessment is None:
        raise Http404(gettext("%(city)s has no assessment to show.") % {"city": city.name})
    assessment.city = city
    return assessment


def _assessable(user, slug):
    # 404 before 403: never confirm that another city's unpublished assessment exists.
    assessment = _assessment(user, slug)
    if not scope_of(user).can_assess_city(assessment.city):
        raise HttpError(403, gettext("Only the city's coordinators and experts may change its "
                                     "impact chains."))
    return assessment


@router.get("/cities/{slug}/impact-graph", response=GraphOut)
def impact_graph(request, slug: str):
    assessment = _assessment(request.user, slug)
    graph = ImpactNode.objects.graph(assessment)
    return {"city": slug, "nodes": graph.nodes, "links": graph.links,
            "chains": [[n.pk for n in chain] for chain in graph.chains],
            "truncated": graph.truncated}


@router.post("/cities/{slug}/impact-graph/nodes", response={201: NodeOut})
def add_node(request, slug: str, payload: NodeIn):
    user = require_login(request)
    assessment = _assessable(user, slug)
    values = payload.dict(exclude={"group", "area"})
    values = {k: v or "" for k, v in values.items()}
    node = ImpactNode(assessment=assessment, created_by=user, **values)
    for name, model in (("group", ScopeGroup), ("area", RiskArea)):
        pk = getattr(payload, name)
        if pk is not None:
            found = model.objects.filter(assessment=assessment, pk=pk).first()
            if found is None:
                raise ValidationError({name: gettext("Unknown %(what)s of this assessment: "
                                                     "%(id)s.")
                                       % {"what": model._meta.verbose_name, "id": pk}})
            setattr(node, name, found)
    node.full_clean()
    node.save()
    node.gap_messages = []
    return HttpStatus(201, node)


@router.post("/cities/{slug}/impact-graph/links/{int:from_node}/{int:to_node}",
             response={201: LinkOut})
def add_link(request, slug: str, from_node: int, to_node: int):
    """Link two nodes: `from_node` leads to `to_node` (the rules and their messages are the
    page's: direction, no duplicates, no loops)."""
    user = require_login(request)
    assessment = _assessable(user, slug)
    nodes = ImpactNode.objects.filter(assessment=assessment).in_bulk([from_node, to_node])
    for name, pk in (("from_node", from_node), ("to_node", to_node)):
        if pk not in nodes:
            raise ValidationError({name: gettext("Unknown node of this assessment: %(id)s.")
                                   % {"id": pk}})
    link = ImpactLink.connect(nodes[from_node], nodes[to_node], user)
    return HttpStatus(201, link)
