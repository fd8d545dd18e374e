"""Speed of the climate evidence engine's numerical core against the reference implementations
on the same data, in one run (issue 4's targets). Not a test: it prints a table.

    .venv/bin/python benchmarks/climate_stats.py [--quick]

Times are CPU seconds of this process (time.process_time), so other programs sharing the
machine change both sides alike; BLAS threads are pinned to one so neither side gets extra
cores. Throughput = series per CPU second. Slow references are timed on a random subset of the
series (said in the table) and compared per series. Every case also checks that ours and the
reference agree on the timed subset: the largest difference over S, Var S, Z, p, tau, slope and
intercept, |ours - ref| / max(|ref|, 1) (absolute below 1, relative above); for the GEV the
largest absolute difference of the three parameters from lmoments3's L-moment fit.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pymannkendall as pmk  # noqa: E402
from lmoments3 import distr  # noqa: E402
from scipy import stats  # noqa: E402

from apps.climate.stats import _rank  # noqa: E402
from apps.climate.stats.extremes import gev_lmoments  # noqa: E402
from apps.climate.stats.trend import hamed_rao, mann_kendall  # noqa: E402

SEED = 20240604
QUICK = "--quick" in sys.argv


def cpu(fn):
    start = time.process_time()
    result = fn()
    return result, time.process_time() - start


def series(rng, count, n):
    """Random walks with noise and a random linear trend: autocorrelated, like climate data."""
    x = rng.normal(size=(count, n)).cumsum(axis=1) * 0.05 + rng.normal(size=(count, n))
    return x + np.linspace(0, 1, n) * rng.normal(size=(count, 1))


def trend_diff(ours, refs, rows):
    worst = 0.0
    for k, ref in zip(rows, refs):
        for mine, theirs in (("s", "s"), ("var_s", "var_s"), ("z", "z"), ("p", "p"),
                             ("tau", "Tau"), ("slope", "slope"), ("intercept", "intercept")):
            a, b = float(getattr(ours, mine)[k]), float(getattr(ref, theirs))
            worst = max(worst, abs(a - b) / max(abs(b), 1.0))   # relative above 1
    return worst


def main():
    rng = np.random.default_rng(SEED)
    rows = []
    # compiled kernels (numba): compiled once per installation and cached on disk; the one-off
    # compile or cache load is timed here, on its own line, not inside the cases
    _, t_warm = cpu(_rank.warm_up)
    print(f"compile/warm-up: {t_warm:.2f} s")

    def add(case, n_ours, t_ours, n_ref, t_ref, target, diff, note):
        ours, ref = n_ours / t_ours, n_ref / t_ref
        rows.append((case, ours, ref, ours / ref, target, diff, note))

    # (1) 1,000 series of 60 annual values
    x = series(rng, 1000 if not QUICK else 200, 60)
    for name, ours_fn, ref_fn in (("MK 1000x60", mann_kendall, pmk.original_test),
                                  ("HR 1000x60", hamed_rao, pmk.hamed_rao_modification_test)):
        result, t_ours = cpu(lambda: ours_fn(x))
        refs, t_ref = cpu(lambda: [ref_fn(row) for row in x])
        add(name, len(x), t_ours, len(x), t_ref, 100, trend_diff(result, refs, range(len(x))),
            f"reference on all {len(x)}")

    # (2) 10,000 series of 720 monthly values; the reference on a random subset
    x = series(rng, 10000 if not QUICK else 1000, 720)
    subset = np.sort(rng.choice(len(x), 200 if not QUICK else 40, replace=False))
    for name, ours_fn, ref_fn in (("MK 10000x720", mann_kendall, pmk.original_test),
                                  ("HR 10000x720", hamed_rao, pmk.hamed_rao_modification_test)):
        result, t_ours = cpu(lambda: ours_fn(x))
        refs, t_ref = cpu(lambda: [ref_fn(x[k]) for k in subset])
        add(name, len(x), t_ours, len(subset), t_ref, 30, trend_diff(result, refs, subset),
            f"reference on {len(subset)} random series")

    # (3) L-moment GEV fit of 10,000 series of 60 annual maxima vs scipy's genextreme.fit
    x = stats.genextreme.rvs(0.1, loc=50, scale=12, size=(10000 if not QUICK else 2000, 60),
                             random_state=rng)
    subset = np.sort(rng.choice(len(x), 40 if not QUICK else 10, replace=False))
    (shape, loc, scale), t_ours = cpu(lambda: gev_lmoments(x))
    _, t_ref = cpu(lambda: [stats.genextreme.fit(x[k]) for k in subset])
    diff = 0.0
    for k in subset:   # agreement with the L-moment reference (lmoments3) on the same subset
        p = distr.gev.lmom_fit(x[k])
        diff = max(diff, abs(shape[k] - p["c"]), abs(loc[k] - p["loc"]),
                   abs(scale[k] - p["scale"]))
    add("GEV L-mom 10000x60", len(x), t_ours, len(subset), t_ref, 1000, diff,
        f"scipy.fit on {len(subset)}; diff vs lmoments3")

    print(f"{'case':<20}{'ours series/s':>15}{'ref series/s':>14}{'ratio':>9}{'target':>8}"
          f"{'':>6}{'max diff':>12}  note")
    for case, ours, ref, ratio, target, diff, note in rows:
        verdict = "PASS" if ratio >= target else "FAIL"
        print(f"{case:<20}{ours:>15.0f}{ref:>14.1f}{ratio:>9.1f}{target:>7}x{verdict:>6}"
              f"{diff:>12.2e}  {note}")
    print("Times: CPU seconds of this process; load average at the end: "
          + " ".join(f"{v:.1f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
