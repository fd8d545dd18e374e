"""The cities x activities grid behind the dashboard and the city page.

Loads every visible city activity of the given cities in one query and the plan's
prerequisite edges in another, then derives the late and blocked flags in Python, so the
number of queries stays the same however many cities and activities there are.
"""
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from apps.plans.models import PlanActivity
from apps.progress.models import FINISHED, CityActivity, Status


@dataclass
class Cell:
    activity: CityActivity
    late: bool
    blocked_by: list = field(default_factory=list)  # prerequisite CityActivity objects

    @property
    def blocked(self):
        return bool(self.blocked_by)

    @property
    def status(self):
        return self.activity.status


class ProgressGrid:
    def __init__(self, cities, plan, user, today=None):
        self.today = today or timezone.localdate()
        self.cities = list(cities)
        self.plan_activities = list(PlanActivity.objects.filter(plan=plan)) if plan else []
        rows = (
            CityActivity.objects.visible_to(user)
            .filter(city__in=[c.pk for c in self.cities], plan_activity__plan=plan)
            .select_related("plan_activity")
        )
        self.cells = {}
        for activity in rows:
            self.cells[(activity.city_id, activity.plan_activity_id)] = activity
        through = PlanActivity.prerequisites.through
        edges = {}
        for source, target in through.objects.filter(from_planactivity__plan=plan).values_list(
            "from_planactivity_id", "to_planactivity_id"
        ):
            edges.setdefault(source, []).append(target)
        self._edges = edges
        self._built = {}
        for (city_id, activity_id), activity in self.cells.items():
            blockers = [
                self.cells[(city_id, prerequisite)]
                for prerequisite in edges.get(activity_id, [])
                if (city_id, prerequisite) in self.cells
                and self.cells[(city_id, prerequisite)].status not in FINISHED
            ]
            blockers.sort(key=lambda a: a.plan_activity.number)
            self._built[(city_id, activity_id)] = Cell(
                activity=activity, late=activity.is_late(self.today), blocked_by=blockers
            )

    def cell(self, city, plan_activity):
        return self._built.get((city.pk, plan_activity.pk))

    def row(self, city):
        return [self.cell(city, pa) for pa in self.plan_activities]

    def city_cells(self, city):
        return [cell for cell in self.row(city) if cell is not None]

    def status_counts(self):
        counts = Counter(cell.status for cell in self._built.values())
        return [(value, label, counts.get(value, 0)) for value, label in Status.choices]

    def late_count(self):
        return sum(cell.late for cell in self._built.values())

    def blocked_count(self):
        return sum(cell.blocked for cell in self._built.values() if cell.status not in FINISHED)

    def city_summary(self, city):
        """Finished activities out of all the city takes part in, published or not, so a
        visitor who sees only published cells is not told a city is further than it is."""
        done = sum(cell.status in FINISHED for cell in self.city_cells(city))
        total = sum(city.is_programme or pa.network_wide for pa in self.plan_activities)
        return {"done": done, "total": total,
                "percent": round(100 * done / total) if total else 0}

    def next_up(self, city, limit=3):
        """Unfinished, unblocked activities of the city, earliest planned first."""
        open_cells = [c for c in self.city_cells(city) if c.status not in FINISHED and not c.blocked]
        open_cells.sort(key=lambda c: (c.activity.planned_start, c.activity.plan_activity.number))
        return open_cells[:limit]
