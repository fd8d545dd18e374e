"""Plan templates. Published plans are public; drafts only to their owner network's
national coordinator, the people who may still change them."""
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja.pagination import paginate

from apps.accounts.scope import scope_of
from apps.plans.models import PlanTemplate
from apps.plans.schemas import PlanDetail, PlanOut
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["plans"])


def visible_plans(user):
    scope = scope_of(user)
    if scope.superuser:
        return PlanTemplate.objects.all()
    return PlanTemplate.objects.filter(
        Q(status=PlanTemplate.Status.PUBLISHED) | Q(owner__in=scope.admin_networks)
    )


@router.get("/plans", response=list[PlanOut])
@paginate(LimitOffsetPagination)
def list_plans(request):
    return visible_plans(request.user)


@router.get("/plans/{int:plan_id}", response=PlanDetail)
def get_plan(request, plan_id: int):
    plan = visible_plans(request.user).prefetch_related("activities__prerequisites").filter(
        pk=plan_id
    ).first()
    if plan is None:
        raise Http404(gettext("Unknown plan: %(id)s.") % {"id": plan_id})
    return plan
