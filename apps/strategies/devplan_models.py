"""The city's development plan, as imported (apps.strategies.devplan reads the file).

A `DevPlan` holds `PlanItem`s in three levels: strategies, their programmes, their projects.
Projects carry the budget lines (one per year); interventions map to any item. A new import
replaces the previous plan of the city (its mappings are lost, so the page says so).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet
from apps.core.i18n import Localized


class DevPlanQuerySet(CityScopedQuerySet):
    def visible_to(self, user):
        from apps.strategies.models import Strategy

        return self.filter(city__strategy__in=Strategy.objects.visible_to(user))


class DevPlan(models.Model):
    city = models.OneToOneField("networks.City", on_delete=models.CASCADE,
                                related_name="development_plan")
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("first year (CE)"))
    end_year = models.PositiveSmallIntegerField(_("last year (CE)"))
    source_name = models.CharField(_("imported from"), max_length=200, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    objects = DevPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("development plan")

    def __str__(self):
        return self.title

    def integration(self):
        """Items in plan order with their interventions; totals of the plan's project budget
        and of the part mapped to at least one intervention. Three queries."""
        items = list(self.items.prefetch_related("interventions").order_by("order", "pk"))
        projects = [i for i in items if i.kind == PlanItem.Kind.PROJECT]
        total = sum((p.total_budget for p in projects), 0)
        mapped = [p for p in projects if p.interventions.all()]
        resilient = sum((p.total_budget for p in mapped), 0)
        return {"items": items, "total": total, "resilient": resilient,
                "share": (resilient / total * 100) if total else None,
                "mapped": len(mapped), "unmapped": len(projects) - len(mapped)}


class PlanItem(models.Model):
    class Kind(models.TextChoices):
        STRATEGY = "strategy", _("Strategy")
        PROGRAMME = "programme", _("Programme")
        PROJECT = "project", _("Project")

    plan = models.ForeignKey(DevPlan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("level"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=40)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children")
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    # Budget per year, CE year (as text: JSON keys) -> THB; projects only.
    budget = models.JSONField(_("budget by year"), default=dict, blank=True)
    total_budget = models.DecimalField(_("total budget (THB)"), max_digits=16, decimal_places=2,
                                       default=0)
    order = models.PositiveIntegerField(default=0)

    title = Localized("title")

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plan_item_code_once"),
            models.CheckConstraint(condition=Q(kind="strategy") | Q(parent__isnull=False),
                                   name="plan_item_parent_below_strategy"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


def budget_total(items):
    return items.aggregate(total=Sum("total_budget"))["total"] or 0
