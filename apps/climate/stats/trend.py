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

Speed: everything is vectorised over the series, so a grid or a station network is one call.
Short series (at most BRUTE_N values, e.g. 60 annual values) form all pairwise slopes once, in
cache-sized blocks: S is the count of their signs and the Sen slope their median (one
np.partition per block). Longer series never form the pairs: S comes from an O(n log n)
inversion count (ties counted from a sort) and the Sen slope from slope selection by counting
(see _rank.py and _sen.py). Hamed-Rao's autocorrelation of the ranks is summed exactly in
integers (directly for short series, by FFT rounded back to integers for long ones).
"""
from dataclasses import dataclass

import numpy as np
from scipy.fft import irfft, next_fast_len, rfft
from scipy.special import ndtr, ndtri

from ._rank import average_ranks, inversions, nan_pair_correction, tie_sums
from ._sen import BRUTE_N, sen_median, short_series

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


# Below this magnitude a nonzero difference of two values, divided by a time step, could
# underflow to zero and lose its sign (all values of at least 2**-960 are multiples of
# 2**-1012, so their nonzero differences over at most BRUTE_N steps stay above 2**-1074).
_TINY = 2.0 ** -960


def _score_and_slope(x, valid):
    """S, Var(S), the pair count, the sorted rows and the Sen slope of every row. Short series
    (at most BRUTE_N values): S from the signs of the same block of pair slopes whose median is
    the Sen slope. Longer ones: S by inversion counting, the slope by selection."""
    if x.shape[1] > BRUTE_N:
        s, var_s, npairs, sorted_x = _score(x, valid)
        return s, var_s, npairs, sorted_x, sen_median(x, valid)
    mv = valid.sum(axis=1).astype(np.int64)
    npairs = mv * (mv - 1) // 2
    sorted_x = np.sort(x, axis=1)                       # NaN last
    tied, tie_term = tie_sums(sorted_x)
    slope, decreasing = short_series(x, valid, count=True)
    s = (npairs - tied - 2 * decreasing).astype(np.float64)
    tiny = ((np.abs(x) < _TINY) & (x != 0)).any(axis=1)
    if tiny.any():                                      # a slope may have underflowed to 0
        s[tiny] = _score(x[tiny], valid[tiny])[0]
    var_s = (mv * (mv - 1) * (2 * mv + 5) - tie_term) / 18.0
    return s, var_s, npairs, sorted_x, slope


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


# Values per chunk of rows. Short series: about a thousand rows of 60 values at once (the
# pair block inside short_series is chunked again to stay in cache; measured: smaller chunks
# here only add per-call overhead). Long series: large chunks (the slope selection's per-call
# overhead).
SHORT_CHUNK = 65_536
LONG_CHUNK = 4_000_000


def _chunks(m, n):
    step = max(1, (SHORT_CHUNK if n <= BRUTE_N else LONG_CHUNK) // max(n, 1))
    step = -(-m // -(-m // step)) if m else step        # equal chunks, none much smaller
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
        s, var_s, npairs, sorted_x, slope = _score_and_slope(xs, valid)
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
        s, var_s, npairs, sorted_x, slope = _score_and_slope(xs, valid)
        intercept = _intercept(xs, valid, slope, sorted_x)
        var_s = var_s * _hamed_rao_factor(xs, valid, n, slope, alpha, lag)
        parts.append(_finish(n, s, var_s, npairs, slope, intercept, alpha))
    return _concat(parts)


# Up to this length the autocovariances of the ranks are summed directly (int32 products of
# a strided view: exact and cheaper than two FFTs of short rows); longer series by FFT.
DIRECT_ACF_N = 128


def _hamed_rao_factor(x, valid, n, slope, alpha, lag):
    """n/n* of Hamed & Rao (1998) per row, as pymannkendall computes it, bit for bit.

    The ranks r of the detrended series are multiples of 1/2 with mean (n + 1)/2, so
    y = 2r - (n + 1) are integers and every autocovariance sum of y is an integer far below
    2**31: summed directly in integers, or by FFT and rounded back to those integers, they are
    exactly np.correlate's sums (times 4). Dividing as pymannkendall does (by n, then by lag
    0) and summing the significant lags in lag order gives its numbers, not just close ones."""
    m, width = x.shape
    full = bool(valid.all())
    # present values moved to the front, in time order; detrended on positions 1..n
    if full:
        xc, present = x, None
    else:
        compact = np.argsort(~valid, axis=1, kind="stable")
        xc = np.take_along_axis(x, compact, axis=1)
        present = np.arange(width)[None, :] < n[:, None]
        xc[~present] = np.nan
    detrended = xc - np.arange(1.0, width + 1) * slope[:, None]
    y = _twice_centred_ranks(detrended, n, present)
    nf = n.astype(np.float64)
    if width <= DIRECT_ACF_N:
        padded = np.zeros((m, 2 * width), np.int32)
        padded[:, :width] = y
        ahead = np.ndarray((m, width, width), np.int32, padded, 0,
                           (padded.strides[0], 4, 4))          # ahead[r, k, t] = y[r, t + k]
        sums = np.einsum("rkt,rt->rk", ahead, padded[:, :width]).astype(np.float64)
    else:
        nfft = next_fast_len(2 * width - 1, real=True)
        spec = rfft(y, nfft, axis=1)
        power = np.square(spec.real)
        power += np.square(spec.imag)
        sums = irfft(power, nfft, axis=1)[:, :width]
        np.rint(sums, out=sums)
    sums *= 0.25                                        # np.correlate(y/2, y/2), exact
    with np.errstate(invalid="ignore", divide="ignore"):
        acov = np.divide(sums, nf[0], out=sums) if full else sums / nf[:, None]
        acf = acov / acov[:, :1]
        bound = ndtri(1 - alpha / 2) / np.sqrt(nf)
        lags = np.arange(width)
        if full:
            ni = nf[0] - lags
            keep = (lags >= 1) & (lags < (width if lag is None else min(width, lag + 1)))
            keep = keep & ~(np.abs(acf) <= bound[0])   # outside the bound (NaN: outside)
        else:
            ni = nf[:, None] - lags
            nlag = n if lag is None else np.minimum(n, lag + 1)
            keep = (lags >= 1) & (lags < nlag[:, None])
            keep &= ~(np.abs(acf) <= bound[:, None])
        terms = np.multiply(ni * (ni - 1) * (ni - 2), acf, out=acf)
        terms[~keep] = 0.0
        sni = np.cumsum(terms, axis=1)[:, -1]           # in lag order, as pymannkendall
        return 1 + 2 / (nf * (nf - 1) * (nf - 2)) * sni


def _twice_centred_ranks(detrended, n, present):
    """2 * rank - (n + 1) of each present value (average ranks of ties), 0 elsewhere."""
    m, width = detrended.shape
    if present is None:
        order = np.argsort(detrended, axis=1)
        order += np.arange(0, m * width, width)[:, None]    # flat positions
        ordered = detrended.ravel()[order].reshape(m, width)
        if not (ordered[:, 1:] == ordered[:, :-1]).any():   # no ties: ranks are positions
            y = np.empty((m, width))
            y.ravel()[order.ravel()] = np.tile(np.arange(1.0 - width, width, 2.0), m)
            return y
    ranks = average_ranks(detrended)
    with np.errstate(invalid="ignore"):
        y = 2 * ranks - (n[:, None] + 1.0)
    y[np.isnan(y)] = 0.0        # gaps, and rows too short for a slope (their result is NaN)
    return y


def _concat(parts):
    if len(parts) == 1:
        return parts[0]
    return TrendResult(**{f: np.concatenate([getattr(p, f) for p in parts])
                          for f in TrendResult.__dataclass_fields__})
