"""Exact Sen (Theil-Sen) slope of many series at once, without forming all pairs.

The Sen slope (Sen 1968, after Theil 1950) is the median of the n(n-1)/2 pairwise slopes
(x_j - x_i) / (j - i), i < j, both values present. pymannkendall forms every pair and calls
np.nanmedian; for 720 monthly values that is 258,840 slopes per series.

Short series (n <= BRUTE_N) do exactly that, vectorised over rows in cache-sized chunks, with
one np.partition per chunk instead of a median per series; the pairs are laid out cyclically
(see _cyclic_divisors) so that forming them is one subtraction and one division per chunk, and
the same block gives the Mann-Kendall S (the signs of the slopes). Longer series use slope selection
by counting (Cole et al. 1989, Matousek 1991, Dillencourt, Mount & Netanyahu 1992):

1. The number of pairwise slopes below a pivot theta is the number of inverted pairs when a
   row is ordered by x - theta * t (see _rank.py), O(n log n) per row.
2. A random sample of pairs gives pivots lo < hi whose counts bracket the median rank(s);
   the bracket is tightened a few times (sample quantiles inside the bracket, then linear
   interpolation between the exact counts) until it holds at most about 2n slopes.
3. The pairs inside the bracket are exactly those whose order differs between the lo and hi
   orderings. Every such pair lies within twice the largest displacement between the two
   orderings, so they are listed by comparing neighbours up to that distance, their slopes
   computed exactly as pymannkendall computes them, and the wanted rank picked from them.

Ties and the even-count rule follow np.median: for an even number of slopes the mean of the
two middle ones. A row whose bracket stays wide (for example integer data where one slope
value is shared by a large share of the pairs), or whose listing disagrees with its counts,
falls back to the exact all-pairs computation, so the result never depends on the sampling.
"""
import numpy as np

from ._rank import inversions, nan_pair_correction, pack_order

BRUTE_N = 80            # up to this length all pairs are formed (measured: cheaper there)
PAIR_BUDGET = 120_000   # pairs formed at once by the all-pairs path (a block that stays in cache)
SAMPLE = 512            # sampled pairs per row for the first bracket (at most)
Z = 2.5                 # bracket half-width in sampling standard deviations
ROUNDS = 6              # tightening rounds at most
MAX_WINDOW = 64         # listing compares each item with at most this many neighbours
LISTING_BUDGET = 16_000_000   # rows x n x window compared at once
LINEAR_MARGIN = 0.05    # interpolation margin (share of the bracket) once samples run out
FEW_SAMPLES = 100       # below this many sample points inside a bracket, interpolate


def median_ranks(npairs):
    """0-based ranks of the lower and upper middle slope (equal for an odd count)."""
    return (npairs - 1) // 2, npairs // 2


def brute_force(x, valid):
    """Sen slope of every row by forming all pairs (rows of equal length n)."""
    return short_series(x, valid)[0]


_LAYOUTS = {}


def _cyclic_divisors(n):
    """Signed time steps of the cyclic pair layout of a length-n series (cached per n).

    Pair (t, t + k mod n) for k = 1..(n-1)//2 and t = 0..n-1, then for even n the pairs
    (t, t + n/2), t < n/2: every pair i < j exactly once, as one rectangular block per row
    whose differences x[(t + k) mod n] - x[t] are one subtraction from a strided view of the
    row written twice. Where t + k wraps past n the pair is (t + k - n, t) and the difference
    has the opposite sign, so the divisor is -(j - i): (x_i - x_j) / -(j - i) is bit for bit
    (x_j - x_i) / (j - i), the slope pymannkendall computes, and its sign is that of
    x_j - x_i."""
    w = _LAYOUTS.get(n)
    if w is None:
        h = (n - 1) // 2
        k = np.arange(1, h + 1)[:, None]
        t = np.arange(n)[None, :]
        w = np.where(t + k < n, k, k - n).astype(np.float64).ravel()
        if n % 2 == 0:
            w = np.concatenate([w, np.full(n // 2, n / 2)])
        w.flags.writeable = False
        _LAYOUTS[n] = w
    return w


def short_series(x, valid, count=False):
    """Sen slope of every row by forming all pairs (rows of equal length n), and with `count`
    also the number of decreasing pairs (x_j < x_i, i < j, both present) per row, from the
    same block of pair slopes (the sign of a slope is the sign of x_j - x_i unless the
    quotient underflows to zero; see trend.py for the rows where it could).

    Rows are taken in chunks whose pair block stays in cache. Complete rows: one
    np.partition at the upper middle rank (the lower middle is the largest value below it);
    rows with gaps: a sort of their present pairs (_brute_compact), as the count of present
    pairs differs from row to row."""
    m, n = x.shape
    out = np.full(m, np.nan)
    dec = np.zeros(m, np.int64)
    npairs = n * (n - 1) // 2
    if n < 2 or m == 0:
        return out, dec
    w = _cyclic_divisors(n)
    h = (n - 1) // 2
    full = valid.all(axis=1)
    k1, k2 = median_ranks(npairs)
    rows = np.flatnonzero(full) if not count else np.arange(m)
    step = max(1, PAIR_BUDGET // npairs)
    step = -(-rows.size // -(-rows.size // step)) if rows.size else 1   # equal chunks
    block = np.empty((min(step, rows.size), npairs))
    twice = np.empty((min(step, rows.size), 2 * n))
    less = np.empty((min(step, rows.size), npairs), bool) if count else None
    acc = np.uint16 if npairs < 2 ** 16 else np.int64
    for a in range(0, rows.size, step):
        sel = rows[a:a + step]
        xs = x[sel]
        r = sel.size
        d, xx = block[:r], twice[:r]
        xx[:, :n] = xs
        xx[:, n:] = xs
        if h:
            ahead = np.ndarray((r, h, n), np.float64, xx, 8, (xx.strides[0], 8, 8))
            np.subtract(ahead, xs[:, None, :], out=d[:, :h * n].reshape(r, h, n))
        if n % 2 == 0:
            np.subtract(xs[:, n // 2:], xs[:, :n // 2], out=d[:, h * n:])
        d /= w
        if count:
            np.less(d, 0, out=less[:r])
            dec[sel] = np.add.reduce(less[:r].view(np.uint8), axis=1, dtype=acc)
        ok = full[sel]
        if not ok.all():
            d = d[ok]
            sel = sel[ok]
        d.partition(k2, axis=1)
        upper = d[:, k2]
        lower = upper if k1 == k2 else d[:, :k2].max(axis=1)
        out[sel] = (lower + upper) / 2
    gaps = np.flatnonzero(~full)
    if gaps.size:
        out[gaps] = _brute_compact(x[gaps], valid[gaps])
    return out, dec


def sen_median(x, valid=None, seed=12345):
    """Sen slope (median pairwise slope per time step) of every row of x (NaN = missing)."""
    x = np.asarray(x, dtype=np.float64)
    if valid is None:
        valid = ~np.isnan(x)
    m, n = x.shape
    if n <= BRUTE_N:
        return brute_force(x, valid)
    out = np.full(m, np.nan)
    mv = valid.sum(axis=1)
    # Too few values for sampling: exact all pairs of those rows (cheap, they are short).
    small = mv <= BRUTE_N
    if small.any():
        out[small] = _brute_compact(x[small], valid[small])
    big = np.flatnonzero(~small)
    if big.size:
        rng = np.random.default_rng(seed)
        # chunk rows: memory of the bracket listing grows with rows x n
        step = max(1, 2_000_000 // n)
        for a in range(0, big.size, step):
            rows = big[a:a + step]
            out[rows] = _select(x[rows], valid[rows], rng)
    return out


def _brute_compact(x, valid):
    """All-pairs Sen slope for rows with few valid values: drop the gaps first (the slope
    uses the true time positions, so compacting changes nothing but the pair count)."""
    m, n = x.shape
    mv = valid.sum(axis=1)
    width = max(int(mv.max(initial=0)), 1)
    order = np.argsort(~valid, axis=1, kind="stable")[:, :width]
    xc = np.take_along_axis(x, order, axis=1)
    tc = order.astype(np.float64)
    keep = np.arange(width)[None, :] < mv[:, None]
    xc[~keep] = np.nan
    out = np.full(m, np.nan)
    if width < 2:
        return out
    i, j = np.triu_indices(width, 1)
    step = max(1, PAIR_BUDGET // i.size)
    npairs = (mv * (mv - 1) // 2).astype(np.int64)
    k1, k2 = median_ranks(npairs)
    for a in range(0, m, step):
        d = (xc[a:a + step, j] - xc[a:a + step, i]) / (tc[a:a + step, j] - tc[a:a + step, i])
        d[np.isnan(d)] = np.inf
        d.sort(axis=1)
        r = np.arange(d.shape[0])
        ok = npairs[a:a + step] > 0
        lo = d[r, np.where(ok, k1[a:a + step], 0)]
        hi = d[r, np.where(ok, k2[a:a + step], 0)]
        out[a:a + step] = np.where(ok, (lo + hi) / 2, np.nan)
    return out


class _Rows:
    """Per-row state of the selection for one chunk."""

    def __init__(self, x, valid):
        self.x, self.valid = x, valid
        self.all_valid = bool(valid.all())
        m, n = x.shape
        self.t = np.arange(n, dtype=np.float64)
        self.mv = valid.sum(axis=1).astype(np.int64)
        self.npairs = self.mv * (self.mv - 1) // 2
        self.k1, self.k2 = median_ranks(self.npairs)
        if self.all_valid:
            self.corr = np.zeros(m, np.int64)
            self.xmin, self.xmax = x.min(axis=1), x.max(axis=1)
        else:
            self.corr = nan_pair_correction(valid)
            self.xmin, self.xmax = np.nanmin(x, axis=1), np.nanmax(x, axis=1)

    def count(self, theta, rows):
        """Order by x - theta t and the number of slopes below theta (up to rounding)."""
        x = self.x[rows]
        keys = np.multiply(theta[:, None], self.t)
        np.subtract(x, keys, out=keys)
        # a strict lower bound of the keys, with a margin so that keys - low stays positive
        n1 = self.t[-1]
        low = self.xmin[rows] - np.maximum(theta * n1, 0)
        high = self.xmax[rows] - np.minimum(theta * n1, 0)
        low = low - (high - low) * 1e-6 - np.abs(low) * 1e-9 - 1e-300
        order = pack_order(keys, None if self.all_valid else self.valid[rows], low)
        return order, inversions(order) - self.corr[rows]


def _select(x, valid, rng):
    st = _Rows(x, valid)
    m, n = x.shape
    mv, npairs, k1, k2 = st.mv, st.npairs, st.k1, st.k2

    # Time order: every slope is above a bound below -range (order = positions, count 0)
    # and below a bound above +range (order = reversed positions of the valid values).
    span = st.xmax - st.xmin
    bound = 2 * span + 1
    if st.all_valid:
        compact = None
        lo_order = np.broadcast_to(np.arange(n), (m, n)).copy()
        hi_order = lo_order[:, ::-1].copy()
    else:
        compact = np.argsort(~valid, axis=1, kind="stable")
        lo_order = compact.copy()
        p = np.arange(n)[None, :]
        hi_order = np.take_along_axis(
            compact, np.where(p < mv[:, None], mv[:, None] - 1 - p, p), axis=1
        )                                                # valid prefix reversed, gaps after
    lo_val, hi_val = -bound, bound.copy()
    lo_cnt, hi_cnt = np.zeros(m, np.int64), npairs.copy()

    # 1. sample of pairs among the valid values (the same pairs for rows without gaps)
    s = int(min(SAMPLE, max(128, n * (n - 1) // 32)))
    if st.all_valid:
        a = np.floor(rng.random(s) * n).astype(np.intp)
        b = np.floor(rng.random(s) * (n - 1)).astype(np.intp)
        b += b >= a
        i, j = np.minimum(a, b), np.maximum(a, b)
        sample = np.take(x, j, axis=1)
        sample -= np.take(x, i, axis=1)
        sample /= (j - i).astype(np.float64)
    else:
        a = np.floor(rng.random((m, s)) * mv[:, None]).astype(np.intp)
        b = np.floor(rng.random((m, s)) * (mv[:, None] - 1)).astype(np.intp)
        b += b >= a
        i, j = np.minimum(a, b), np.maximum(a, b)
        xc = np.take_along_axis(x, compact, axis=1)
        ti = np.take_along_axis(compact, i, axis=1)
        tj = np.take_along_axis(compact, j, axis=1)
        sample = (np.take_along_axis(xc, j, axis=1) - np.take_along_axis(xc, i, axis=1)) / (tj - ti)
    sample.sort(axis=1)

    def sample_pivots(r):
        """Pivots from the sample points strictly inside (lo, hi), at the wanted ranks +- Z sd."""
        smp = sample[r]
        first = (smp <= lo_val[r, None]).sum(axis=1)
        inside = (smp < hi_val[r, None]).sum(axis=1) - first
        width = np.maximum(hi_cnt[r] - lo_cnt[r], 1)
        f1 = (k1[r] - lo_cnt[r] + 0.5) / width
        f2 = (k2[r] - lo_cnt[r] + 0.5) / width
        ia = np.floor(f1 * inside - Z * np.sqrt(inside * f1 * (1 - f1)) - 1).astype(np.int64)
        ib = np.ceil(f2 * inside + Z * np.sqrt(inside * f2 * (1 - f2)) + 1).astype(np.int64)
        idx = np.arange(r.size)
        pa = np.where((ia >= 0) & (ia < inside), smp[idx, np.clip(first + ia, 0, s - 1)], np.nan)
        pb = np.where((ib >= 0) & (ib < inside), smp[idx, np.clip(first + ib, 0, s - 1)], np.nan)
        return pa, pb, inside

    def linear_pivots(r, margin):
        width = np.maximum(hi_cnt[r] - lo_cnt[r], 1)
        f1 = (k1[r] - lo_cnt[r] + 0.5) / width - margin
        f2 = (k2[r] - lo_cnt[r] + 0.5) / width + margin
        span = hi_val[r] - lo_val[r]
        pa = np.where(f1 > 0, lo_val[r] + span * f1, np.nan)
        pb = np.where(f2 < 1, lo_val[r] + span * f2, np.nan)
        return pa, pb

    def adopt(r, theta, order, cnt):
        """Keep a counted pivot as the new lo or hi of its row when it tightens the bracket
        and still holds the wanted ranks on its side (each row at most once per call)."""
        as_lo = (cnt <= k1[r]) & (cnt >= lo_cnt[r])
        g = r[as_lo]
        lo_order[g], lo_cnt[g], lo_val[g] = order[as_lo], cnt[as_lo], theta[as_lo]
        as_hi = (cnt > k2[r]) & (cnt <= hi_cnt[r])
        g = r[as_hi]
        hi_order[g], hi_cnt[g], hi_val[g] = order[as_hi], cnt[as_hi], theta[as_hi]

    target = np.maximum(2 * mv, 128)            # few enough to list (a few neighbours each)
    for round_ in range(ROUNDS):
        todo = np.flatnonzero(hi_cnt - lo_cnt > target)
        if todo.size == 0:
            break
        pa, pb, inside = sample_pivots(todo)
        la, lb = linear_pivots(todo, LINEAR_MARGIN)
        few = inside < FEW_SAMPLES
        pa = np.where(few, la, pa)
        pb = np.where(few, lb, pb)
        ok_a = np.isfinite(pa) & (pa > lo_val[todo]) & (pa < hi_val[todo])
        ok_b = np.isfinite(pb) & (pb > lo_val[todo]) & (pb < hi_val[todo])
        ra, rb = todo[ok_a], todo[ok_b]
        if ra.size + rb.size == 0:
            break
        theta = np.concatenate([pa[ok_a], pb[ok_b]])
        order, cnt = st.count(theta, np.concatenate([ra, rb]))
        na = ra.size
        adopt(ra, theta[:na], order[:na], cnt[:na])
        adopt(rb, theta[na:], order[na:], cnt[na:])

    out = np.full(m, np.nan)
    # 3. list the pairs inside each bracket
    hi_pos = np.empty_like(hi_order)
    np.put_along_axis(hi_pos, hi_order, np.arange(n)[None, :].repeat(m, 0), axis=1)
    seq = np.take_along_axis(hi_pos, lo_order, axis=1)   # hi position of the lo-ordered items
    disp = np.abs(seq - np.arange(n)).max(axis=1)
    window = 2 * disp
    width = hi_cnt - lo_cnt
    listable = (width <= np.maximum(16 * mv, 4096)) & (window <= MAX_WINDOW)
    fallback = ~listable
    # rows by window, in chunks of bounded rows x n x window (memory, and a tight window)
    todo = np.flatnonzero(listable)
    todo = todo[np.argsort(window[todo], kind="stable")]
    a = 0
    while a < todo.size:
        count = todo.size - a
        while count > 1 and count * n * max(int(window[todo[a + count - 1]]), 1) > LISTING_BUDGET:
            count = count // 2
        rows = todo[a:a + count]
        a += rows.size
        ok = _list_and_pick(rows, x, seq, lo_order, width, window, k1, k2, lo_cnt, hi_cnt, out)
        fallback[rows[~ok]] = True
    if fallback.any():
        out[fallback] = brute_force(x[fallback], valid[fallback])
    return out


def _list_and_pick(rows, x, seq, lo_order, width, window, k1, k2, lo_cnt, hi_cnt, out):
    """List the slopes inside the bracket of each row (pairs whose order differs between the
    lo and hi orderings), write the median of the rows that check out into `out`, and return
    which did (the others go to the all-pairs path)."""
    n = x.shape[1]
    cap = max(int(width[rows].max(initial=1)), 1)
    wmax = max(int(window[rows].max(initial=0)), 1)
    # all offsets 1..wmax at once: item p against items p+1..p+wmax of the lo order
    small = np.int16 if n < 2 ** 15 else np.int64
    padded = np.full((rows.size, n + wmax), n, small)
    padded[:, :n] = seq[rows]
    ahead = np.lib.stride_tricks.sliding_window_view(padded, wmax + 1, axis=1)[:, :n, 1:]
    flips = np.flatnonzero(padded[:, :n, None] > ahead)
    rr, rest = np.divmod(flips, n * wmax)
    pp, dd = np.divmod(rest, wmax)
    lo_o = lo_order[rows]
    e1 = lo_o[rr, pp]
    e2 = lo_o[rr, pp + dd + 1]
    ti, tj = np.minimum(e1, e2), np.maximum(e1, e2)
    xr = x[rows]
    slope = (xr[rr, tj] - xr[rr, ti]) / (tj - ti)
    fill = np.bincount(rr, minlength=rows.size)
    starts = np.concatenate([[0], np.cumsum(fill)[:-1]])
    slot = np.arange(rr.size) - starts[rr]           # nonzero lists rows in order
    overflow = fill > cap
    keep = slot < cap
    buf = np.full((rows.size, cap), np.inf)
    buf[rr[keep], slot[keep]] = slope[keep]
    buf.sort(axis=1)
    got = fill == width[rows]
    r1 = np.clip(k1[rows] - lo_cnt[rows], 0, buf.shape[1] - 1)
    r2 = np.clip(k2[rows] - lo_cnt[rows], 0, buf.shape[1] - 1)
    idx = np.arange(rows.size)
    inside = (k1[rows] >= lo_cnt[rows]) & (k2[rows] < hi_cnt[rows])
    ok = got & ~overflow & inside
    out[rows[ok]] = (buf[idx[ok], r1[ok]] + buf[idx[ok], r2[ok]]) / 2
    return ok
