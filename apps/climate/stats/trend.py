"""Monotonic trend tests on many series at once: Mann-Kendall, its Hamed-Rao variant, and the
Sen slope.

Definitions (the results equal pymannkendall 1.4.3 on the same data, checked in
apps/climate/tests/test_stats_trend.py):

* Mann-Kendall (Mann 1945; Kendall 1975; Gilbert 1987): S = sum over pairs i < j of
  sign(x_j - x_i); Var(S) = [n(n-1)(2n+5) - sum_t t(t-1)(2t+5)] / 18 over groups of t tied
  values; Z = (S - sign(S)) / sqrt(Var S) (continuity correction, Z = 0 when S = 0);
  two-sided p = 2 (1 - Phi(|Z|)) (computed as 2 Phi(-|Z|), which is the same number without
  the cancellation for tiny p); Kendall's tau = S / (n(n-1)/2).
* Sen (1968) slope: median of (x_j - x_i) / (j - i) over pairs of present values, j - i in
  time steps of the input (gaps keep their place); intercept = median(x) - median(t) * slope
  with t the positions of the present values (Conover 1980), as pymannkendall computes it.
* Hamed & Rao (1998): Var(S) multiplied by n/n* = 1 + 2 / (n(n-1)(n-2)) *
  sum_i (n-i)(n-i-1)(n-i-2) rho_i over the lags i whose autocorrelation rho_i of the ranks of
  the detrended series (x - Sen slope * (1..n), positions counted over the present values) lies
  outside +-Phi^-1(1 - alpha/2) / sqrt(n). All lags 1..n-1 by default, or 1..lag.

Missing values (NaN) are dropped as pymannkendall does. A series with fewer than MIN_VALUES
present values is `too_short`: every statistic is NaN and trend is 0, never a number.

Speed: S comes from an O(n log n) inversion count (ties counted from a sort) and the Sen slope
from slope selection by counting (see _rank.py and _sen.py); everything is vectorised over the
series, so a grid or a station network is one call.
"""
from dataclasses import dataclass

import numpy as np
from scipy.fft import irfft, next_fast_len, rfft
from scipy.special import ndtr, ndtri

from ._rank import average_ranks, inversions, nan_pair_correction, tie_sums
from ._sen import sen_median

# The two-sided test at alpha = 0.05 cannot reject below 5 values: with n = 4 even a perfectly
# monotonic series gives S = 6, Var S = 8.67, Z = 1.70, p = 0.09. pymannkendall returns numbers
# from n = 3 on; we return NaN instead, because such a "p-value" misleads.
MIN_VALUES = 5


@dataclass
class TrendResult:
    """One entry per series in every field."""

    n: np.ndarray          # present (non-NaN) values used
    s: np.ndarray          # Mann-Kendall score
    var_s: np.ndarray      # variance of S (Hamed-Rao: corrected)
    z: np.ndarray
    p: np.ndarray          # two-sided p-value
    tau: np.ndarray        # Kendall's tau (S over the number of pairs)
    trend: np.ndarray      # +1 increasing, -1 decreasing, 0 no trend at alpha (or too short)
    slope: np.ndarray      # Sen slope per time step
    intercept: np.ndarray
    too_short: np.ndarray  # fewer than MIN_VALUES present values: all statistics NaN

    def __len__(self):
        return len(self.n)

    def row(self, i):
        """The statistics of series i as a dict of plain Python values."""
        return {name: getattr(self, name)[i].item() for name in self.__dataclass_fields__}


def _as_rows(x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise ValueError("Expected one series (1-D) or one series per row (2-D), got %d dimensions."
                         % x.ndim)
    if np.isinf(x).any():
        raise ValueError("Infinite values are not allowed in a trend test; use NaN for missing.")
    return x


def sens_slope(x):
    """Sen slope and intercept of every row (or of one 1-D series) as two arrays (1-D input:
    two floats). Computed for any series with at least two present values."""
    rows = _as_rows(x)
    slope = sen_median(rows)
    intercept = _intercept(rows, ~np.isnan(rows), slope)
    if np.ndim(x) == 1:
        return float(slope[0]), float(intercept[0])
    return slope, intercept


def _middle(sorted_rows, count):
    """np.median of the first `count` entries of each sorted row (NaN when count is 0)."""
    m = sorted_rows.shape[0]
    r = np.arange(m)
    lo = np.clip((count - 1) // 2, 0, None)
    hi = np.clip(count // 2, 0, None)
    hi = np.minimum(hi, sorted_rows.shape[1] - 1)
    val = (sorted_rows[r, lo] + sorted_rows[r, hi]) / 2
    return np.where(count > 0, val, np.nan)


def _intercept(x, valid, slope, sorted_x=None):
    """median(x) - median(t) * slope over the present values (pymannkendall's intercept)."""
    mv = valid.sum(axis=1)
    med_x = _middle(np.sort(x, axis=1) if sorted_x is None else sorted_x, mv)
    if valid.all():
        med_t = np.full(x.shape[0], (x.shape[1] - 1) / 2)
    else:
        pos = np.where(valid, np.arange(x.shape[1], dtype=np.float64), np.inf)
        med_t = _middle(np.sort(pos, axis=1), mv)
    return med_x - med_t * slope


def _score(x, valid):
    """Mann-Kendall S and Var(S) of every row, O(n log n) per row."""
    mv = valid.sum(axis=1).astype(np.int64)
    npairs = mv * (mv - 1) // 2
    full = bool(valid.all())
    keys = x if full else np.where(valid, x, np.inf)
    order = np.argsort(keys, axis=1, kind="stable")    # equal values keep time order
    discordant = inversions(order)
    if not full:
        discordant -= nan_pair_correction(valid)
    sorted_x = np.take_along_axis(x, order, axis=1)    # NaN last, as np.sort
    tied, tie_term = tie_sums(sorted_x)
    s = (npairs - tied - 2 * discordant).astype(np.float64)
    var_s = (mv * (mv - 1) * (2 * mv + 5) - tie_term) / 18.0
    return s, var_s, npairs, sorted_x


def _finish(n, s, var_s, npairs, slope, intercept, alpha):
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(var_s)
        z = np.where(s > 0, (s - 1) / sd, np.where(s < 0, (s + 1) / sd, 0.0))
        p = 2 * ndtr(-np.abs(z))
        tau = s / npairs
    h = np.abs(z) > ndtri(1 - alpha / 2)
    trend = np.where(h, np.sign(z), 0).astype(np.int8)
    too_short = n < MIN_VALUES
    nan = np.full(n.shape, np.nan)
    pick = lambda a: np.where(too_short, nan, a)  # noqa: E731
    return TrendResult(
        n=n, s=pick(s), var_s=pick(var_s), z=pick(z), p=pick(p), tau=pick(tau),
        trend=np.where(too_short, 0, trend).astype(np.int8), slope=pick(slope),
        intercept=pick(intercept), too_short=too_short,
    )


def _chunks(m, n, budget=4_000_000):
    step = max(1, budget // max(n, 1))
    for a in range(0, m, step):
        yield slice(a, min(m, a + step))


def mann_kendall(x, alpha=0.05):
    """Mann-Kendall test with the Sen slope for every row of x (n_series, n_times) or for one
    1-D series; NaN = missing. Equals pymannkendall.original_test series by series."""
    x = _as_rows(x)
    parts = []
    for sl in _chunks(*x.shape):
        xs = x[sl]
        valid = ~np.isnan(xs)
        n = valid.sum(axis=1).astype(np.int64)
        s, var_s, npairs, sorted_x = _score(xs, valid)
        slope = sen_median(xs, valid)
        intercept = _intercept(xs, valid, slope, sorted_x)
        parts.append(_finish(n, s, var_s, npairs, slope, intercept, alpha))
    return _concat(parts)


def hamed_rao(x, alpha=0.05, lag=None):
    """Hamed & Rao (1998) modified Mann-Kendall test for every row (or one 1-D series); equals
    pymannkendall.hamed_rao_modification_test. `lag`: number of lags to consider (default:
    all, n - 1)."""
    x = _as_rows(x)
    parts = []
    for sl in _chunks(*x.shape):
        xs = x[sl]
        valid = ~np.isnan(xs)
        n = valid.sum(axis=1).astype(np.int64)
        s, var_s, npairs, sorted_x = _score(xs, valid)
        slope = sen_median(xs, valid)
        intercept = _intercept(xs, valid, slope, sorted_x)
        var_s = var_s * _hamed_rao_factor(xs, valid, n, slope, alpha, lag)
        parts.append(_finish(n, s, var_s, npairs, slope, intercept, alpha))
    return _concat(parts)


def _hamed_rao_factor(x, valid, n, slope, alpha, lag):
    """n/n* of Hamed & Rao (1998) per row, as pymannkendall computes it."""
    m, width = x.shape
    # present values moved to the front, in time order; detrended on positions 1..n
    if valid.all():
        xc, present = x, valid
    else:
        compact = np.argsort(~valid, axis=1, kind="stable")
        xc = np.take_along_axis(x, compact, axis=1)
        present = np.arange(width)[None, :] < n[:, None]
        xc[~present] = np.nan
    detrended = xc - np.arange(1, width + 1)[None, :] * slope[:, None]
    ranks = average_ranks(detrended)
    nf = n.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(ranks, axis=1) / nf
        y = np.where(present, ranks - mean[:, None], 0.0)
        nfft = next_fast_len(2 * width - 1, real=True)
        spec = rfft(y, nfft, axis=1)
        acov = irfft(spec.real ** 2 + spec.imag ** 2, nfft, axis=1)[:, :width] / nf[:, None]
        acf = acov / acov[:, :1]
        bound = ndtri(1 - alpha / 2) / np.sqrt(nf)
        lags = np.arange(width)[None, :]
        nlag = n if lag is None else np.minimum(n, lag + 1)
        use = (lags >= 1) & (lags < nlag[:, None])
        outside = ~((acf <= bound[:, None]) & (acf >= -bound[:, None]))   # NaN counts as outside
        ni = (nf[:1, None] if valid.all() else nf[:, None]) - lags
        weight = ni * (ni - 1) * (ni - 2)
        sni = np.where(use & outside, weight * acf, 0.0).sum(axis=1)
        return 1 + 2 / (nf * (nf - 1) * (nf - 2)) * sni


def _concat(parts):
    if len(parts) == 1:
        return parts[0]
    return TrendResult(**{f: np.concatenate([getattr(p, f) for p in parts])
                          for f in TrendResult.__dataclass_fields__})
