"""Rank and pair-counting kernels shared by the trend tests, vectorised over the rows of a 2-D
array (one row = one series).

The Mann-Kendall score and the Sen slope are statistics over all n(n-1)/2 pairs of a series.
For long series (720 monthly values: 258,840 pairs) we never form the pairs:

* `inversions(order)` counts the inversions of permutations, one per row, in O(n log n). With
  numba installed it runs a compiled per-row Fenwick tree count (`_inversions_compiled`);
  the NumPy merge levels, which re-sort every level's keys, were most of the long series'
  time on AVX2 machines. Compiled kernels are cached on disk (cache=True), so they are
  compiled once per installation. Without numba (or for input that is not a permutation) the
  NumPy version is used, with the same counts: a bottom-up merge sort in which each level
  is one vectorised integer sort. At level b the keys (time block of width 2**(b+1), value
  rank, which half of the block) are sorted, so
  inside each block the ranks are in order and every right-half element's position tells how
  many left-half elements are smaller than it; the rest are the inversions across the halves.
  Summing over levels counts every inverted pair exactly once.
* `pivot_order(x, theta)` orders a row by x - theta * t. A pair (i < j) is inverted in that
  order exactly when its slope (x_j - x_i) / (t_j - t_i) is below theta, so the inversion count
  is the number of pairwise slopes below theta (Cole, Salowe, Steiger & Szemeredi 1989;
  Dillencourt, Mount & Netanyahu 1992; Matousek 1991).
"""
import numpy as np

try:
    from numba import njit
except ImportError:                     # pragma: no cover - numba is in requirements.txt
    njit = None

INT_DTYPE = np.int32


def inversions(order):
    """Inversion count of each row of `order` (a permutation of 0..n-1 per row), as int64.

    The inverse permutation has the same count, so `order` may be an argsort or a rank array.
    """
    order = np.asarray(order)
    if _inversions_compiled is None or order.ndim != 2:
        return _inversions_numpy(order)
    if order.dtype.kind not in "iu" or order.dtype.itemsize > 8 or order.dtype == np.uint64:
        return _inversions_numpy(order)
    total = _inversions_compiled(np.ascontiguousarray(order, dtype=np.int64))
    if total.size and total[0] < 0:       # not a permutation of 0..n-1
        return _inversions_numpy(order)
    return total


def _inversions_rows(order):
    """Per row: a Fenwick tree over the values seen so far; each element adds the number of
    earlier elements greater than it (an equal earlier value is not counted). Returns -1 as
    the first count when a value lies outside 0..n-1 (the caller then uses the NumPy path)."""
    m, n = order.shape
    total = np.zeros(m, np.int64)
    tree = np.zeros(n + 1, np.int64)
    for r in range(m):
        tree[:] = 0
        count = 0
        for j in range(n):
            v = order[r, j]
            if v < 0 or v >= n:
                total[0] = -1
                return total
            v += 1
            seen = 0
            q = v
            while q > 0:                  # earlier values <= this one
                seen += tree[q]
                q -= q & -q
            count += j - seen
            while v <= n:
                tree[v] += 1
                v += v & -v
        total[r] = count
    return total


_inversions_compiled = (njit(cache=True, nogil=True)(_inversions_rows)
                        if njit is not None else None)


def warm_up():
    """Compile (or load from the on-disk cache) the compiled kernels now; returns nothing."""
    if _inversions_compiled is not None:
        _inversions_compiled(np.array([[1, 0]], np.int64))


def _inversions_numpy(order):
    """The NumPy-only `inversions`: one vectorised integer sort per merge level."""
    order = np.asarray(order)
    m, n = order.shape
    total = np.zeros(m, np.int64)
    if n < 2:
        return total
    levels = int(n - 1).bit_length()
    vbits = int(n - 1).bit_length() + 1            # room for rank << 1 | half
    dtype = np.int64 if levels + vbits > 30 else INT_DTYPE
    r2 = order.astype(dtype) << 1
    t = np.arange(n, dtype=dtype)
    # per level: minus the sum over right-half elements of their position in the sorted
    # parent block (numpy's own loop, not BLAS: no thread pool to wake for each level)
    positions = np.arange(n, dtype=dtype)
    key = np.empty((m, n), dtype)
    # upper levels have few blocks: their keys fit 16 bits, and 16-bit sorts are faster
    r2_16 = r2.astype(np.int16) if vbits <= 15 else None
    key16 = np.empty((m, n), np.int16) if r2_16 is not None else None
    const = 0
    for b in range(levels):
        width = 1 << (b + 1)
        base = ((t >> (b + 1)) << vbits) | ((t >> b) & 1)
        if r2_16 is not None and int(base[-1]) + 2 * (n - 1) < 2 ** 15:
            np.add(r2_16, base.astype(np.int16), out=key16)
            key16.sort(axis=1)
            np.bitwise_and(key16, 1, out=key16)
            total -= np.einsum("ij,j->i", key16, positions.astype(np.int16), dtype=np.int64)
        else:
            np.add(r2, base, out=key)
            key.sort(axis=1)
            np.bitwise_and(key, 1, out=key)
            total -= np.einsum("ij,j->i", key, positions, dtype=np.int64)
        start = np.arange(0, n, width)
        size = np.minimum(width, n - start)
        n_left = np.minimum(width >> 1, size)
        n_right = size - n_left
        const += int((n_left * n_right + n_right * (n_right - 1) // 2 + start * n_right).sum())
    return total + const


def nan_pair_correction(valid):
    """Per row, the pairs (i < j) with i missing and j valid: a missing value sorted as +inf is
    inverted with every later valid value, and those pairs must not count."""
    valid_after = valid[:, ::-1].cumsum(axis=1)[:, ::-1]   # valid at positions >= i
    return np.where(~valid, valid_after, 0).sum(axis=1, dtype=np.int64)


def tie_sums(sorted_rows):
    """From rows sorted ascending (NaN last): per row, the tied pairs sum t(t-1)/2 and the
    Mann-Kendall tie term sum t(t-1)(2t+5) over groups of t equal values."""
    m, n = sorted_rows.shape
    ties = np.zeros(m, np.int64)
    term = np.zeros(m, np.int64)
    if n < 2:
        return ties, term
    same = sorted_rows[:, 1:] == sorted_rows[:, :-1]        # NaN != NaN: never tied
    rows = np.flatnonzero(same.any(axis=1))
    if rows.size == 0:
        return ties, term
    # group starts over the flattened rows with ties; every row starts a group
    flags = np.ones((rows.size, n), bool)
    flags[:, 1:] = ~same[rows]
    valid = ~np.isnan(sorted_rows[rows])
    starts = np.flatnonzero(flags.ravel())
    lengths = np.diff(np.append(starts, flags.size))
    owner = starts // n
    keep = valid.ravel()[starts]                            # a NaN starts its own group
    t = lengths.astype(np.int64)
    ties[rows] = np.bincount(owner[keep], weights=(t * (t - 1) // 2)[keep],
                             minlength=rows.size).astype(np.int64)
    term[rows] = np.bincount(owner[keep], weights=(t * (t - 1) * (2 * t + 5))[keep],
                             minlength=rows.size).astype(np.int64)
    return ties, term


def pack_order(keys, valid, low):
    """Argsort of each row of float `keys` (ties broken by position; invalid entries last, in
    position order) through one int64 sort: the bits of the non-negative float keys - low
    (monotonic as integers) with their lowest bits replaced by the position.

    `low` is a per-row lower bound of the valid keys. Keys closer than about 2**-41 of their
    magnitude fall together and are then ordered by position: used for the pivot orders of
    the slope selection, whose bookkeeping needs an order consistent with the slopes only up
    to rounding (the slopes themselves are computed exactly)."""
    m, n = keys.shape
    ibits = max(1, int(n - 1).bit_length())
    shifted = np.subtract(keys, low[:, None], out=keys)
    if valid is not None:
        shifted[~valid] = np.inf
    packed = shifted.view(np.int64)
    np.bitwise_and(packed, ~np.int64((1 << ibits) - 1), out=packed)
    np.bitwise_or(packed, np.arange(n, dtype=np.int64), out=packed)
    packed.sort(axis=1)
    np.bitwise_and(packed, (1 << ibits) - 1, out=packed)
    return packed


def average_ranks(x):
    """scipy.stats.rankdata(method='average') of every row's valid values (NaN rows entries
    keep NaN); ranks run 1..m over the valid values of the row."""
    m, n = x.shape
    order = np.argsort(x, axis=1)           # NaN last; order inside ties does not matter
    xs = np.take_along_axis(x, order, axis=1)
    same = np.zeros((m, n), bool)
    same[:, 1:] = xs[:, 1:] == xs[:, :-1]
    if not same.any():                                      # no ties: ranks are positions
        ranks_sorted = np.broadcast_to(np.arange(1.0, n + 1), (m, n)).copy()
        ranks_sorted[np.isnan(xs)] = np.nan
        out = np.empty_like(ranks_sorted)
        np.put_along_axis(out, order, ranks_sorted, axis=1)
        return out
    idx = np.broadcast_to(np.arange(n), (m, n))
    start = np.maximum.accumulate(np.where(same, 0, idx), axis=1)
    # end of each tie group: reverse accumulate of group ends
    is_end = np.ones((m, n), bool)
    is_end[:, :-1] = ~same[:, 1:]
    end_rev = np.minimum.accumulate(np.where(is_end, idx, n)[:, ::-1], axis=1)[:, ::-1]
    ranks_sorted = (start + end_rev) / 2.0 + 1.0
    ranks_sorted[np.isnan(xs)] = np.nan
    out = np.empty_like(ranks_sorted)
    np.put_along_axis(out, order, ranks_sorted, axis=1)
    return out
