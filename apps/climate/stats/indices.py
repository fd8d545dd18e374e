"""ETCCDI climate indices per year from daily station data.

Definitions follow the ETCCDI list (Karl, Nicholls & Ghazi 1999; Peterson et al. 2001;
Zhang et al. 2011, "Indices for monitoring changes in extremes", WIREs Climate Change) as
implemented by climdex and xclim. A wet day has PRCP >= 1 mm.

Rx1day   maximum 1-day precipitation.
Rx5day   maximum 5-day precipitation: totals of the 5 days ending on each day of the year (a
         window may start in December of the previous year); a window with a missing day
         has no total.
PRCPTOT  total precipitation on wet days.
R10mm    days with PRCP >= 10 mm;  R20mm  days with PRCP >= 20 mm.
SDII     simple daily intensity: PRCPTOT / number of wet days (0 when there is none).
R95p     precipitation on wet days above the 95th percentile of wet-day PRCP in the base period.
CDD      longest run of dry days (PRCP < 1 mm);  CWD  longest run of wet days.
         Runs are counted inside each calendar year (a run crossing 31 December is cut there,
         as xclim does by default and climdex with spells.can.span.years = FALSE), and a
         missing day ends a run.
SU35     hot days: Tmax above the hot-day threshold (35 C by default; ETCCDI's SU uses 25 C).
TX90p    percentage of days with Tmax above the calendar-day 90th percentile of the base
         period, computed on a 5-day window centred on each calendar day (29 February uses
         28 February's threshold), without the in-base bootstrap of Zhang et al. (2005).
TXx      maximum Tmax;  TNn  minimum Tmin.
TR       tropical nights: Tmin above the night threshold (25 C by default here, for Thai
         cities; ETCCDI's TR uses 20 C).

Percentiles use the median-unbiased estimator (Hyndman & Fan type 8), as climdex and xclim.

Completeness (climdex's rule): an index is missing (NaN) for a year when its variable has more
than `max_missing_days` (15) missing days in the year, or more than `max_missing_month_days` (3)
in any month of it. Days outside the record count as missing. Base period: 1981-2010 when the
record covers it, else the whole record (said in the notes).
"""
from dataclasses import dataclass, field

import numpy as np

WET = 1.0

INDICES = {
    "Rx1day": ("Max 1-day precipitation", "mm", "Highest daily precipitation of the year."),
    "Rx5day": ("Max 5-day precipitation", "mm",
               "Highest precipitation total over 5 consecutive days."),
    "PRCPTOT": ("Wet-day precipitation", "mm",
                "Total precipitation of the year on wet days (at least 1 mm)."),
    "R10mm": ("Heavy precipitation days", "days", "Days with at least 10 mm."),
    "R20mm": ("Very heavy precipitation days", "days", "Days with at least 20 mm."),
    "SDII": ("Simple daily intensity", "mm/day", "Wet-day precipitation divided by wet days."),
    "R95p": ("Very wet days precipitation", "mm",
             "Precipitation on wet days above the base period's 95th percentile of wet days."),
    "CDD": ("Consecutive dry days", "days", "Longest run of days with less than 1 mm."),
    "CWD": ("Consecutive wet days", "days", "Longest run of days with at least 1 mm."),
    "SU35": ("Hot days", "days", "Days with maximum temperature above the hot-day threshold."),
    "TX90p": ("Warm days", "%",
              "Share of days with maximum temperature above the base period's calendar-day "
              "90th percentile."),
    "TXx": ("Hottest day", "°C", "Highest daily maximum temperature."),
    "TNn": ("Coldest night", "°C", "Lowest daily minimum temperature."),
    "TR": ("Tropical nights", "days",
           "Nights with minimum temperature above the tropical-night threshold."),
}

PRCP_CODES = ("Rx1day", "Rx5day", "PRCPTOT", "R10mm", "R20mm", "SDII", "R95p", "CDD", "CWD")
TMAX_CODES = ("SU35", "TX90p", "TXx")
TMIN_CODES = ("TNn", "TR")
DEFAULT_BASE = (1981, 2010)


@dataclass
class IndexTable:
    years: np.ndarray                         # int, every calendar year of the record
    values: dict                              # code -> float array (NaN: incomplete year)
    missing_days: np.ndarray                  # per year: days with any variable missing
    missing_by_variable: dict = field(default_factory=dict)   # "prcp"/"tmax"/"tmin" -> array
    notes: list = field(default_factory=list)
    base_period: tuple = None                 # (first, last) year used for percentiles


class _Calendar:
    """Every day from 1 January of the first year to 31 December of the last."""

    def __init__(self, dates):
        dates = np.asarray(dates, dtype="datetime64[D]")
        if dates.ndim != 1 or dates.size == 0:
            raise ValueError("dates must be a non-empty 1-D array of days.")
        if np.any(np.diff(dates) <= np.timedelta64(0, "D")):
            raise ValueError("dates must be sorted and unique.")
        y0 = dates[0].astype("datetime64[Y]").astype(int) + 1970
        y1 = dates[-1].astype("datetime64[Y]").astype(int) + 1970
        self.start = np.datetime64(f"{y0:04d}-01-01")
        end = np.datetime64(f"{y1 + 1:04d}-01-01")
        self.days = np.arange(self.start, end, dtype="datetime64[D]")
        self.pos = (dates - self.start).astype(np.int64)
        self.years = np.arange(y0, y1 + 1)
        year_of = self.days.astype("datetime64[Y]").astype(int) + 1970
        self.year_idx = year_of - y0
        month = self.days.astype("datetime64[M]").astype(int) % 12
        self.month_idx = (year_of - y0) * 12 + month
        self.year_start = np.searchsorted(self.year_idx, np.arange(self.years.size))
        # calendar day 0..364 (29 February shares 28 February's)
        first_of_year = self.days.astype("datetime64[Y]").astype("datetime64[D]")
        doy = (self.days - first_of_year).astype(np.int64)
        leap = ((year_of % 4 == 0) & (year_of % 100 != 0)) | (year_of % 400 == 0)
        self.cal_day = np.where(leap & (doy >= 59), doy - 1, doy)

    def spread(self, values):
        full = np.full(self.days.size, np.nan)
        if values is not None:
            v = np.asarray(values, dtype=np.float64)
            if v.shape != self.pos.shape:
                raise ValueError("Each series must have one value per date.")
            full[self.pos] = v
        return full

    def per_year(self, ufunc, values):
        """ufunc.reduceat over the days of each year (every year has at least 365 days)."""
        return ufunc.reduceat(values, self.year_start)


def _complete(cal, series, max_missing_days, max_missing_month_days):
    """Per year: missing days of `series` and whether the year passes the completeness rule."""
    missing = np.isnan(series)
    per_year = np.bincount(cal.year_idx, weights=missing, minlength=cal.years.size)
    per_month = np.bincount(cal.month_idx, weights=missing, minlength=cal.years.size * 12)
    month_bad = (per_month.reshape(-1, 12) > max_missing_month_days).any(axis=1)
    ok = (per_year <= max_missing_days) & ~month_bad
    return per_year.astype(np.int64), ok


def _quantile(values, q):
    values = values[~np.isnan(values)]
    if values.size == 0:
        return np.nan
    return float(np.quantile(values, q, method="median_unbiased"))


def _longest_run(cal, flags):
    """Longest run of True per calendar year (runs cut at 1 January)."""
    idx = np.arange(flags.size)
    first = np.zeros(flags.size, bool)
    first[cal.year_start] = True
    breaks = np.where(~flags, idx, np.where(first, idx - 1, -1))
    last_break = np.maximum.accumulate(breaks)
    run = np.where(flags, idx - last_break, 0)
    return np.maximum.reduceat(run, cal.year_start).astype(np.float64)


def _base_period(cal, base_period, notes):
    if base_period is not None:
        first, last = int(base_period[0]), int(base_period[1])
        if first > last:
            raise ValueError("The base period's first year is after its last year.")
        notes.append(f"Base period for percentiles: {first}-{last} (as asked).")
        return first, last
    first, last = DEFAULT_BASE
    if cal.years[0] <= first and cal.years[-1] >= last:
        notes.append(f"Base period for percentiles: {first}-{last} (ETCCDI standard).")
        return first, last
    first, last = int(cal.years[0]), int(cal.years[-1])
    notes.append(f"The record does not cover 1981-2010: percentiles use the whole record, "
                 f"{first}-{last}.")
    return first, last


def _tx90_thresholds(cal, tmax, in_base):
    """Calendar-day 90th percentiles of Tmax over a 5-day window in the base period."""
    thresholds = np.full(365, np.nan)
    base_vals = tmax[in_base]
    base_days = cal.cal_day[in_base]
    ok = ~np.isnan(base_vals)
    base_vals, base_days = base_vals[ok], base_days[ok]
    order = np.argsort(base_days, kind="stable")
    base_vals, base_days = base_vals[order], base_days[order]
    bounds = np.searchsorted(base_days, np.arange(366))
    for d in range(365):
        chunks = [base_vals[bounds[k % 365]:bounds[k % 365 + 1]] for k in range(d - 2, d + 3)]
        pooled = np.concatenate(chunks)
        if pooled.size:
            thresholds[d] = np.quantile(pooled, 0.9, method="median_unbiased")
    return thresholds


def annual_indices(dates, prcp, tmax, tmin, *, hot_threshold=35.0, night_threshold=25.0,
                   base_period=None, max_missing_days=15, max_missing_month_days=3):
    """The indices of INDICES for every calendar year of the record (see the module
    docstring). `prcp`, `tmax`, `tmin`: one float per date, NaN = missing; a variable given as
    None is all missing (its indices are NaN)."""
    cal = _Calendar(dates)
    p, tx, tn = cal.spread(prcp), cal.spread(tmax), cal.spread(tmin)
    if np.any(p < 0):
        raise ValueError("Precipitation cannot be negative.")
    if np.any(tn > tx):
        raise ValueError("Tmin is above Tmax on some days.")
    notes = []
    first, last = _base_period(cal, base_period, notes)
    in_base = (cal.years[cal.year_idx] >= first) & (cal.years[cal.year_idx] <= last)
    rule = dict(max_missing_days=max_missing_days, max_missing_month_days=max_missing_month_days)
    miss_p, ok_p = _complete(cal, p, **rule)
    miss_x, ok_x = _complete(cal, tx, **rule)
    miss_n, ok_n = _complete(cal, tn, **rule)
    any_missing = np.isnan(p) | np.isnan(tx) | np.isnan(tn)
    missing_days = np.bincount(cal.year_idx, weights=any_missing,
                               minlength=cal.years.size).astype(np.int64)

    values = {}
    have_p = ~np.isnan(p)
    p0 = np.where(have_p, p, 0.0)
    wet = have_p & (p >= WET)
    dry = have_p & (p < WET)
    count = lambda flags: cal.per_year(np.add, flags.astype(np.float64))  # noqa: E731
    with np.errstate(invalid="ignore", divide="ignore"):
        values["Rx1day"] = cal.per_year(np.fmax, p)
        window = np.full(p.size, np.nan)
        if p.size >= 5:
            csum = np.concatenate([[0.0], np.cumsum(p0)])
            nmiss = np.concatenate([[0], np.cumsum(~have_p)])
            tot = csum[5:] - csum[:-5]
            gaps = nmiss[5:] - nmiss[:-5]
            window[4:] = np.where(gaps == 0, tot, np.nan)
        values["Rx5day"] = cal.per_year(np.fmax, window)
        prcptot = cal.per_year(np.add, np.where(wet, p0, 0.0))
        wet_days = count(wet)
        values["PRCPTOT"] = prcptot
        values["R10mm"] = count(have_p & (p >= 10))
        values["R20mm"] = count(have_p & (p >= 20))
        values["SDII"] = np.where(wet_days > 0, prcptot / np.where(wet_days > 0, wet_days, 1), 0.0)
        p95 = _quantile(np.where(in_base & wet, p, np.nan), 0.95)
        notes.append("R95p threshold (95th percentile of wet days in the base period): "
                     + ("none, no wet day in the base period" if np.isnan(p95)
                        else f"{p95:.1f} mm"))
        values["R95p"] = cal.per_year(np.add, np.where(wet & (p > p95), p0, 0.0))
        if np.isnan(p95):
            values["R95p"][:] = np.nan
        values["CDD"] = _longest_run(cal, dry)
        values["CWD"] = _longest_run(cal, wet)

        have_x = ~np.isnan(tx)
        values["SU35"] = count(have_x & (tx > hot_threshold))
        thresholds = _tx90_thresholds(cal, tx, in_base)
        above = have_x & (tx > thresholds[cal.cal_day])
        valid_days = count(have_x)
        values["TX90p"] = np.where(valid_days > 0,
                                   100.0 * count(above) / np.where(valid_days > 0, valid_days, 1),
                                   np.nan)
        values["TXx"] = cal.per_year(np.fmax, tx)
        have_n = ~np.isnan(tn)
        values["TNn"] = cal.per_year(np.fmin, tn)
        values["TR"] = count(have_n & (tn > night_threshold))
    notes.append(f"Hot days (SU35) count Tmax above {hot_threshold:g} °C; tropical nights (TR) "
                 f"Tmin above {night_threshold:g} °C.")
    notes.append(f"A year's index is left out when its variable misses more than "
                 f"{max_missing_days} days in the year or more than {max_missing_month_days} "
                 f"days in one of its months.")
    for codes, ok in ((PRCP_CODES, ok_p), (TMAX_CODES, ok_x), (TMIN_CODES, ok_n)):
        for code in codes:
            values[code] = np.where(ok, values[code], np.nan).astype(np.float64)
    return IndexTable(
        years=cal.years.astype(np.int64), values=values, missing_days=missing_days,
        missing_by_variable={"prcp": miss_p, "tmax": miss_x, "tmin": miss_n},
        notes=notes, base_period=(first, last),
    )
