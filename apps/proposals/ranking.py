"""Ranking pilot-project proposals from evaluators' scores on weighted criteria.

Pure NumPy: no models, no database. The views hand in plain arrays and get plain arrays and
small dataclasses back, so every number on the results page can be reproduced from this file.

Inputs
------
* ``scores``: float array (E, P, C), evaluator x proposal x criterion, raw scores on each
  criterion's own scale; NaN where an evaluator did not score (conflict of interest, not
  assigned, not finished).
* ``scale_min``, ``scale_max``: arrays (C,), the bounds of each criterion's scale.
* ``weights``: array (C,), non-negative, not all zero. Only their ratios matter: every method
  divides them by their sum first, so weights of 1, 2, 1 and 25, 50, 25 rank identically.

Pipeline (``compute``)
----------------------
1. ``normalise``: each score to (x - min) / (max - min), so criteria on different scales
   (1-5, 0-10) weigh only through their weights.
2. ``consensus``: the mean normalised score of the evaluators who scored, per proposal x
   criterion. A proposal that nobody scored on some criterion has no consensus there (NaN), has
   no total and is ranked last; ``Ranking.incomplete`` says which criteria are missing. We do
   not impute: a guessed score would decide a funding choice without anyone having made it.
3. A total per proposal, by ``weighted_sum`` (default) or ``topsis`` (Hwang & Yoon 1981).
4. ``explain_ties``: equal totals (within TIE_RTOL) are broken lexicographically on the
   positively weighted criteria in order of descending weight; each tie is reported with the
   criterion that decided it, and proposals equal on all of them keep the same rank.
5. ``swap_margins``: for each pair of neighbours in the order, the smallest change to one
   criterion's weight that would draw them level in the weighted sum (how fragile the order is).
6. ``disagreement``: spread of the evaluators' scores and individual outlying scores.

Ranks are competition ranks ("1224"): tied proposals share the best rank of their group and the
next rank skips accordingly.
"""
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

METHODS = ("weighted_sum", "topsis")

# Two totals are "equal" when they differ by no more than TIE_RTOL of the larger one (TIE_ATOL
# covers totals at or near zero, where a relative test alone would never match). Float noise from
# a different summation order or from rescaled weights is ~1e-16; real differences between
# proposals scored on human scales are many orders of magnitude larger than 1e-9.
TIE_RTOL = 1e-9
TIE_ATOL = 1e-12

# Outlier rule (see ``disagreement``): at least this many scorers on the proposal x criterion,
# and a score farther than both OUTLIER_MIN_DEVIATION (share of the scale) and OUTLIER_IQR_FACTOR
# times the other evaluators' interquartile range from the other evaluators' median.
OUTLIER_MIN_SCORERS = 3
OUTLIER_MIN_DEVIATION = 0.25
OUTLIER_IQR_FACTOR = 1.5

# Saaty's random consistency index RI by matrix size (Saaty 1980, The Analytic Hierarchy Process,
# the table most textbooks and spreadsheets use; 1 and 2 are always consistent). Note ahpy uses
# Donegan & Dodd's estimates by default and Saaty's 2005 revision with random_index="saaty".
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45,
                10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}
# Saaty's fundamental scale runs from 1/9 to 9.
SAATY_MIN, SAATY_MAX = 1 / 9, 9.0
# a_ij * a_ji may differ from 1 by this much: people type 0.33 for 1/3. The accepted matrix is
# then made exactly reciprocal (geometric mean of a_ij and 1/a_ji), so the eigenvector is that of
# a true reciprocal matrix.
RECIPROCAL_RTOL = 0.02


class WeightError(ValueError):
    """Criterion weights that cannot be used: wrong shape, NaN, negative or all zero."""


class ScaleError(ValueError):
    """A criterion scale with max <= min, or a score outside its criterion's scale."""


class ComparisonError(ValueError):
    """An AHP pairwise comparison matrix or judgement set that cannot be used.

    ``cell`` is the offending (row, column), 0-based, or None; messages count from 1 as people do.
    ``missing`` lists the missing (i, j) pairs (0-based) for ``ahp_matrix_from_judgements``.
    """

    def __init__(self, message, cell=None, missing=()):
        super().__init__(message)
        self.cell = cell
        self.missing = tuple(missing)


# --------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------

def validate_weights(weights, n_criteria=None):
    """The weights as a float array (C,), or WeightError with a message for a person."""
    try:
        w = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError):
        raise WeightError(_("Weights must be numbers, one per criterion.")) from None
    if w.ndim != 1:
        raise WeightError(_("Weights must be a flat list of numbers, one per criterion."))
    if n_criteria is not None and w.size != n_criteria:
        raise WeightError(_("Expected %(expected)d criterion weights, got %(got)d.")
                          % {"expected": n_criteria, "got": w.size})
    bad = np.flatnonzero(~np.isfinite(w))
    if bad.size:
        raise WeightError(_("The weight of criterion %(criterion)d is not a number.")
                          % {"criterion": bad[0] + 1})
    negative = np.flatnonzero(w < 0)
    if negative.size:
        raise WeightError(_("The weight of criterion %(criterion)d is negative (%(weight)g); "
                            "weights must be zero or more.")
                          % {"criterion": negative[0] + 1, "weight": w[negative[0]]})
    if not w.sum() > 0:
        raise WeightError(_("At least one criterion needs a weight above zero."))
    return w


def _matrix(matrix):
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError(_("The consensus matrix must be 2-D: proposal x criterion."))
    return m


def _scales(scale_min, scale_max, n_criteria):
    lo = np.asarray(scale_min, dtype=np.float64)
    hi = np.asarray(scale_max, dtype=np.float64)
    if lo.shape != (n_criteria,) or hi.shape != (n_criteria,):
        raise ScaleError(_("Expected one scale minimum and maximum for each of the %(n)d "
                           "criteria.") % {"n": n_criteria})
    bad = np.flatnonzero(~(np.isfinite(lo) & np.isfinite(hi) & (hi > lo)))
    if bad.size:
        c = bad[0]
        raise ScaleError(_("The scale of criterion %(criterion)d must have a maximum above its "
                           "minimum (got %(min)g to %(max)g).")
                         % {"criterion": c + 1, "min": lo[c], "max": hi[c]})
    return lo, hi


def _labels(labels, n, default):
    if labels is None:
        return [default % {"number": i + 1} for i in range(n)]
    labels = [str(label) for label in labels]
    if len(labels) != n:
        raise ValueError(_("Expected %(expected)d labels, got %(got)d.")
                         % {"expected": n, "got": len(labels)})
    return labels


def _proposal_labels(labels, n):
    return _labels(labels, n, _("proposal %(number)d"))


def _criterion_labels(labels, n):
    return _labels(labels, n, _("criterion %(number)d"))


# --------------------------------------------------------------------------------------------
# Scores -> consensus matrix -> totals
# --------------------------------------------------------------------------------------------

def normalise(scores, scale_min, scale_max):
    """(x - min) / (max - min) per criterion (last axis), in [0, 1]; NaN stays NaN.

    A score outside its scale is a data error, not something to clip silently: ScaleError.
    Scores within 1e-9 of the scale's span beyond a bound are float noise and are clipped.
    """
    x = np.asarray(scores, dtype=np.float64)
    if x.ndim == 0:
        raise ValueError(_("Scores must be an array with criteria on the last axis."))
    lo, hi = _scales(scale_min, scale_max, x.shape[-1])
    span = hi - lo
    n = (x - lo) / span
    # NaN compares False both ways, so only real (or infinite) scores can be out of range.
    out = (n < -1e-9) | (n > 1 + 1e-9)
    if out.any():
        where = np.argwhere(out)[0]
        c = where[-1]
        raise ScaleError(_("A score of %(score)g on criterion %(criterion)d is outside its "
                           "scale (%(min)g to %(max)g).")
                         % {"score": x[tuple(where)], "criterion": c + 1, "min": lo[c],
                            "max": hi[c]})
    return np.clip(n, 0.0, 1.0)


def consensus(scores, scale_min, scale_max):
    """(P, C) mean normalised score over the evaluators who scored; NaN where nobody did."""
    n = normalise(scores, scale_min, scale_max)
    if n.ndim != 3:
        raise ValueError(_("Scores must be 3-D: evaluator x proposal x criterion."))
    return _consensus(n)


def _consensus(n):
    seen = ~np.isnan(n)
    count = seen.sum(axis=0)
    total = np.where(seen, n, 0.0).sum(axis=0)
    # divide only where someone scored: no "mean of empty slice" warnings, NaN elsewhere.
    return np.divide(total, count, out=np.full(total.shape, np.nan), where=count > 0)


def weighted_sum(matrix, weights):
    """(P,) sum_c w_c / sum(w) * matrix[:, c]; NaN for a proposal missing any criterion.

    A missing criterion makes the total NaN even when that criterion's weight is zero: a total
    that silently ignored a missing score would look complete when it is not (and some BLAS
    kernels skip zero multipliers, so NaN * 0 would not reliably propagate by itself anyway).
    """
    m = _matrix(matrix)
    w = validate_weights(weights, m.shape[1])
    missing = np.isnan(m).any(axis=1)
    totals = np.where(missing[:, None], 0.0, m) @ (w / w.sum())
    totals[missing] = np.nan
    return totals


def topsis(matrix, weights):
    """(P,) TOPSIS closeness coefficient (Hwang & Yoon 1981), all criteria benefit criteria.

    Standard method: vector normalisation r_ij = x_ij / sqrt(sum_i x_ij^2), weighted
    v_ij = w_j r_ij (weights summed to 1), ideal v+_j = max_i v_ij and anti-ideal v-_j =
    min_i v_ij, Euclidean distances D+_i and D-_i, closeness D-_i / (D+_i + D-_i). This equals
    pymcdm's TOPSIS(vector_normalization) wherever that is defined.

    Where pymcdm divides 0 by 0 and returns NaN we define the result instead:
    * a criterion on which every complete proposal scores 0 normalises to 0 (it cannot separate
      anyone, so it adds nothing to either distance);
    * a proposal at both the ideal and the anti-ideal (one complete proposal, or all complete
      proposals identical) gets closeness 0.5: it is as near the best as the worst.
    Proposals missing a criterion get NaN and take no part in the column norms or ideals, so the
    complete proposals' closeness does not depend on incomplete data. The matrix should be
    non-negative (consensus scores are in [0, 1]); closeness is then in [0, 1].
    """
    m = _matrix(matrix)
    w = validate_weights(weights, m.shape[1])
    w = w / w.sum()
    out = np.full(m.shape[0], np.nan)
    complete = ~np.isnan(m).any(axis=1)
    x = m[complete]
    if not x.shape[0]:
        return out
    norm = np.sqrt((x ** 2).sum(axis=0))
    v = np.divide(x, norm, out=np.zeros_like(x), where=norm > 0) * w
    ideal, anti = v.max(axis=0), v.min(axis=0)
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    denom = d_plus + d_minus
    out[complete] = np.divide(d_minus, denom, out=np.full(denom.shape, 0.5), where=denom > 0)
    return out


# --------------------------------------------------------------------------------------------
# AHP weights
# --------------------------------------------------------------------------------------------

def ahp_weights(pairwise):
    """(weights (C,), consistency ratio) of a reciprocal pairwise comparison matrix.

    a_ij says how much more important criterion i is than j on Saaty's 1-9 scale (1/9..9), with
    a_ji = 1 / a_ij and a_ii = 1. Weights are the principal (Perron) eigenvector, summing to 1;
    CI = (lambda_max - n) / (n - 1), CR = CI / RI with Saaty's RANDOM_INDEX (CR = 0 for n <= 2,
    which are always consistent). Saaty's advice is to revisit judgements when CR > 0.1.

    Raises ComparisonError naming the offending cell (1-based in the message, 0-based in
    ``.cell``) for a value that is not positive and finite, off Saaty's scale, a diagonal other
    than 1, or a pair that is not reciprocal within RECIPROCAL_RTOL.
    """
    try:
        a = np.asarray(pairwise, dtype=np.float64)
    except (TypeError, ValueError):
        raise ComparisonError(_("Pairwise comparisons must be numbers.")) from None
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ComparisonError(_("Pairwise comparisons must form a square matrix, one row and "
                                "one column per criterion."))
    n = a.shape[0]
    if n not in RANDOM_INDEX:
        raise ComparisonError(_("Pairwise comparison of %(n)d criteria is not supported; at "
                                "most %(max)d.") % {"n": n, "max": max(RANDOM_INDEX)})

    def fail(message, i, j):
        raise ComparisonError(message % {"row": i + 1, "column": j + 1, "value": a[i, j]},
                              cell=(int(i), int(j)))

    bad = np.argwhere(~(np.isfinite(a) & (a > 0)))
    if bad.size:
        fail(_("Row %(row)d, column %(column)d: %(value)g is not a positive number."), *bad[0])
    # A small slack so that 1/9 typed as 0.111 is still on the scale.
    bad = np.argwhere((a < SAATY_MIN * (1 - RECIPROCAL_RTOL)) | (a > SAATY_MAX * (1 + 1e-9)))
    if bad.size:
        fail(_("Row %(row)d, column %(column)d: %(value)g is off Saaty's scale (1/9 to 9)."),
             *bad[0])
    diag = np.flatnonzero(np.abs(np.diag(a) - 1) > 1e-9)
    if diag.size:
        fail(_("Row %(row)d, column %(column)d: a criterion compared with itself must be 1, "
               "not %(value)g."), diag[0], diag[0])
    bad = np.argwhere(np.abs(a * a.T - 1) > RECIPROCAL_RTOL)
    if bad.size:
        i, j = bad[0]
        raise ComparisonError(
            _("Row %(row)d, column %(column)d: %(value)g is not the reciprocal of %(other)g "
              "(row %(column)d, column %(row)d).")
            % {"row": i + 1, "column": j + 1, "value": a[i, j], "other": a[j, i]},
            cell=(int(i), int(j)))
    # Exactly reciprocal from here on: geometric mean of a_ij and 1/a_ji (identity if already so).
    a = np.sqrt(a / a.T)

    values, vectors = np.linalg.eig(a)
    # Perron-Frobenius: a positive matrix has a real, simple largest eigenvalue with a positive
    # eigenvector; eig returns complex dtype for the others, so take the real part.
    k = np.argmax(values.real)
    lambda_max = float(values[k].real)
    vector = np.abs(vectors[:, k].real)   # eig may return it with either sign
    weights = vector / vector.sum()
    if n <= 2:
        return weights, 0.0
    # lambda_max >= n in exact arithmetic; clamp the float noise of a consistent matrix.
    ci = max(lambda_max - n, 0.0) / (n - 1)
    return weights, ci / RANDOM_INDEX[n]


def ahp_matrix_from_judgements(n, judgements):
    """The (n, n) reciprocal matrix from {(i, j): a_ij} for 0 <= i < j < n.

    Every pair must be judged once, upper triangle only: a missing pair is an error naming the
    missing pairs (the views should ask for them rather than us guessing a 1).
    """
    n = int(n)
    if n < 1:
        raise ComparisonError(_("There must be at least one criterion to compare."))
    a = np.ones((n, n))
    for key, value in judgements.items():
        try:
            i, j = (int(k) for k in key)
        except (TypeError, ValueError):
            raise ComparisonError(_("A comparison must name a pair of criteria, not %(key)r.")
                                  % {"key": key}) from None
        if not 0 <= i < j < n:
            raise ComparisonError(
                _("Comparison (%(row)d, %(column)d) must name two different criteria between 1 "
                  "and %(n)d, the first before the second.")
                % {"row": i + 1, "column": j + 1, "n": n}, cell=(i, j))
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ComparisonError(_("Comparison (%(row)d, %(column)d) is not a number.")
                                  % {"row": i + 1, "column": j + 1}, cell=(i, j)) from None
        if not (np.isfinite(value) and value > 0):
            raise ComparisonError(_("Comparison (%(row)d, %(column)d): %(value)g is not a "
                                    "positive number.")
                                  % {"row": i + 1, "column": j + 1, "value": value}, cell=(i, j))
        a[i, j], a[j, i] = value, 1.0 / value
    judged = {tuple(int(k) for k in key) for key in judgements}
    missing = [(int(i), int(j)) for i, j in zip(*np.triu_indices(n, 1)) if (i, j) not in judged]
    if missing:
        raise ComparisonError(
            _("Missing comparisons: %(pairs)s.")
            % {"pairs": ", ".join(f"({i + 1}, {j + 1})" for i, j in missing)}, missing=missing)
    return a



# --------------------------------------------------------------------------------------------
# Ranks and ties
# --------------------------------------------------------------------------------------------

def _tie_groups(values):
    """Dense group ids (0 = largest) of values, equal within TIE_RTOL/TIE_ATOL; NaN last.

    Sorted neighbours within tolerance are chained into one group. Chaining (rather than
    comparing with the group's first value) keeps a group whole however float noise orders its
    members, which is what makes ranks independent of weight scaling and proposal order.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-v, kind="stable")   # NaN sorts last
    s = v[order]
    nan = np.isnan(s)
    with np.errstate(invalid="ignore"):
        tol = TIE_RTOL * np.maximum(np.abs(s[:-1]), np.abs(s[1:])) + TIE_ATOL
        new = (np.abs(s[:-1] - s[1:]) > tol) | (nan[1:] & ~nan[:-1])
    groups = np.empty(v.size, dtype=np.int64)
    groups[order] = np.concatenate([[0], np.cumsum(new)])
    return groups


def _competition(groups):
    """Competition ranks ("1224") from dense group ids (smaller = better)."""
    return np.searchsorted(np.sort(groups), groups, side="left") + 1


def rank(values):
    """(P,) competition ranks of values, largest first: 1, 2, 2, 4. Values equal within
    TIE_RTOL share a rank; NaN values rank after all others and share the last rank."""
    return _competition(_tie_groups(values))


@dataclass
class Tie:
    """Proposals with equal totals and how the tie was (or was not) broken."""
    proposals: tuple      # proposal indices, in their final order
    total: float
    deciding: tuple       # per neighbouring pair in `proposals`: criterion index or None
    resolved: bool        # True when the tie-break separated all of them
    message: str


@dataclass
class TieBreak:
    ties: list            # [Tie], best group first
    order: np.ndarray     # (P,) proposal indices best first, after tie-breaks
    ranks: np.ndarray     # (P,) competition ranks after tie-breaks


def explain_ties(matrix, weights, totals, labels=None, criterion_labels=None):
    """Break equal totals lexicographically on the criteria by descending weight, and say so.

    Proposals whose totals are equal (within TIE_RTOL) are compared on the highest-weighted
    criterion (consensus scores, equal within TIE_RTOL counting as equal), then on the next, and
    so on; criteria of equal weight are taken in their given order and zero-weight criteria not
    at all (the funder said they do not count). Proposals equal on all of them stay tied: same
    rank, kept in index order within ``order``. Every tie appears in ``ties``, resolved or not.
    Proposals with a NaN total (incomplete) come last with one shared rank and are not ties:
    they are not comparable (see ``Ranking.incomplete``).
    """
    m = _matrix(matrix)
    w = validate_weights(weights, m.shape[1])
    t = np.asarray(totals, dtype=np.float64)
    p = m.shape[0]
    if t.shape != (p,):
        raise ValueError(_("Expected %(expected)d totals, got %(got)d.")
                         % {"expected": p, "got": t.size})
    if p == 0:
        return TieBreak([], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    names = _proposal_labels(labels, p)
    cnames = _criterion_labels(criterion_labels, m.shape[1])

    criteria = [int(c) for c in np.argsort(-w, kind="stable") if w[c] > 0]
    nan_total = np.isnan(t)
    # Key columns: total group, then each criterion's group (all dense ids, smaller = better).
    keys = np.column_stack([_tie_groups(t)] + [_tie_groups(m[:, c]) for c in criteria])
    keys[nan_total, 1:] = 0   # incomplete proposals are not tie-broken among themselves
    # lexsort sorts by its last key first; the index as the least key makes the order stable.
    order = np.lexsort([np.arange(p)] + [keys[:, j] for j in range(keys.shape[1] - 1, -1, -1)])

    ks = keys[order]
    differs = (ks[1:] != ks[:-1]).any(axis=1)
    start = np.concatenate([[True], differs])
    ranks_sorted = np.maximum.accumulate(np.where(start, np.arange(p), 0)) + 1
    ranks = np.empty(p, dtype=np.int64)
    ranks[order] = ranks_sorted

    # For each neighbouring pair in the order with equal totals: the first differing criterion.
    same_total = (ks[1:, 0] == ks[:-1, 0]) & ~nan_total[order][1:]
    crit_differ = ks[1:, 1:] != ks[:-1, 1:]
    first = np.argmax(crit_differ, axis=1) if criteria else np.zeros(p - 1, dtype=np.int64)
    decided = crit_differ.any(axis=1) if criteria else np.zeros(p - 1, dtype=bool)

    text_same = _("%(proposals)s have the same total (%(total).4f).")
    text_still = _("%(first)s and %(second)s are also equal on every weighted criterion, so they "
                   "share rank %(rank)d.")
    text_ahead = _("%(ahead)s is placed ahead of %(behind)s on %(criterion)s, the "
                   "highest-weighted criterion where they differ.")
    ties = []
    i = 0
    while i < p - 1:
        if not same_total[i]:
            i += 1
            continue
        j = i
        while j < p - 1 and same_total[j]:
            j += 1
        members = tuple(int(k) for k in order[i:j + 1])
        deciding = tuple(criteria[first[k]] if decided[k] else None for k in range(i, j))
        parts = [text_same % {"proposals": ", ".join(names[k] for k in members),
                              "total": t[members[0]]}]
        for k, c in zip(range(i, j), deciding):
            ahead, behind = names[order[k]], names[order[k + 1]]
            if c is None:
                parts.append(text_still % {"first": ahead, "second": behind,
                                           "rank": ranks_sorted[k]})
            else:
                parts.append(text_ahead % {"ahead": ahead, "behind": behind,
                                           "criterion": cnames[c]})
        ties.append(Tie(members, float(t[members[0]]), deciding,
                        all(c is not None for c in deciding), " ".join(parts)))
        i = j
    return TieBreak(ties, order, ranks)


# --------------------------------------------------------------------------------------------
# Swap margins (sensitivity of the order to one weight)
# --------------------------------------------------------------------------------------------

@dataclass
class Margin:
    """The smallest change to one raw criterion weight that draws two neighbours level.

    ``delta`` is added to the raw weight of ``criterion`` (others unchanged; weighted_sum
    renormalises); any change beyond it swaps the two. NaN/None when no single weight change can
    swap them. ``percent_of_weight`` is delta as a share of that criterion's current weight (NaN
    when the weight is 0), ``percent_of_total`` as a share of the sum of the weights.
    """
    above: int
    below: int
    criterion: object     # int or None
    delta: float
    percent_of_weight: float
    percent_of_total: float
    message: str


def swap_margins(matrix, weights, order, labels=None, criterion_labels=None):
    """[Margin] for each neighbouring pair (order[k], order[k + 1]) in the weighted-sum model.

    With raw weights w and d = x_above - x_below, the totals differ by D / sum(w) where
    D = sum_k w_k d_k. Changing only w_c by delta gives D + delta d_c, zero at
    delta_c = -D / d_c. A criterion qualifies when d_c != 0 and w_c + delta_c > 0: strictly,
    because at w_c + delta_c = 0 the two are only level, and going past needs a negative weight.
    The margin is the qualifying delta_c of smallest |delta_c|. None qualifies when the lower
    proposal is nowhere better where weight can be added and no removable weight is enough: then
    no single weight change swaps them. Pairs with equal totals get delta 0 (their order is the
    tie-break's, see ``explain_ties``); pairs involving an incomplete proposal get no margin.
    """
    m = _matrix(matrix)
    w = validate_weights(weights, m.shape[1])
    order = np.asarray(order, dtype=np.int64).ravel()
    names = _proposal_labels(labels, m.shape[0])
    cnames = _criterion_labels(criterion_labels, m.shape[1])
    if order.size < 2:
        return []
    above, below = order[:-1], order[1:]
    d = m[above] - m[below]                           # (K, C)
    incomplete = np.isnan(d).any(axis=1)
    d = np.where(incomplete[:, None], 0.0, d)
    big_d = d @ w                                     # (K,)
    total = w.sum()
    # Equal totals by the same test as _tie_groups applies to sorted neighbours.
    ta = np.where(incomplete, 0.0, np.nan_to_num(m[above]) @ w) / total
    tb = np.where(incomplete, 0.0, np.nan_to_num(m[below]) @ w) / total
    tied = ((np.abs(ta - tb) <= TIE_RTOL * np.maximum(np.abs(ta), np.abs(tb)) + TIE_ATOL)
            & ~incomplete)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = -big_d[:, None] / d
    ok = (d != 0) & np.isfinite(delta) & (w + delta > 0)
    size = np.where(ok, np.abs(delta), np.inf)
    best = np.argmin(size, axis=1)
    rows = np.arange(best.size)
    found = np.isfinite(size[rows, best]) & ~incomplete & ~tied
    chosen = delta[rows, best]

    # Translate each message once, not once per pair (gettext dominates the loop otherwise).
    text_incomplete = _("%(below)s or %(above)s has missing scores; no weight change compares "
                        "them.")
    text_tied = _("%(above)s and %(below)s have equal totals; the tie-break orders them.")
    text_none = _("No change to a single weight can put %(below)s ahead of %(above)s.")
    text_change = _("%(below)s would draw level with %(above)s if the weight of %(criterion)s "
                    "changed by %(change)+.3g (%(percent)+.1f%%).")
    text_new = _("%(below)s would draw level with %(above)s if %(criterion)s, now unweighted, "
                 "got a weight of %(change).3g.")
    margins = []
    for k in range(best.size):
        a, b = int(above[k]), int(below[k])
        names_ab = {"above": names[a], "below": names[b]}
        if incomplete[k]:
            margins.append(Margin(a, b, None, np.nan, np.nan, np.nan, text_incomplete % names_ab))
        elif tied[k]:
            margins.append(Margin(a, b, None, 0.0, 0.0, 0.0, text_tied % names_ab))
        elif not found[k]:
            margins.append(Margin(a, b, None, np.nan, np.nan, np.nan, text_none % names_ab))
        else:
            c = int(best[k])
            change = float(chosen[k])
            pct_w = change / w[c] * 100 if w[c] > 0 else np.nan
            pct_t = change / total * 100
            values = dict(names_ab, criterion=cnames[c], change=change, percent=pct_w)
            message = (text_change if w[c] > 0 else text_new) % values
            margins.append(Margin(a, b, c, change, pct_w, pct_t, message))
    return margins


# --------------------------------------------------------------------------------------------
# Disagreement between evaluators
# --------------------------------------------------------------------------------------------

@dataclass
class Disagreement:
    """Spread of the normalised scores. Arrays (P, C) unless stated; NaN where nobody scored."""
    count: np.ndarray          # evaluators who scored (int)
    mean: np.ndarray
    std: np.ndarray            # population std (ddof=0): the evaluators are the population
    range: np.ndarray          # max - min
    others_median: np.ndarray  # (E, P, C) median of the other evaluators' scores; NaN where
                               # this evaluator did not score or nobody else did
    outlier: np.ndarray        # (E, P, C) bool, see ``disagreement``
    spread: np.ndarray         # (P,) mean std over criteria scored by >= 2 evaluators
    outliers: np.ndarray       # (P,) number of outlying scores


def _leave_one_out_quantile(s, pos, count, q):
    """Quantile q (numpy's default linear method) of each score's column without that score.

    Evaluators on the LAST axis here: s (P, C, E) scores sorted along it (NaN last); pos
    (P, C, E) position of each evaluator's score in s; count (P, C) scores per column. Without
    the score at position pos the column has m = count - 1 values, and the i-th of them is s[i]
    for i < pos, s[i + 1] from there on: so one sort serves every leave-one-out median and
    quartile, with no (E, E, P, C) array and no per-cell Python.
    """
    m = count - 1                                     # (P, C): same for every evaluator
    t = q * np.maximum(m - 1, 0)
    lo = np.floor(t).astype(np.int64)
    hi = np.ceil(t).astype(np.int64)
    e_max = s.shape[-1] - 1

    def at(i):
        # The reduced index i depends only on the column, so gather s[i] and s[i + 1] once per
        # column ((P, C), not (P, C, E)) and let each evaluator pick by its own position.
        here = np.take_along_axis(s, np.clip(i, 0, e_max)[..., None], axis=-1)
        after = np.take_along_axis(s, np.clip(i + 1, 0, e_max)[..., None], axis=-1)
        return np.where(i[..., None] >= pos, after, here)

    lo_v, hi_v = at(lo), at(hi)
    with np.errstate(invalid="ignore"):
        value = lo_v + (t - lo)[..., None] * (hi_v - lo_v)
    return np.where((m >= 1)[..., None], value, np.nan)


def disagreement(scores, scale_min, scale_max):
    """How much the evaluators disagree, per proposal x criterion, and which scores stand out.

    Outlier rule: a score is flagged when at least OUTLIER_MIN_SCORERS (3) evaluators scored that
    proposal on that criterion and the score lies more than OUTLIER_MIN_DEVIATION (0.25 of the
    scale) AND more than OUTLIER_IQR_FACTOR (1.5) times the other evaluators' interquartile range
    away from the median of the OTHER evaluators' scores. Leaving the score out keeps one extreme
    score from pulling the reference towards itself; the 0.25 floor keeps a one-step difference
    from a unanimous panel (IQR 0) from counting; the IQR term keeps a score inside an already
    divided panel from counting.
    """
    n = normalise(scores, scale_min, scale_max)
    if n.ndim != 3:
        raise ValueError(_("Scores must be 3-D: evaluator x proposal x criterion."))
    return _disagreement(n)


def _disagreement(n):
    e, p, c = n.shape
    # Evaluators last and contiguous: sorting and gathering along a contiguous axis is several
    # times faster than along the first axis of an (E, P, C) array.
    nt = np.ascontiguousarray(np.moveaxis(n, 0, -1))          # (P, C, E)
    seen = ~np.isnan(nt)
    count = seen.sum(axis=-1)
    has = count > 0
    nan_pc = np.full((p, c), np.nan)
    mean = np.divide(np.where(seen, nt, 0.0).sum(axis=-1), count, out=nan_pc.copy(), where=has)
    sq = np.where(seen, (nt - mean[..., None]) ** 2, 0.0).sum(axis=-1)
    std = np.sqrt(np.divide(sq, count, out=nan_pc.copy(), where=has))
    high = np.where(seen, nt, -np.inf).max(axis=-1, initial=-np.inf)
    low = np.where(seen, nt, np.inf).min(axis=-1, initial=np.inf)
    spread_range = np.where(has, high - low, np.nan)

    if e:
        idx = np.argsort(nt, axis=-1)                       # NaN last; ties: any order will do
        s = np.take_along_axis(nt, idx, axis=-1)
        pos = np.empty_like(idx)
        np.put_along_axis(pos, idx, np.broadcast_to(np.arange(e), idx.shape), axis=-1)
        median = _leave_one_out_quantile(s, pos, count, 0.5)
        iqr = (_leave_one_out_quantile(s, pos, count, 0.75)
               - _leave_one_out_quantile(s, pos, count, 0.25))
        median = np.where(seen, median, np.nan)
        with np.errstate(invalid="ignore"):
            dev = np.abs(nt - median)
            # The 1e-9 keeps a deviation of exactly 0.25 (float-rounded) from being flagged.
            outlier = (seen & (count[..., None] >= OUTLIER_MIN_SCORERS)
                       & (dev > OUTLIER_MIN_DEVIATION + 1e-9)
                       & (dev > OUTLIER_IQR_FACTOR * iqr + 1e-9))
    else:
        median = np.full(nt.shape, np.nan)
        outlier = np.zeros(nt.shape, dtype=bool)

    # One scorer has std 0 by construction; counting that as "agreement" would dilute the spread.
    several = count >= 2
    n_several = several.sum(axis=1)
    spread = np.divide(np.where(several, std, 0.0).sum(axis=1), n_several,
                       out=np.full(p, np.nan), where=n_several > 0)
    return Disagreement(count, mean, std, spread_range,
                        np.ascontiguousarray(np.moveaxis(median, -1, 0)),
                        np.ascontiguousarray(np.moveaxis(outlier, -1, 0)), spread,
                        outlier.sum(axis=(1, 2)))


# --------------------------------------------------------------------------------------------
# Everything together
# --------------------------------------------------------------------------------------------

@dataclass
class Incomplete:
    proposal: int
    missing: tuple        # criterion indices nobody scored
    message: str


@dataclass
class Ranking:
    method: str
    totals: np.ndarray         # (P,) weighted sum or TOPSIS closeness, in [0, 1]; NaN if incomplete
    ranks: np.ndarray          # (P,) competition ranks after tie-breaks (incomplete share the last)
    order: np.ndarray          # (P,) proposal indices, best first
    ties: list                 # [Tie]
    margins: list              # [Margin] for neighbours in the weighted-sum order (see compute)
    disagreement: Disagreement
    incomplete: list           # [Incomplete]
    matrix: np.ndarray         # (P, C) consensus scores, normalised
    weights: np.ndarray        # (C,) weights summing to 1
    labels: list = field(default_factory=list)
    criterion_labels: list = field(default_factory=list)
    margins_method: str = "weighted_sum"


def compute(scores, scale_min, scale_max, weights, method="weighted_sum", labels=None,
            criterion_labels=None):
    """Rank the proposals: consensus, totals, ranks with explained ties, margins, disagreement.

    ``margins`` are always those of the weighted-sum model, between neighbours of the weighted-
    sum order (``margins_method``): its totals are linear in each weight, so the margin is exact.
    With method="topsis" they say how robust the weighted-sum order is, not the TOPSIS order
    (TOPSIS closeness is not linear in the weights and its ideals move with them).
    Empty inputs (no proposals, no evaluators) give empty or all-NaN results, not errors.
    """
    if method not in METHODS:
        raise ValueError(_("Unknown ranking method %(method)s.") % {"method": method})
    x = np.asarray(scores, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(_("Scores must be 3-D: evaluator x proposal x criterion."))
    _e, p, c = x.shape
    w = validate_weights(weights, c)
    names = _proposal_labels(labels, p)
    cnames = _criterion_labels(criterion_labels, c)

    normalised = normalise(x, scale_min, scale_max)      # once, for consensus and disagreement
    matrix = _consensus(normalised)
    ws = weighted_sum(matrix, w)
    totals = ws if method == "weighted_sum" else topsis(matrix, w)
    tie_break = explain_ties(matrix, w, totals, names, cnames)
    ws_order = (tie_break.order if method == "weighted_sum"
                else explain_ties(matrix, w, ws, names, cnames).order)
    margins = swap_margins(matrix, w, ws_order, names, cnames)

    incomplete = []
    missing = np.isnan(matrix)
    text = _("%(proposal)s has no score on %(criteria)s, so it has no total and is ranked last.")
    for i in np.flatnonzero(missing.any(axis=1)):
        crits = tuple(int(k) for k in np.flatnonzero(missing[i]))
        criteria = ", ".join(cnames[k] for k in crits)
        incomplete.append(Incomplete(int(i), crits,
                                     text % {"proposal": names[i], "criteria": criteria}))

    return Ranking(method, totals, tie_break.ranks, tie_break.order, tie_break.ties, margins,
                   _disagreement(normalised), incomplete, matrix, w / w.sum(),
                   names, cnames)
