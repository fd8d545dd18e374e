"""Extremes: the generalised extreme value (GEV) distribution fitted to annual maxima, return
levels and their confidence intervals.

Parameters follow scipy.stats.genextreme: shape c, location, scale, with
F(x) = exp(-(1 - c (x - loc) / scale) ** (1 / c)) (c = 0: Gumbel). c > 0 is a bounded upper
tail (Weibull type), c < 0 a heavy tail (Frechet type); Hosking's k is the same number.

* L-moments (Hosking 1990; Hosking & Wallis 1997): the unbiased sample L-moments l1, l2 and
  t3 = l3 / l2 from the order statistics, then Hosking's (1985) rational approximation of the
  shape from t3 (Newton iterations for t3 < -0.8), scale = l2 k / (Gamma(1+k) (1 - 2^-k)),
  location = l1 - scale (1 - Gamma(1+k)) / k: exactly lmoments3's `gev.lmom_fit`, vectorised
  over the rows of a 2-D array (one series per row, NaN = missing).
* Maximum likelihood: scipy.stats.genextreme.fit started from the L-moment estimate, and
  also from scipy's own default start; the fit with the higher log-likelihood is kept, so it
  is never worse than scipy's.
* Return level for a return period of T years: the quantile exceeded with probability 1/T in
  a year, genextreme.isf(1/T, c, loc, scale).
* Confidence intervals: nonparametric bootstrap (resampling the annual maxima with
  replacement, refitting, percentile interval). The L-moment refits of all resamples are one
  vectorised call; the maximum-likelihood refits are a loop of scipy fits (fewer resamples by
  default) started from the full-sample estimate.

A fit needs MIN_VALUES annual maxima (10: below that the shape is not identifiable in
practice and the intervals are meaningless); fewer raise TooShortError saying how many there
are and how many are needed.
"""
import math

import numpy as np
from scipy import special, stats

RETURN_PERIODS = (2, 5, 10, 25, 50, 100)
MIN_VALUES = 10
N_BOOT = {"lmoments": 1000, "mle": 100}   # MLE refits are scipy fits, one by one


class TooShortError(ValueError):
    """The series has too few values (or no spread) for the fit or test asked for."""

    def __init__(self, n, needed, what="A GEV fit"):
        self.n, self.needed = n, needed
        super().__init__(f"{what} needs at least {needed} values; this series has {n}.")


class ConstantSeriesError(TooShortError):
    """All values are equal: no spread, so no distribution can be fitted."""

    def __init__(self, n):
        self.n, self.needed = n, MIN_VALUES
        ValueError.__init__(self, f"All {n} values are equal: a GEV cannot be fitted to a "
                                  "series without spread.")


def _clean_1d(x, min_values=MIN_VALUES):
    x = np.asarray(x, dtype=np.float64).ravel()
    if np.isinf(x).any():
        raise ValueError("Infinite values cannot be fitted; use NaN for missing.")
    x = x[~np.isnan(x)]
    if x.size < min_values:
        raise TooShortError(x.size, min_values)
    if np.ptp(x) == 0:
        raise ConstantSeriesError(x.size)
    return x


def sample_lmoments(x):
    """l1, l2, t3 of every row of x (NaN = missing), the unbiased estimators of Hosking (1990)
    written with order-statistic weights as lmoments3 computes them."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = x[None, :]
    xs = np.sort(x, axis=1)                                  # NaN last
    n = (~np.isnan(xs)).sum(axis=1).astype(np.float64)[:, None]
    i = np.arange(xs.shape[1], dtype=np.float64)[None, :]    # 0-based rank
    present = i < n
    xz = np.where(present, xs, 0.0)
    j = n - 1 - i                                            # values above
    with np.errstate(invalid="ignore", divide="ignore"):
        l1 = xz.sum(axis=1) / n[:, 0]
        w2 = np.where(present, i - j, 0.0)
        l2 = 0.5 / (n * (n - 1) / 2)[:, 0] * (w2 * xz).sum(axis=1)
        w3 = np.where(present, i * (i - 1) / 2 - 2 * i * j + j * (j - 1) / 2, 0.0)
        l3 = 1.0 / 3.0 / (n * (n - 1) * (n - 2) / 6)[:, 0] * (w3 * xz).sum(axis=1)
        t3 = l3 / l2
    return l1, l2, t3, n[:, 0].astype(np.int64)


def _shape_from_t3(t3):
    """Hosking's GEV shape k from t3 (lmoments3's algorithm, vectorised)."""
    A0, A1, A2, A3, A4 = 0.28377530, -1.21096399, -2.50728214, -1.13455566, -0.07138022
    B1, B2, B3 = 2.06189696, 1.31912239, 0.25077104
    C1, C2, C3 = 1.59921491, -0.48832213, 0.01573152
    D1, D2 = -0.64363929, 0.08985247
    t3 = np.asarray(t3, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        neg = ((A0 + t3 * (A1 + t3 * (A2 + t3 * (A3 + t3 * A4))))
               / (1 + t3 * (B1 + t3 * (B2 + t3 * B3))))
        z = 1 - t3
        pos = (-1 + z * (C1 + z * (C2 + z * C3))) / (1 + z * (D1 + z * D2))
        g = np.where(t3 <= 0, neg, pos)
        # t3 < -0.8: Newton iterations on (1 - 3^-k) / (1 - 2^-k) = (t3 + 3) / 2
        hard = t3 < -0.8
        if hard.any():
            gh = np.where(t3[hard] <= -0.97, 1 - np.log(1 + t3[hard]) / math.log(2), g[hard])
            t0 = (t3[hard] + 3) * 0.5
            done = np.zeros(gh.shape, bool)
            for _ in range(19):
                x2, x3 = 2.0 ** -gh, 3.0 ** -gh
                xx2, xx3 = 1 - x2, 1 - x3
                deriv = (xx2 * x3 * math.log(3) - xx3 * x2 * math.log(2)) / xx2 ** 2
                new = gh - (xx3 / xx2 - t0) / deriv
                step_ok = np.abs(new - gh) <= 1e-6 * new
                gh = np.where(done, gh, new)
                done |= step_ok
                if done.all():
                    break
            g[hard] = np.where(done, gh, np.nan)
    return g


def gev_lmoments(x, min_values=4):
    """GEV (shape, loc, scale) by L-moments for every row of a 2-D array (NaN = missing) or
    for one 1-D series. Rows with fewer than `min_values` values, or without spread, give
    NaN (1-D input raises TooShortError instead). Equals lmoments3.distr.gev.lmom_fit."""
    one = np.ndim(x) == 1
    if one:
        _clean_1d(x, min_values)
    l1, l2, t3, n = sample_lmoments(x)
    bad = (n < min_values) | ~(l2 > 0) | ~(np.abs(t3) < 1)
    t3 = np.where(bad, 0.0, t3)
    k = _shape_from_t3(t3)
    with np.errstate(invalid="ignore", divide="ignore"):
        gam = special.gamma(1 + k)
        small = (t3 > 0) & (np.abs(k) < 1e-5)                # Gumbel limit (lmoments3's rule)
        scale = np.where(small, l2 / math.log(2), l2 * k / (gam * (1 - 2.0 ** -k)))
        loc = np.where(small, l1 - 0.57721566 * scale, l1 - scale * (1 - gam) / k)
        shape = np.where(small, 0.0, k)
    nan = np.nan
    shape, loc, scale = (np.where(bad, nan, v) for v in (shape, loc, scale))
    if one:
        return float(shape[0]), float(loc[0]), float(scale[0])
    return shape, loc, scale


def _loglik(x, params):
    with np.errstate(all="ignore"):
        value = np.sum(stats.genextreme.logpdf(x, *params))
    return value if np.isfinite(value) else -np.inf


def gev_mle(x_1d, start=None):
    """GEV (shape, loc, scale) by maximum likelihood (scipy.stats.genextreme.fit) for one
    series; started from the L-moment estimate (or `start`) and from scipy's default, keeping
    the higher log-likelihood."""
    x = _clean_1d(x_1d)
    candidates = []
    guess = start if start is not None else gev_lmoments(x)
    with np.errstate(all="ignore"):
        if all(np.isfinite(guess)):
            c0, loc0, scale0 = guess
            candidates.append(stats.genextreme.fit(x, c0, loc=loc0, scale=scale0))
        candidates.append(stats.genextreme.fit(x))
    best = max(candidates, key=lambda p: _loglik(x, p))
    return tuple(float(v) for v in best)


def return_levels(shape, loc, scale, periods=RETURN_PERIODS):
    """Return levels, genextreme.isf(1/T, shape, loc, scale); broadcasts: scalar parameters
    give one value per period, arrays of parameters (n,) give (n, len(periods))."""
    periods = np.asarray(periods, dtype=np.float64)
    if np.any(periods <= 1):
        raise ValueError("Return periods must be longer than one year.")
    c = np.asarray(shape, dtype=np.float64)[..., None]
    loc = np.asarray(loc, dtype=np.float64)[..., None]
    scale = np.asarray(scale, dtype=np.float64)[..., None]
    y = -np.log(-np.log1p(-1.0 / periods))                   # Gumbel reduced variate
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.where(c == 0, y, -special.expm1(-c * y) / np.where(c == 0, 1.0, c))
    return loc + scale * q


def _bootstrap_samples(x, n_boot, seed):
    rng = np.random.default_rng(seed)
    return x[rng.integers(0, x.size, size=(n_boot, x.size))]


def return_level_ci(x_1d, method="lmoments", periods=RETURN_PERIODS, level=0.95, n_boot=None,
                    seed=0):
    """(lower, upper) arrays of the `level` confidence interval of each return level, by
    nonparametric bootstrap: the annual maxima are resampled with replacement n_boot times,
    refitted with `method`, and the percentile interval of the refitted return levels taken.
    L-moment refits run all at once (vectorised); MLE refits are a loop of scipy fits."""
    if method not in N_BOOT:
        raise ValueError("method must be 'lmoments' or 'mle'.")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1.")
    x = _clean_1d(x_1d)
    n_boot = N_BOOT[method] if n_boot is None else int(n_boot)
    samples = _bootstrap_samples(x, n_boot, seed)
    if method == "lmoments":
        params = gev_lmoments(samples)
    else:
        start = gev_mle(x)
        params = np.full((3, n_boot), np.nan)
        for b, sample in enumerate(samples):
            if np.ptp(sample) == 0:
                continue
            with np.errstate(all="ignore"):
                params[:, b] = stats.genextreme.fit(sample, start[0], loc=start[1],
                                                    scale=start[2])
    levels = return_levels(*params, periods=periods)
    levels = levels[np.isfinite(levels).all(axis=1)]
    tail = (1 - level) / 2
    if levels.shape[0] == 0:
        nan = np.full(len(periods), np.nan)
        return nan, nan.copy()
    lower, upper = np.quantile(levels, [tail, 1 - tail], axis=0)
    return lower, upper


def fit_summary(x_1d, method="lmoments", periods=RETURN_PERIODS, level=0.95, n_boot=None,
                seed=0):
    """Everything a page shows about one GEV fit, as plain Python values:
    {"method", "n", "shape", "loc", "scale", "log_likelihood", "level", "ci_method",
     "levels": [{"period", "level", "low", "high"}, ...]}.
    Raises TooShortError below MIN_VALUES values (ConstantSeriesError, a TooShortError, when
    all values are equal)."""
    if method not in N_BOOT:
        raise ValueError("method must be 'lmoments' or 'mle'.")
    x = _clean_1d(x_1d)
    params = gev_lmoments(x) if method == "lmoments" else gev_mle(x)
    if not all(np.isfinite(params)):
        raise ValueError("The GEV fit did not converge for this series.")
    values = return_levels(*params, periods=periods)
    n_boot = N_BOOT[method] if n_boot is None else int(n_boot)
    lower, upper = return_level_ci(x, method, periods, level, n_boot, seed)
    return {
        "method": method,
        "n": int(x.size),
        "shape": params[0], "loc": params[1], "scale": params[2],
        "log_likelihood": float(_loglik(x, params)),
        "level": level,
        "ci_method": f"nonparametric bootstrap, {n_boot} resamples, percentile interval",
        "levels": [
            {"period": int(t) if float(t).is_integer() else float(t), "level": float(v),
             "low": float(lo), "high": float(hi)}
            for t, v, lo, hi in zip(periods, values, lower, upper)
        ],
    }
