"""Synthetic but plausible daily weather for the demo, the sample file and tests.

Not real data: a fixed-seed generator with each station's monsoon season (wet-day chance and
mean wet-day rain by day of year), a slight upward trend in heavy rain (amounts over 25 mm) and in Tmax, AR(1)
day-to-day temperature noise, and gaps (single days, short outages and one long one)."""
import csv
import datetime as dt
import io
import math

import numpy as np

# Wet-season peak (day of year), wet-day chance dry/wet season, mean wet-day rain (mm),
# mean Tmax and its seasonal swing (°C), hottest day of year, diurnal range (°C).
PROFILES = {
    # Chiang Rai: south-west monsoon, rain May-October peaking in August; hot April.
    "chiang-rai": dict(peak=220, width=55, wet=(0.05, 0.68), rain=(5.0, 19.0),
                       tmax=31.0, swing=3.8, hottest=105, dtr=10.5),
    # Hat Yai: rain most of the year, heaviest October-December with the north-east monsoon.
    "hat-yai": dict(peak=320, width=45, wet=(0.32, 0.70), rain=(7.0, 26.0),
                    tmax=32.2, swing=1.8, hottest=110, dtr=8.5),
}


def daily_series(profile, first_year, last_year, seed=2553, gaps=True):
    """[(date, rain mm | None, Tmax | None, Tmin | None)] for every day of the years."""
    p = PROFILES[profile]
    rng = np.random.default_rng(seed)
    start, end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    n = (end - start).days + 1
    dates = [start + dt.timedelta(days=i) for i in range(n)]
    doy = np.array([d.timetuple().tm_yday for d in dates], dtype=float)
    years = np.array([d.year - first_year for d in dates], dtype=float)

    # Circular distance to the wet-season peak gives a smooth seasonal weight 0..1.
    distance = np.minimum(np.abs(doy - p["peak"]), 365 - np.abs(doy - p["peak"]))
    season = np.exp(-0.5 * (distance / p["width"]) ** 2)
    wet_chance = p["wet"][0] + (p["wet"][1] - p["wet"][0]) * season
    mean_rain = p["rain"][0] + (p["rain"][1] - p["rain"][0]) * season
    wet = rng.random(n) < wet_chance
    # Heavier heavy rain over time: amounts above 25 mm grow about 8% a decade.
    shape = 0.75
    rain = np.where(wet, rng.gamma(shape, mean_rain / shape), 0.0)
    rain = np.where(rain > 25, rain * (1 + 0.008 * years), rain)
    rain = np.minimum(rain, 450.0)

    noise = np.empty(n)
    noise[0] = 0.0
    shocks = rng.normal(0, 0.9, n)
    for i in range(1, n):
        noise[i] = 0.7 * noise[i - 1] + shocks[i]
    cycle = np.cos(2 * math.pi * (doy - p["hottest"]) / 365.25)
    tmax = p["tmax"] + p["swing"] * cycle + 0.02 * years + noise - 1.2 * wet
    dtr = p["dtr"] - 2.5 * season + rng.normal(0, 1.0, n)
    tmin = tmax - np.clip(dtr, 2.0, 16.0)

    rows = [[d, round(float(r), 1), round(float(x), 1), round(float(m), 1)]
            for d, r, x, m in zip(dates, rain, tmax, tmin)]
    if gaps:
        punch_gaps(rows, rng)
    return [tuple(row) for row in rows]


def punch_gaps(rows, rng):
    n = len(rows)
    for i in rng.choice(n, size=max(1, n // 1500), replace=False):  # single values
        rows[i][1 + int(rng.integers(0, 3))] = None
    for _ in range(max(1, n // 4000)):  # outages of a few days to a month
        start = int(rng.integers(0, n - 40))
        for i in range(start, start + int(rng.integers(3, 30))):
            rows[i][1:] = [None, None, None]
    if n > 3000:  # one long outage: a year too incomplete for annual indices
        start = int(rng.integers(n // 3, n // 2))
        for i in range(start, start + 75):
            rows[i][1:] = [None, None, None]


def to_csv(rows, thai=True):
    """CSV text (UTF-8 with BOM, as Excel writes it) of rows from daily_series. In Thai:
    Thai headers and Buddhist Era dates (15/06/2553); else English headers and ISO dates."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if thai:
        writer.writerow(["วันที่", "ปริมาณฝน (มม.)", "อุณหภูมิสูงสุด (°C)", "อุณหภูมิต่ำสุด (°C)"])
    else:
        writer.writerow(["date", "rainfall mm", "Tmax", "Tmin"])

    def cell(value):
        return "" if value is None else f"{value:.1f}"

    for date, rain, tmax, tmin in rows:
        day = (f"{date.day:02d}/{date.month:02d}/{date.year + 543}" if thai
               else date.isoformat())
        writer.writerow([day, cell(rain), cell(tmax), cell(tmin)])
    return "\ufeff" + out.getvalue()
