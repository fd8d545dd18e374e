"""Development-plan pages: the plan with what is integrated and the share of its budget that
serves resilience, the import (all or nothing, every bad row listed) and the sample template.
"""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.scope import scope_of
from apps.core.access import access
from apps.strategies.devplan import PlanImportError, import_plan, template_xlsx
from apps.strategies.devplan_models import DevPlan
from apps.strategies.forms import PlanImportForm
from apps.strategies.views import editable_strategy, interventions_of, strategy_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, strategy, form=None, problems=None, status=200):
    plan = DevPlan.objects.filter(city=strategy.city).first() if strategy.pk else None
    interventions = interventions_of(strategy)
    return render(request, "strategies/devplan.html", {
        "city": strategy.city, "strategy": strategy, "plan": plan,
        "integration": plan.integration() if plan else None,
        "unmapped_interventions": [i for i in interventions if not i.plan_items.all()],
        "can_manage": scope_of(request.user).can_edit_city(strategy.city),
        "form": form or PlanImportForm(), "problems": problems,
    }, status=status)


@access("public")
def devplan(request, slug):
    return _page(request, strategy_for(request, slug))


@access("city-edit")
@require_POST
def devplan_import(request, slug):
    strategy = editable_strategy(request, slug)
    form = PlanImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, strategy, form)  # the form with its messages
    data = form.cleaned_data
    try:
        plan = import_plan(strategy.city, data["file"], data["title"], data["first_year"],
                           data["last_year"], request.user)
    except PlanImportError as error:
        return _page(request, strategy, form, error.problems)
    messages.success(request, _("Imported %(n)s plan items; nothing else changed.") % {
        "n": plan.items.count()})
    return redirect(reverse("strategies:devplan", args=[slug]))


@access("public")
def devplan_template(request):
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="development-plan-template.xlsx"'
    return response
