"""Progress and spending roll-ups, computed by the database in one query per list.

Weights:
- a component's progress is the weighted mean of its milestones' percent complete
  (milestone weights); a component without milestones counts as 0 % done;
- a pilot's progress is the weighted mean of its components' progress (component weights);
  a pilot without a workplan is 0 % done;
- a city's (and a network's) progress is the mean of its pilots' progress weighted by their
  approved budgets: a 2,000,000 THB pilot half done is more of the programme than a
  50,000 THB one. Cancelled pilots are left out. Without budgets (all zero) the plain mean.

Flags:
- overdue milestone: its planned end has passed and it is not done;
- overspent line: spent more than the line's amount (allowed, flagged);
- slow spending: the share of the budget spent is more than SLOW_GAP below the share of the
  implementation period gone by (needs the pilot's start and end dates).
"""
from decimal import Decimal

from django.db.models import (
    Count, DecimalField, Exists, F, FloatField, OuterRef, Subquery, Sum, Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

SLOW_GAP = 0.25  # e.g. 20 % spent when 50 % of the time has gone by


def _sum_by(queryset, group, expression, output):
    """A correlated subquery: SUM(expression) of `queryset` rows grouped by `group`."""
    return Subquery(queryset.order_by().values(group).annotate(total=Sum(expression))
                    .values("total")[:1], output_field=output)


def component_weight_total():
    from apps.pilots.models import Milestone

    return _sum_by(Milestone.objects.filter(component=OuterRef("component")),
                   "component", "weight", FloatField())


def annotate_components(queryset):
    """Each component with `progress` (0-100)."""
    weighted = Sum(F("milestones__percent") * F("milestones__weight"), output_field=FloatField())
    total = Sum("milestones__weight", output_field=FloatField())
    return queryset.annotate(progress=Coalesce(
        Cast(weighted, FloatField()) / Cast(total, FloatField()), Value(0.0)))


def annotate_pilots(queryset, today=None):
    from apps.pilots.models import Expense, Milestone, PilotBudgetLine, PilotComponent

    today = today or timezone.localdate()
    # Each milestone's contribution to its pilot: percent x its share of the component x the
    # component's weight; divided by the pilot's total component weight below.
    contributions = (Milestone.objects.filter(component__pilot=OuterRef("pk"))
                     .annotate(component_total=component_weight_total()))
    numerator = _sum_by(contributions, "component__pilot",
                        Cast(F("percent") * F("weight") * F("component__weight"), FloatField())
                        / F("component_total"), FloatField())
    denominator = _sum_by(PilotComponent.objects.filter(pilot=OuterRef("pk")), "pilot",
                          "weight", FloatField())
    money = DecimalField(max_digits=16, decimal_places=2)
    spent = _sum_by(Expense.objects.filter(line__pilot=OuterRef("pk")), "line__pilot",
                    "amount", money)
    line_spent = _sum_by(Expense.objects.filter(line=OuterRef("pk")), "line", "amount", money)
    overspent = (PilotBudgetLine.objects.filter(pilot=OuterRef("pk"))
                 .annotate(used=line_spent).filter(used__gt=F("amount")))
    overdue = Milestone.objects.filter(
        component__pilot=OuterRef("pk"), planned_end__lt=today).exclude(status="done")
    budget = _sum_by(PilotBudgetLine.objects.filter(pilot=OuterRef("pk")), "pilot", "amount",
                     money)
    return queryset.annotate(
        progress=Coalesce(Cast(numerator, FloatField()) / Cast(denominator, FloatField()),
                          Value(0.0)),
        spent=Coalesce(spent, Value(Decimal("0")), output_field=money),
        lines_total=Coalesce(budget, Value(Decimal("0")), output_field=money),
        has_overspent_line=Exists(overspent),
        has_overdue_milestone=Exists(overdue),
    )


def spent_share(pilot):
    """Spent / approved budget (0-1+), None without a budget."""
    budget = pilot.approved_budget or pilot.lines_total
    return float(pilot.spent / budget) if budget else None


def slow_spending(pilot, today=None):
    from apps.pilots.tracking_models import time_elapsed_share

    elapsed = time_elapsed_share(pilot.start_date, pilot.end_date, today)
    share = spent_share(pilot)
    if elapsed is None or share is None or pilot.status == "cancelled":
        return False
    return share < elapsed - SLOW_GAP


def rollup(pilots, key=lambda p: p.city_id):
    """{key: progress %} weighted by approved budget, from pilots annotated by
    annotate_pilots (no query). key=lambda p: None gives the network's single figure."""
    sums = {}
    for pilot in pilots:
        if pilot.status == "cancelled":
            continue
        weight = float(pilot.approved_budget or 0)
        entry = sums.setdefault(key(pilot), [0.0, 0.0, 0.0, 0])
        entry[0] += pilot.progress * weight
        entry[1] += weight
        entry[2] += pilot.progress
        entry[3] += 1
    return {k: (num / den if den else plain / n) for k, (num, den, plain, n) in sums.items()}


def line_rows(pilot):
    """The pilot's budget lines with `spent`, `remaining` and `overspent`. One query."""
    lines = list(pilot.budget_lines.annotate(
        spent=Coalesce(Sum("expenses__amount"), Value(Decimal("0")),
                       output_field=DecimalField(max_digits=16, decimal_places=2)),
        n_expenses=Count("expenses")).order_by("pk"))
    for line in lines:
        line.remaining = line.amount - line.spent
        line.overspent = line.spent > line.amount
    return lines

