"""Running one station analysis with the numerical core (apps.climate.stats) and shaping the
results kept in `Analysis.results` (JSON, so pages and the API read them without recomputing):

    {"codes": [index codes in the core's order (JSONB on PostgreSQL does not keep key order)],
     "years": [1981, ...], "missing_days": [3, ...], "notes": [...],
     "hot_threshold": 35.0, "base_period": [1981, 2010] | None,
     "indices": {code: {"name", "unit", "definition", "values": [float | None, ...]}},
     "trends": {code: {"n": years with a value,
                       "mk" | "hamed_rao": {"s", "var_s", "z", "p", "tau", "trend" (+1/-1/0),
                                            "slope" (per year), "intercept"}
                                           or {"reason": "..."} when not computable}},
     "extremes": {code: {"n", "lmoments" | "mle": {"shape", "loc", "scale",
                         "levels": [{"period", "level", "low", "high"}, ...]}
                         or {"reason": "..."}}}}

Reasons are English message ids translated when shown (the worker has no reader's language).
"""
import math

import numpy as np
from django.utils.translation import gettext_noop

ALPHA = 0.05
EXTREME_INDICES = ("Rx1day", "Rx5day", "TXx")  # annual maxima fitted with a GEV when present
FIT_METHODS = ("lmoments", "mle")
SEED = 2553

TOO_SHORT_TREND = gettext_noop("Too few years with a value for this test (%(n)s).")
NOT_COMPUTABLE = gettext_noop("The test's variance is not computable for this series.")
NO_DATA = gettext_noop("The station has no daily data yet.")
TOO_SHORT_FIT = gettext_noop(
    "A GEV fit needs at least %(needed)s annual maxima; this series has %(n)s.")
CONSTANT_FIT = gettext_noop("All %(n)s annual maxima are equal: no distribution can be fitted.")
NO_FIT = gettext_noop("The fit did not converge for this series.")
INTERNAL = gettext_noop("The analysis stopped because of an internal error. Try again, or tell "
                        "the site's administrators.")


def clean(value):
    """A JSON-ready Python value: NaN and infinities become None, numpy scalars plain numbers."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return [clean(v) for v in value.tolist()]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return value if math.isfinite(value) else None
    return value


def trend_rows(result, count):
    """One JSON dict per series of a TrendResult (or a reason when it gives no number)."""
    rows = []
    for i in range(count):
        if bool(np.asarray(result.too_short)[i]):
            rows.append({"reason": TOO_SHORT_TREND, "params": {"n": int(result.n[i])}})
            continue
        var_s = float(result.var_s[i])
        if not math.isfinite(var_s) or var_s <= 0 or not math.isfinite(float(result.p[i])):
            rows.append({"reason": NOT_COMPUTABLE, "params": {}})
            continue
        rows.append(clean({
            "s": result.s[i], "var_s": var_s, "z": result.z[i], "p": result.p[i],
            "tau": result.tau[i], "trend": int(result.trend[i]), "slope": result.slope[i],
            "intercept": result.intercept[i],
        }))
    return rows


def fit(values, method, n_boot=None):
    """One GEV fit of annual maxima, or the reason it gives no numbers. `n_boot`: bootstrap
    resamples for the confidence intervals (None: the core's default for the method)."""
    from apps.climate.stats.extremes import ConstantSeriesError, TooShortError, fit_summary

    try:
        summary = fit_summary(values, method, n_boot=n_boot, seed=SEED)
    except ConstantSeriesError as error:
        return {"reason": CONSTANT_FIT, "params": {"n": error.n}}
    except TooShortError as error:
        return {"reason": TOO_SHORT_FIT, "params": {"n": error.n, "needed": error.needed}}
    except ValueError:
        return {"reason": NO_FIT, "params": {}}
    return normalise_fit(summary)


def normalise_fit(summary):
    """Our layout of the core's fit_summary() dict."""
    summary = clean(summary)
    levels = summary.get("levels") or summary.get("return_levels") or []
    if isinstance(levels, dict):
        levels = [{"period": int(k), **(v if isinstance(v, dict) else {"level": v})}
                  for k, v in levels.items()]
    rows = []
    for row in levels:
        rows.append({
            "period": row.get("period"), "level": row.get("level", row.get("value")),
            "low": row.get("low", row.get("ci_low", row.get("lower"))),
            "high": row.get("high", row.get("ci_high", row.get("upper"))),
        })
    return {"shape": summary.get("shape"), "loc": summary.get("loc", summary.get("location")),
            "scale": summary.get("scale"), "n": summary.get("n"), "levels": rows,
            "level": summary.get("level", summary.get("ci_level", 0.95)),
            "ci_method": summary.get("ci_method", "")}


def compute(analysis, stage=lambda stage, progress: None, mle_resamples=None):
    """The results dict for `analysis` (see the module docstring); `stage(name, percent)` is
    called as each step ends. Raises ValueError(message id) when there is nothing to analyse.

    The maximum-likelihood intervals refit every bootstrap resample with scipy (about 60 ms a
    fit): most of an analysis's time. `mle_resamples` (else settings.CLIMATE_MLE_RESAMPLES,
    else the core's default) sets how many; the count is stored with the fit."""
    from django.conf import settings

    from apps.climate.models import Analysis
    from apps.climate.stats.indices import INDICES, annual_indices
    from apps.climate.stats.trend import hamed_rao, mann_kendall

    S = Analysis.Stage
    stage(S.LOADING, 5)
    dates, prcp, tmax, tmin = analysis.station.series()
    if len(dates) == 0:
        raise ValueError(NO_DATA)
    stage(S.INDICES, 10)
    table = annual_indices(dates, prcp, tmax, tmin, hot_threshold=analysis.hot_threshold,
                           base_period=analysis.base_period)
    codes = [code for code in table.values]
    years = [int(y) for y in table.years]
    indices = {}
    for code in codes:
        name, unit, definition = INDICES.get(code, (code, "", ""))
        indices[code] = {"name": name, "unit": unit, "definition": definition,
                         "values": clean(np.asarray(table.values[code], dtype=float))}
    stage(S.INDICES, 35)

    matrix = np.vstack([np.asarray(table.values[c], dtype=float) for c in codes]) \
        if codes else np.empty((0, len(years)))
    trends = {code: {"n": int(np.isfinite(matrix[i]).sum())} for i, code in enumerate(codes)}
    for key, test, progress in (("mk", mann_kendall, 50), ("hamed_rao", hamed_rao, 65)):
        rows = trend_rows(test(matrix, alpha=ALPHA), len(codes)) if codes else []
        for code, row in zip(codes, rows):
            trends[code][key] = row
        stage(S.TRENDS, progress)

    extremes = {}
    resamples = {"mle": mle_resamples or getattr(settings, "CLIMATE_MLE_RESAMPLES", None)}
    present = [code for code in EXTREME_INDICES if code in table.values]
    steps = [(code, method) for code in present for method in FIT_METHODS]
    for done, (code, method) in enumerate(steps, 1):
        values = np.asarray(table.values[code], dtype=float)
        values = values[np.isfinite(values)]
        extremes.setdefault(code, {"n": int(values.size)})
        extremes[code][method] = fit(values, method, resamples.get(method))
        stage(S.EXTREMES, 65 + 30 * done // len(steps))
    stage(S.SAVING, 97)
    return {
        "codes": codes,
        "years": years,
        "missing_days": clean(np.asarray(table.missing_days)),
        "notes": [str(n) for n in (table.notes or [])],
        "hot_threshold": analysis.hot_threshold,
        "base_period": list(analysis.base_period) if analysis.base_period else None,
        "indices": indices,
        "trends": trends,
        "extremes": extremes,
    }


def run_analysis(analysis, **options):
    """Compute and store; a failure is stored as failed with its message, never lost."""
    import logging

    try:
        results = compute(analysis, analysis.set_stage, **options)
    except ValueError as error:
        analysis.fail(str(error))
        return analysis
    except Exception:
        logging.getLogger(__name__).exception("climate analysis %s failed", analysis.pk)
        analysis.fail(INTERNAL)
        return analysis
    analysis.finish(results)
    return analysis


def ordered_codes(results):
    """The index codes in the order computed (older results without "codes": key order)."""
    indices = results.get("indices", {})
    return [c for c in results.get("codes") or list(indices) if c in indices]


def summarise(results, code):
    """The short citation of one index (Analysis.result_for)."""
    index = results.get("indices", {}).get(code)
    if index is None:
        return None
    trend = results.get("trends", {}).get(code, {})
    mk, hr = trend.get("mk", {}), trend.get("hamed_rao", {})
    years = results.get("years", [])
    if "trend" in mk:
        direction = {1: "increasing", -1: "decreasing"}.get(mk["trend"], "no trend")
    else:
        direction = "too short"
    slope = mk.get("slope")
    from django.utils.translation import gettext

    return {
        "code": code,
        "name": gettext(index["name"]),
        "unit": index["unit"],
        "first_year": years[0] if years else None,
        "last_year": years[-1] if years else None,
        "n": trend.get("n", 0),
        "direction": direction,
        "slope_per_decade": None if slope is None else slope * 10,
        "p_mk": mk.get("p"),
        "p_hamed_rao": hr.get("p"),
        "significant_hamed_rao": hr.get("trend") in (1, -1),
        "reason": mk.get("reason", ""),
    }
