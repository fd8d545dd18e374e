"""Expert evaluations, read-only: published ones for everyone, unpublished ones for the city's
team and the national coordinator (404 to anyone else, like a missing one)."""
from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja.pagination import paginate

from apps.evaluations.models import Evaluation
from apps.evaluations.schemas import EvaluationDetail, EvaluationOut
from apps.networks.api import city_or_404
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["evaluations"])


@router.get("/evaluations", response=list[EvaluationOut])
@paginate(LimitOffsetPagination)
def list_evaluations(request, city: str | None = None):
    rows = (Evaluation.objects.visible_to(request.user)
            .select_related("city", "signed_off_by").prefetch_related("evaluators")
            .order_by("city__slug", "pk"))
    if city:
        rows = rows.filter(city=city_or_404(city))
    return rows


@router.get("/evaluations/{int:evaluation_id}", response=EvaluationDetail)
def get_evaluation(request, evaluation_id: int):
    evaluation = (Evaluation.objects.visible_to(request.user).for_detail()
                  .filter(pk=evaluation_id).first())
    if evaluation is None:
        raise Http404(gettext("Unknown evaluation: %(id)s.") % {"id": evaluation_id})
    return evaluation
