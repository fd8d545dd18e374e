"""Positions for the city page's Gantt chart: plan windows and actual dates on one month axis."""
import datetime as dt
from dataclasses import dataclass

from apps.core import dates


@dataclass
class Bar:
    left: float  # percent of the axis
    width: float


@dataclass
class TimelineRow:
    cell: object  # grid.Cell
    planned: Bar
    actual: Bar | None
    open_ended: bool


class Timeline:
    def __init__(self, cells, today):
        self.today = today
        starts = [c.activity.planned_start for c in cells] + [today]
        ends = [c.activity.planned_end or c.activity.planned_start for c in cells]
        ends += [c.activity.actual_end for c in cells if c.activity.actual_end] + [today]
        starts += [c.activity.actual_start for c in cells if c.activity.actual_start]
        first = min(starts).replace(day=1)
        last = dates.add_months(max(ends).replace(day=1), 1)
        self.start, self.end = first, last
        self.days = max((last - first).days, 1)
        self.months = []
        month = first
        while month < last:
            following = dates.add_months(month, 1)
            self.months.append((month, self._bar(month, following)))
            month = following
        self.today_left = self._pos(today)
        self.rows = [self._row(c) for c in cells]

    def _pos(self, day):
        return round(100 * (day - self.start).days / self.days, 2)

    def _bar(self, start, end):
        left = self._pos(start)
        return Bar(left=left, width=max(round(self._pos(end) - left, 2), 0.8))

    def _row(self, cell):
        activity = cell.activity
        planned_end = activity.planned_end or self.end
        planned = self._bar(activity.planned_start, planned_end + dt.timedelta(days=1))
        actual = None
        if activity.actual_start:
            actual_end = activity.actual_end or self.today
            actual = self._bar(activity.actual_start, actual_end + dt.timedelta(days=1))
        return TimelineRow(cell=cell, planned=planned, actual=actual,
                           open_ended=activity.planned_end is None)
