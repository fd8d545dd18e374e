"""The network dashboard's status, late and blocked counts over every city the filter selects.

The dashboard shows one page of cities at a time (a national network has thousands), but its
counts cover them all, with ProgressGrid's rules: only the cells the user may see; late =
unfinished with its planned end passed; blocked = unfinished with an unfinished (visible)
prerequisite in the same city. Here they come from one aggregate query, and the blocked count
from the (city, activity) pairs of the unfinished cells only, not from model instances. A
correlated EXISTS per cell was slower, and its cost estimate switched on PostgreSQL's JIT
compiler, which alone took a second at 2,500 cities.
"""
from django.db.models import Count, Q
from django.utils import timezone

from apps.plans.models import PlanActivity
from apps.progress.models import FINISHED, CityActivity, Status


class NetworkTotals:
    def __init__(self, cities, plan, user, today=None):
        today = today or timezone.localdate()
        self.statuses = {}
        self.late = self.blocked = 0
        if plan is None:
            return
        cells = (CityActivity.objects.visible_to(user)
                 .filter(city__in=cities, plan_activity__plan=plan).order_by())
        unfinished = ~Q(status__in=FINISHED)
        counts = cells.aggregate(
            **{value: Count("id", filter=Q(status=value)) for value in Status.values},
            late=Count("id", filter=unfinished & Q(planned_end__lt=today)))
        self.late = counts.pop("late")
        self.statuses = counts
        # Blocked: only unfinished cells can block or be blocked, so only they are read.
        open_cells = set(cells.filter(unfinished).values_list("city_id", "plan_activity_id"))
        through = PlanActivity.prerequisites.through
        prerequisites = {}
        for source, target in through.objects.filter(from_planactivity__plan=plan).values_list(
                "from_planactivity_id", "to_planactivity_id"):
            prerequisites.setdefault(source, []).append(target)
        self.blocked = sum(
            1 for city, activity in open_cells
            if any((city, p) in open_cells for p in prerequisites.get(activity, ())))

    def status_counts(self):
        return [(value, label, self.statuses.get(value, 0)) for value, label in Status.choices]

    def late_count(self):
        return self.late

    def blocked_count(self):
        return self.blocked
