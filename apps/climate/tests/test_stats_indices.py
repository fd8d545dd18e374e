"""ETCCDI indices on small records whose values are worked out by hand in the comments, the
completeness rule, the base period, and refused input."""
import numpy as np
import pytest

from apps.climate.stats.indices import INDICES, annual_indices


def record(first, last):
    """Dry days, Tmax 30, Tmin 20, every day of the years first..last."""
    dates = np.arange(np.datetime64(f"{first}-01-01"), np.datetime64(f"{last + 1}-01-01"))
    n = dates.size
    return dates, np.zeros(n), np.full(n, 30.0), np.full(n, 20.0)


def at(dates, day):
    return int(np.flatnonzero(dates == np.datetime64(day))[0])


def test_every_index_has_a_name_unit_and_definition():
    for code in ("Rx1day", "Rx5day", "PRCPTOT", "R95p", "CDD", "CWD", "SU35", "TX90p",
                 "R10mm", "R20mm", "SDII", "TXx", "TNn", "TR"):
        name, unit, definition = INDICES[code]
        assert name and unit and definition


def test_precipitation_indices_by_hand():
    dates, prcp, tmax, tmin = record(2001, 2002)
    for day, mm in [("2001-03-01", 12), ("2001-03-02", 25), ("2001-03-03", 0.5),
                    ("2001-03-04", 1.0), ("2001-03-05", 3.0), ("2001-06-10", 40),
                    ("2001-12-30", 5), ("2001-12-31", 5), ("2002-01-01", 5), ("2002-07-01", 8)]:
        prcp[at(dates, day)] = mm
    t = annual_indices(dates, prcp, tmax, tmin)
    v = {code: values.tolist() for code, values in t.values.items()}
    assert t.years.tolist() == [2001, 2002]
    assert v["Rx1day"] == [40, 8]
    # 1-5 March: 12 + 25 + 0.5 + 1 + 3; 2002: the window 30 Dec - 3 Jan ends in 2002
    assert v["Rx5day"] == [41.5, 15]
    # wet days (>= 1 mm) 2001: 12, 25, 1, 3, 40, 5, 5 (0.5 is not wet)
    assert v["PRCPTOT"] == [91, 13]
    assert v["SDII"] == [13, 6.5]
    assert v["R10mm"] == [3, 0] and v["R20mm"] == [2, 0]
    # wet runs: 1-2 March, 4-5 March, 30-31 December (cut at the new year), 1 January 2002
    assert v["CWD"] == [2, 1]
    # dry runs 2001: 1 Jan-28 Feb (59), 6 Mar-9 Jun (96), 11 Jun-29 Dec (202);
    # 2002: 2 Jan-30 Jun (180), 2 Jul-31 Dec (183)
    assert v["CDD"] == [202, 183]


def test_r95p_by_hand():
    dates, prcp, tmax, tmin = record(2001, 2002)
    prcp[:100] = np.arange(1, 101)            # base year: wet days of 1..100 mm
    for day, mm in [("2002-05-01", 95), ("2002-05-02", 96), ("2002-05-03", 100)]:
        prcp[at(dates, day)] = mm
    t = annual_indices(dates, prcp, tmax, tmin, base_period=(2001, 2001))
    # type-8 95th percentile of 1..100: (100 + 1/3) * 0.95 + 1/3 = 95.65 -> 95.65 mm
    assert t.values["R95p"].tolist() == [96 + 97 + 98 + 99 + 100, 96 + 100]
    assert any("95.7 mm" in note for note in t.notes)
    assert t.base_period == (2001, 2001)


def test_temperature_indices_by_hand():
    dates, prcp, tmax, tmin = record(2001, 2002)
    y2002 = np.flatnonzero(dates >= np.datetime64("2002-01-01"))
    warm = y2002[::5][:73]                    # 73 days of 2002 above the base's 30 C
    tmax[warm] = 31.0
    tmax[warm[:10]] = 36.0                    # 10 of them hot days
    tmin[at(dates, "2001-02-01")] = 12.0
    tmin[y2002[100:105]] = 26.0               # 5 tropical nights
    t = annual_indices(dates, prcp, tmax, tmin, base_period=(2001, 2001))
    v = {code: values.tolist() for code, values in t.values.items()}
    # base 2001: Tmax 30 every day, so every calendar day's 90th percentile is 30
    assert v["TX90p"] == [0.0, pytest.approx(100 * 73 / 365)]
    assert v["SU35"] == [0, 10]
    assert v["TXx"] == [30, 36]
    assert v["TNn"] == [12, 20]
    assert v["TR"] == [0, 5]
    hotter = annual_indices(dates, prcp, tmax, tmin, hot_threshold=30.5,
                            night_threshold=19.0, base_period=(2001, 2001))
    assert hotter.values["SU35"].tolist() == [0, 73]
    assert hotter.values["TR"].tolist() == [364, 365]   # 1 Feb 2001 is 12 C


def test_tx90p_uses_a_five_day_window_around_each_calendar_day():
    dates, prcp, tmax, tmin = record(2001, 2002)
    # base 2001: 10 June (and only it) is 40 C; the 5-day pools of 8-12 June hold one 40 among
    # 30s, so their 90th percentile (type 8, 5 values: h = 4.93) is 30 + 0.93 * 10 = 39.33
    tmax[at(dates, "2001-06-10")] = 40.0
    tmax[at(dates, "2002-06-09")] = 39.0      # not above 39.33
    tmax[at(dates, "2002-06-13")] = 30.5      # outside the window: threshold 30
    t = annual_indices(dates, prcp, tmax, tmin, base_period=(2001, 2001))
    assert t.values["TX90p"][1] == pytest.approx(100 / 365)


def test_completeness_rule():
    dates, prcp, tmax, tmin = record(2001, 2004)
    months = dates.astype("datetime64[M]")

    def blank(year, per_month):
        for m in range(1, 13):
            days = np.flatnonzero(months == np.datetime64(f"{year}-{m:02d}"))
            prcp[days[:per_month[m - 1]]] = np.nan

    blank(2001, [2] * 8 + [0] * 4)            # 16 days, at most 2 a month: too many in the year
    blank(2002, [0, 0, 0, 4] + [0] * 8)       # 4 days in April: too many in a month
    blank(2003, [3, 3, 3, 3, 3] + [0] * 7)    # 15 days, 3 a month: complete enough
    t = annual_indices(dates, prcp, tmax, tmin)
    assert np.isnan(t.values["PRCPTOT"][:2]).all()
    assert t.values["PRCPTOT"][2:].tolist() == [0, 0]
    assert t.missing_days.tolist() == [16, 4, 15, 0]
    assert t.missing_by_variable["tmax"].tolist() == [0, 0, 0, 0]
    assert t.values["TXx"].tolist() == [30] * 4            # temperature indices unaffected
    stricter = annual_indices(dates, prcp, tmax, tmin, max_missing_days=10)
    assert np.isnan(stricter.values["PRCPTOT"][2])


def test_days_outside_the_record_count_as_missing():
    dates, prcp, tmax, tmin = record(2001, 2002)
    keep = dates >= np.datetime64("2001-03-01")
    t = annual_indices(dates[keep], prcp[keep], tmax[keep], tmin[keep])
    assert t.missing_days.tolist() == [59, 0]
    assert np.isnan(t.values["TXx"][0]) and t.values["TXx"][1] == 30


def test_a_missing_day_ends_a_run_and_missing_windows_have_no_total():
    dates, prcp, tmax, tmin = record(2001, 2001)
    prcp[:10] = 2.0
    prcp[4] = np.nan
    t = annual_indices(dates, prcp, tmax, tmin)
    assert t.values["CWD"].tolist() == [5]             # days 6-10
    assert t.values["Rx5day"].tolist() == [10.0]       # only the window of days 6-10 is whole


def test_missing_variable_gives_missing_indices():
    dates, prcp, tmax, tmin = record(2001, 2001)
    t = annual_indices(dates, prcp, None, None)
    assert t.values["PRCPTOT"].tolist() == [0]
    assert np.isnan(t.values["TXx"]).all() and np.isnan(t.values["TR"]).all()


def test_base_period_default_and_fallback():
    dates, prcp, tmax, tmin = record(1980, 2011)
    assert annual_indices(dates, prcp, tmax, tmin).base_period == (1981, 2010)
    dates, prcp, tmax, tmin = record(1995, 2012)
    t = annual_indices(dates, prcp, tmax, tmin)
    assert t.base_period == (1995, 2012)
    assert any("does not cover 1981-2010" in note for note in t.notes)


def test_leap_days():
    dates, prcp, tmax, tmin = record(2003, 2004)
    prcp[at(dates, "2004-02-29")] = 30.0
    t = annual_indices(dates, prcp, tmax, tmin)
    assert t.values["Rx1day"].tolist() == [0, 30]
    assert t.values["CDD"].tolist() == [365, 306]      # 1 Mar - 31 Dec 2004


@pytest.mark.parametrize("change,message", [
    (lambda d, p, x, n: (d, np.where(np.arange(p.size) == 3, -1.0, p), x, n), "negative"),
    (lambda d, p, x, n: (d, p, x, np.where(np.arange(n.size) == 3, 35.0, n)), "Tmin is above"),
    (lambda d, p, x, n: (d[::-1], p, x, n), "sorted"),
    (lambda d, p, x, n: (d, p[:-1], x, n), "one value per date"),
])
def test_bad_input_is_refused(change, message):
    with pytest.raises(ValueError, match=message):
        annual_indices(*change(*record(2001, 2001)))


def test_indices_equal_xclim_on_three_decades_of_synthetic_data():
    """xclim (0.62) on the same 34 years: every index defined alike is equal. Not compared:
    R95p (xclim has no pooled-wet-day percentile of climdex's kind; hand test above) and
    TX90p (xclim's calendar day is the day of the year, so after 28 February a leap year is
    one day off climdex's calendar, which we follow; hand tests above)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pandas as pd
        import xarray as xr
        import xclim.indices as xi

    rng = np.random.default_rng(2553)
    dates = np.arange(np.datetime64("1979-01-01"), np.datetime64("2013-01-01"))
    n = dates.size
    seasons = np.sin(np.arange(n) / 365.25 * 2 * np.pi)
    prcp = np.round(np.where(rng.random(n) < 0.25 + 0.2 * seasons, rng.gamma(0.7, 14, n), 0), 1)
    tmax = np.round(32 + 3 * seasons + rng.normal(0, 1.6, n), 1)
    tmin = np.round(tmax - 8 - 2 * rng.random(n), 1)
    ours = annual_indices(dates, prcp, tmax, tmin).values

    time = pd.DatetimeIndex(dates.astype("datetime64[ns]"))

    def da(values, units):
        return xr.DataArray(values, coords={"time": time}, dims="time", attrs={"units": units})

    pr, tx, tn = da(prcp, "mm/day"), da(tmax, "degC"), da(tmin, "degC")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = {
            "Rx1day": xi.max_1day_precipitation_amount(pr),
            "Rx5day": xi.max_n_day_precipitation_amount(pr, window=5),
            "PRCPTOT": xi.precip_accumulation(pr.where(pr >= 1, 0.0).assign_attrs(units="mm/day")),
            "R10mm": xi.wetdays(pr, thresh="10 mm/day"),
            "R20mm": xi.wetdays(pr, thresh="20 mm/day"),
            "SDII": xi.daily_pr_intensity(pr, thresh="1 mm/day"),
            "CDD": xi.maximum_consecutive_dry_days(pr, thresh="1 mm/day"),
            "CWD": xi.maximum_consecutive_wet_days(pr, thresh="1 mm/day"),
            "SU35": xi.tx_days_above(tx, thresh="35 degC"),
            "TXx": xi.tx_max(tx),
            "TNn": xi.tn_min(tn),
            "TR": xi.tn_days_above(tn, thresh="25 degC"),
        }
    for code, values in reference.items():
        np.testing.assert_allclose(ours[code], np.asarray(values.values, float), rtol=1e-9,
                                   atol=1e-9, err_msg=code)
