"""apps.proposals.ranking: pure NumPy, checked against reference implementations (pymcdm's
TOPSIS, ahpy's AHP), values worked out by hand, and hypothesis properties. No database."""
import itertools
import warnings

import ahpy
import numpy as np
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm.methods import TOPSIS
from pymcdm.normalizations import vector_normalization

from apps.proposals import ranking
from apps.proposals.ranking import (
    ComparisonError, ScaleError, WeightError, ahp_matrix_from_judgements, ahp_weights, compute,
    consensus, disagreement, explain_ties, normalise, rank, swap_margins, topsis, weighted_sum)


@pytest.fixture(autouse=True)
def english():
    """These tests read the rules' English messages; Thai is the default language."""
    with translation.override("en"):
        yield


NAN = np.nan
PROPERTY = settings(max_examples=60, deadline=None)


def pymcdm_topsis(matrix, weights):
    weights = np.asarray(weights, float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # "dominant alternatives" warnings on random data
        return TOPSIS(vector_normalization)(np.asarray(matrix, float), weights / weights.sum(),
                                            np.ones(len(weights), int), validation=False)


# ------------------------------------------------------------------------- normalise, consensus

def test_normalise_maps_each_criterion_scale_to_0_1():
    scores = np.array([[[1, 0, 5], [5, 10, NAN], [3, 2.5, 7]]])      # E=1, P=3, C=3
    n = normalise(scores, [1, 0, 5], [5, 10, 9])
    np.testing.assert_allclose(n[0, 0], [0, 0, 0])
    np.testing.assert_allclose(n[0, 1, :2], [1, 1])
    assert np.isnan(n[0, 1, 2])
    np.testing.assert_allclose(n[0, 2], [0.5, 0.25, 0.5])


def test_normalise_refuses_scores_outside_the_scale_and_bad_scales():
    with pytest.raises(ScaleError, match="criterion 2"):
        normalise(np.array([[[1, 11]]]), [0, 0], [10, 10])
    with pytest.raises(ScaleError, match="criterion 1"):
        normalise(np.array([[[-0.5, 1]]]), [0, 0], [10, 10])
    with pytest.raises(ScaleError, match="criterion 2"):
        normalise(np.array([[[1, 1]]]), [0, 5], [10, 5])
    with pytest.raises(ScaleError):
        normalise(np.array([[[1, 1]]]), [0, 0, 0], [10, 10, 10])


def test_consensus_averages_only_the_evaluators_who_scored():
    scores = np.array([
        [[2, NAN], [NAN, NAN]],
        [[4, 3], [NAN, 1]],
        [[NAN, 5], [NAN, 2]],
    ])                                                              # E=3, P=2, C=2, scale 1-5
    with warnings.catch_warnings():
        warnings.simplefilter("error")                              # no "mean of empty slice"
        c = consensus(scores, [1, 1], [5, 5])
    # (2, 4) -> (0.25, 0.75) mean 0.5; (3, 5) -> (0.5, 1) mean 0.75; (1, 2) -> (0, .25)
    np.testing.assert_allclose(c[0], [0.5, 0.75])
    assert np.isnan(c[1, 0])
    assert c[1, 1] == pytest.approx(0.125)
    assert consensus(np.zeros((0, 2, 2)), [1, 1], [5, 5]).shape == (2, 2)
    assert np.isnan(consensus(np.zeros((0, 2, 2)), [1, 1], [5, 5])).all()


# ------------------------------------------------------------------------------- weighted sum

def test_weighted_sum_by_hand_and_nan_for_missing_criteria():
    m = np.array([[1.0, 0.0, 0.5], [0.2, 0.4, 0.6], [0.5, NAN, 1.0]])
    totals = weighted_sum(m, [2, 1, 1])
    np.testing.assert_allclose(totals[:2], [(2 + 0 + 0.5) / 4, (0.4 + 0.4 + 0.6) / 4])
    assert np.isnan(totals[2])
    # NaN on a zero-weight criterion still makes the total NaN: the proposal is incomplete.
    assert np.isnan(weighted_sum(m, [1, 0, 1])[2])
    np.testing.assert_allclose(weighted_sum(m, [20, 10, 10]), totals)


@pytest.mark.parametrize("weights, match", [
    ([1, -1, 1], "criterion 2 is negative"),
    ([0, 0, 0], "above zero"),
    ([1, NAN, 1], "criterion 2 is not a number"),
    ([1, np.inf, 1], "criterion 2 is not a number"),
    ([1, 1], "Expected 3 criterion weights, got 2"),
    ([1, 1, 1, 1], "Expected 3 criterion weights, got 4"),
    ([[1, 1, 1]], "flat list"),
    (["a", 1, 1], "numbers"),
])
def test_weight_validation(weights, match):
    m = np.full((2, 3), 0.5)
    for function in (weighted_sum, topsis):
        with pytest.raises(WeightError, match=match) as raised:
            function(m, weights)
        assert isinstance(raised.value, ValueError)
    with pytest.raises(WeightError, match=match):
        compute(np.full((1, 2, 3), 3.0), [1] * 3, [5] * 3, weights)


# ------------------------------------------------------------------------------------- TOPSIS

@pytest.mark.parametrize("seed", range(8))
def test_topsis_equals_pymcdm_on_random_matrices(seed):
    rng = np.random.default_rng(seed)
    p, c = rng.integers(2, 30), rng.integers(1, 9)
    m = rng.random((p, c))
    w = rng.random(c) + 0.01
    np.testing.assert_allclose(topsis(m, w), pymcdm_topsis(m, w), rtol=1e-12, atol=1e-14)


def test_topsis_textbook_shape():
    # Two benefit criteria, equal weights: the proposal best on both is the ideal (1), the worst
    # on both the anti-ideal (0), and two mirror-image proposals are equally close (0.5 each).
    m = np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(topsis(m, [1, 1]), [1, 0, 0.5, 0.5])
    np.testing.assert_allclose(topsis(m, [1, 1]), pymcdm_topsis(m, [1, 1]))


def test_topsis_degenerate_cases_are_defined_where_pymcdm_gives_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # no 0/0 warnings from us
        one = topsis(np.array([[0.3, 0.7]]), [1, 1])
        same = topsis(np.full((3, 2), 0.4), [1, 2])
        zero_column = topsis(np.array([[0.2, 0.0], [0.6, 0.0]]), [1, 1])
    np.testing.assert_array_equal(one, [0.5])
    np.testing.assert_array_equal(same, [0.5, 0.5, 0.5])
    assert np.isnan(pymcdm_topsis(np.full((3, 2), 0.4), [1, 2])).all()
    # A criterion everybody scores 0 on separates nobody: same as leaving it out.
    np.testing.assert_allclose(zero_column, pymcdm_topsis([[0.2], [0.6]], [1]))
    assert topsis(np.zeros((0, 2)), [1, 1]).shape == (0,)


def test_topsis_ignores_incomplete_proposals_for_the_ideals():
    rng = np.random.default_rng(3)
    m = rng.random((6, 3))
    with_missing = m.copy()
    with_missing[2, 1] = NAN
    result = topsis(with_missing, [1, 2, 3])
    assert np.isnan(result[2])
    complete = np.delete(m, 2, axis=0)
    np.testing.assert_allclose(np.delete(result, 2), pymcdm_topsis(complete, [1, 2, 3]))


@PROPERTY
@given(st.integers(2, 12), st.integers(1, 6), st.integers(0, 2 ** 32 - 1))
def test_topsis_equals_pymcdm_property(p, c, seed):
    rng = np.random.default_rng(seed)
    m = rng.integers(1, 11, (p, c)) / 10          # no all-zero column (pymcdm gives NaN there)
    w = rng.integers(1, 10, c).astype(float)
    ours, theirs = topsis(m, w), pymcdm_topsis(m, w)
    defined = ~np.isnan(theirs)                   # pymcdm: NaN when all rows are identical
    np.testing.assert_allclose(ours[defined], theirs[defined], rtol=1e-10, atol=1e-12)
    assert np.all(ours[~defined] == 0.5)


# ---------------------------------------------------------------------------------------- AHP

# Saaty (1990), "How to make a decision: the analytic hierarchy process", EJOR 48: the house
# example's eight criteria (size, transport, neighbourhood, age, yard, facilities, condition,
# finance), published priorities and lambda_max = 9.669, CI = 0.238, CR = 0.169.
SAATY_HOUSE = np.array([
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
])
SAATY_HOUSE_WEIGHTS = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
# ahpy's random_index="saaty" table (Saaty 2005), to turn its CR back into CI.
AHPY_SAATY_RI = {3: 0.52, 4: 0.89, 5: 1.11, 6: 1.25, 7: 1.35, 8: 1.40, 9: 1.45, 10: 1.49}


def ahpy_reference(a):
    """ahpy's weights and CI for matrix a. ahpy finds the eigenvector by repeatedly squaring the
    matrix until the normalised row sums agree to `precision` decimals, then rounds them (and CR)
    to that precision; with precision=10 it agrees with numpy's eig to ~1e-10. Its CR uses
    another random index table than ours (Saaty 2005 vs Saaty 1980), so we compare CI = CR * RI.
    """
    n = len(a)
    names = [f"c{i}" for i in range(n)]
    comparisons = {(names[i], names[j]): a[i, j] for i, j in itertools.combinations(range(n), 2)}
    compare = ahpy.Compare("criteria", comparisons, precision=10, random_index="saaty")
    weights = np.array([compare.local_weights[name] for name in names])
    ci = compare.consistency_ratio * AHPY_SAATY_RI[n] if n >= 3 else 0.0
    return weights, ci


def test_ahp_saaty_published_house_example():
    weights, cr = ahp_weights(SAATY_HOUSE)
    np.testing.assert_allclose(weights, SAATY_HOUSE_WEIGHTS, atol=5e-4)   # published to 3 dp
    assert weights.sum() == pytest.approx(1)
    assert cr == pytest.approx(0.169, abs=5e-4)
    assert cr * ranking.RANDOM_INDEX[8] == pytest.approx(0.238, abs=5e-4)  # CI
    ref_weights, ref_ci = ahpy_reference(SAATY_HOUSE)
    np.testing.assert_allclose(weights, ref_weights, atol=1e-8)
    assert cr * ranking.RANDOM_INDEX[8] == pytest.approx(ref_ci, abs=1e-8)


@pytest.mark.parametrize("n, seed", [(3, 0), (4, 1), (5, 2), (6, 3), (7, 4), (8, 5), (4, 6),
                                     (5, 7)])
def test_ahp_equals_ahpy_on_random_judgements(n, seed):
    rng = np.random.default_rng(seed)
    scale = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9]
    judgements = {(i, j): rng.choice(scale) for i, j in itertools.combinations(range(n), 2)}
    a = ahp_matrix_from_judgements(n, judgements)
    weights, cr = ahp_weights(a)
    ref_weights, ref_ci = ahpy_reference(a)
    np.testing.assert_allclose(weights, ref_weights, atol=1e-8)
    assert cr * ranking.RANDOM_INDEX[n] == pytest.approx(ref_ci, abs=1e-8)
    assert cr > 0


def test_ahp_consistent_matrix_has_exact_weights_and_zero_cr():
    true = np.array([4.0, 2.0, 1.0, 1.0])
    a = true[:, None] / true[None, :]
    weights, cr = ahp_weights(a)
    np.testing.assert_allclose(weights, true / true.sum(), atol=1e-12)
    assert cr == pytest.approx(0, abs=1e-12)
    assert ahp_weights([[1]]) == (pytest.approx([1.0]), 0.0)
    w2, cr2 = ahp_weights([[1, 3], [1 / 3, 1]])
    np.testing.assert_allclose(w2, [0.75, 0.25])
    assert cr2 == 0.0


def test_ahp_accepts_typed_reciprocals_within_tolerance():
    typed = np.array([[1, 3, 5], [0.33, 1, 2], [0.2, 0.5, 1]])
    exact = np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    np.testing.assert_allclose(ahp_weights(typed)[0], ahp_weights(exact)[0], atol=5e-3)
    # What is used is the exactly reciprocal matrix nearest in log terms: sqrt(a_ij / a_ji).
    np.testing.assert_allclose(ahp_weights(typed)[0], ahp_weights(np.sqrt(typed / typed.T))[0],
                               atol=1e-12)
    with pytest.raises(ComparisonError, match="Row 1, column 2"):
        ahp_weights(np.array([[1, 3, 5], [0.3, 1, 2], [0.2, 0.5, 1]]))    # 0.3 * 3 is 10% off


@pytest.mark.parametrize("matrix, cell, match", [
    ([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 2, 1]], (1, 2), "Row 2, column 3"),
    ([[1, 3], [3, 1]], (0, 1), "Row 1, column 2"),
    ([[1, -3], [-1 / 3, 1]], (0, 1), "not a positive"),
    ([[1, 0], [0, 1]], (0, 1), "not a positive"),
    ([[1, NAN], [1, 1]], (0, 1), "not a positive"),
    ([[1, 12], [1 / 12, 1]], (0, 1), "Saaty"),
    ([[2, 1], [1, 1]], (0, 0), "itself"),
])
def test_ahp_refuses_bad_matrices_naming_the_cell(matrix, cell, match):
    with pytest.raises(ComparisonError, match=match) as raised:
        ahp_weights(matrix)
    assert raised.value.cell == cell
    assert isinstance(raised.value, ValueError)


def test_ahp_refuses_non_square():
    for bad in ([[1, 2, 3], [0.5, 1, 1]], [1, 2], [], [[[1]]]):
        with pytest.raises(ComparisonError, match="square"):
            ahp_weights(bad)


def test_ahp_matrix_from_judgements():
    a = ahp_matrix_from_judgements(3, {(0, 1): 3, (0, 2): 5, (1, 2): 0.5})
    np.testing.assert_allclose(a, [[1, 3, 5], [1 / 3, 1, 0.5], [1 / 5, 2, 1]])
    with pytest.raises(ComparisonError, match=r"\(1, 3\), \(2, 3\)") as raised:
        ahp_matrix_from_judgements(3, {(0, 1): 3})
    assert raised.value.missing == ((0, 2), (1, 2))
    with pytest.raises(ComparisonError, match=r"\(2, 1\)"):
        ahp_matrix_from_judgements(3, {(1, 0): 3, (0, 2): 1, (1, 2): 1})
    with pytest.raises(ComparisonError, match="positive"):
        ahp_matrix_from_judgements(2, {(0, 1): 0})
    assert ahp_matrix_from_judgements(1, {}).tolist() == [[1.0]]


# -------------------------------------------------------------------------------- ranks, ties

def test_competition_ranks():
    assert rank([9, 7, 7, 5]).tolist() == [1, 2, 2, 4]
    assert rank([3, 5, 5, 1]).tolist() == [3, 1, 1, 4]
    assert rank([0.5, NAN, 0.7, NAN]).tolist() == [2, 3, 1, 3]
    assert rank([0.3, 0.3 + 1e-13, 0.3 - 1e-6]).tolist() == [1, 1, 3]
    assert rank([0.1 + 0.2, 0.3]).tolist() == [1, 1]     # float noise is a tie
    assert rank([]).tolist() == []
    assert rank([NAN, NAN]).tolist() == [1, 1]


def test_ties_broken_on_highest_weighted_criterion_first():
    # Criterion weights 1, 3, 2: compare on criterion 2, then 3, then 1.
    m = np.array([
        [0.6, 0.5, 0.5],   # 0: total (0.6 + 1.5 + 1.0) / 6 = 3.1 / 6
        [0.3, 0.6, 0.4],   # 1: (0.3 + 1.8 + 0.8) / 6 = 2.9 / 6
        [0.9, 0.4, 0.5],   # 2: (0.9 + 1.2 + 1.0) / 6 = 3.1 / 6, tied with 0
        [0.1, 0.9, 0.0],   # 3: (0.1 + 2.7 + 0.0) / 6 = 2.8 / 6
    ])
    w = [1, 3, 2]
    totals = weighted_sum(m, w)
    result = explain_ties(m, w, totals, criterion_labels=["cost", "impact", "equity"])
    assert result.order.tolist() == [0, 2, 1, 3]   # 0 beats 2 on impact, despite cost
    assert result.ranks.tolist() == [1, 3, 2, 4]
    (tie,) = result.ties
    assert tie.proposals == (0, 2)
    assert tie.deciding == (1,)
    assert tie.resolved
    assert "impact" in tie.message and "proposal 1" in tie.message


def test_tie_broken_on_second_criterion_and_unbreakable_ties_stay_tied():
    m = np.array([
        [0.5, 0.2, 0.8],
        [0.5, 0.8, 0.2],   # same as 0 on the top criterion (0), better on the next (2)
        [0.5, 0.2, 0.8],   # identical to 0
        [0.1, 0.1, 0.1],
    ])
    w = [2, 1, 1]         # criteria 1 and 2 weigh the same: taken in index order
    totals = weighted_sum(m, w)
    assert totals[0] == pytest.approx(totals[1])
    result = explain_ties(m, w, totals)
    assert result.order.tolist() == [1, 0, 2, 3]
    assert result.ranks.tolist() == [2, 1, 2, 4]
    (tie,) = result.ties
    assert tie.proposals == (1, 0, 2)
    assert tie.deciding == (1, None)
    assert not tie.resolved
    assert "share rank 2" in tie.message


def test_zero_weight_criteria_do_not_break_ties():
    m = np.array([[0.5, 0.1], [0.5, 0.9]])
    result = explain_ties(m, [1, 0], weighted_sum(m, [1, 0]))
    assert result.ranks.tolist() == [1, 1]
    assert result.ties[0].deciding == (None,)


def test_no_ties_reported_when_totals_differ():
    m = np.array([[0.1, 0.2], [0.4, 0.3], [0.9, 0.0]])
    result = explain_ties(m, [1, 1], weighted_sum(m, [1, 1]))
    assert result.ties == []
    assert result.order.tolist() == [2, 1, 0]


# ------------------------------------------------------------------------------- swap margins

def test_swap_margin_by_hand():
    m = np.array([[0.8, 0.2], [0.5, 0.6]])   # totals 0.5, 0.55 with equal weights
    (margin,) = swap_margins(m, [1, 1], [1, 0])
    # d = x1 - x0 = (-0.3, 0.4), D = 0.1: delta_0 = +1/3, delta_1 = -0.25 (smaller)
    assert (margin.above, margin.below, margin.criterion) == (1, 0, 1)
    assert margin.delta == pytest.approx(-0.25)
    assert margin.percent_of_weight == pytest.approx(-25)
    assert margin.percent_of_total == pytest.approx(-12.5)
    level = weighted_sum(m, [1, 0.75])
    assert level[0] == pytest.approx(level[1])


def test_swap_margin_none_when_dominated():
    m = np.array([[0.9, 0.8], [0.5, 0.6]])
    (margin,) = swap_margins(m, [1, 1], [0, 1])
    assert margin.criterion is None and np.isnan(margin.delta)
    assert "No change" in margin.message


def test_swap_margin_can_give_weight_to_an_unweighted_criterion():
    m = np.array([[0.6, 0.0], [0.5, 1.0]])
    (margin,) = swap_margins(m, [1, 0], [0, 1])
    # Removing all of criterion 1's weight only draws level (not a swap): criterion 2 instead.
    assert margin.criterion == 1
    assert margin.delta == pytest.approx(0.1)
    assert np.isnan(margin.percent_of_weight)
    assert "unweighted" in margin.message
    swapped = weighted_sum(m, [1, 0.1 * (1 + 1e-6)])
    assert swapped[1] > swapped[0]


def test_swap_margin_never_counts_removing_a_weight_entirely():
    # Dropping criterion 1's weight (delta -1) would only draw them level, and no further change
    # is possible; so the margin is the larger +2 on criterion 3, which does swap them.
    m = np.array([[0.6, 0.5, 0.45], [0.5, 0.5, 0.5]])
    (margin,) = swap_margins(m, [1, 1, 0.0], [0, 1])
    assert margin.criterion == 2
    assert margin.delta == pytest.approx(2.0)
    swapped = weighted_sum(m, [1, 1, 2.0 * (1 + 1e-6)])
    assert swapped[1] > swapped[0]


@pytest.mark.parametrize("seed", range(6))
def test_swap_margins_swap_when_applied_and_not_before(seed):
    rng = np.random.default_rng(seed)
    p, c = 12, 5
    m = rng.integers(0, 21, (p, c)) / 20
    w = rng.integers(1, 10, c).astype(float)
    totals = weighted_sum(m, w)
    order = explain_ties(m, w, totals).order
    margins = swap_margins(m, w, order)
    assert len(margins) == p - 1
    checked = 0
    for margin in margins:
        a, b = margin.above, margin.below
        if margin.criterion is None:
            if np.isnan(margin.delta):
                # Really no single weight can do it: check every criterion on a grid of changes.
                for k in range(c):
                    for new in np.linspace(0, 100 * w.sum(), 2001)[1:]:
                        trial = w.copy()
                        trial[k] = new
                        t = weighted_sum(m, trial)
                        assert t[b] <= t[a] + 1e-12
            continue
        k = margin.criterion
        beyond, short = w.copy(), w.copy()
        beyond[k] += margin.delta * (1 + 1e-6)
        short[k] += margin.delta * (1 - 1e-6)
        assert beyond[k] > 0
        after, before = weighted_sum(m, beyond), weighted_sum(m, short)
        assert after[b] > after[a]
        assert before[a] > before[b]
        # No other criterion needs a smaller change.
        d = m[a] - m[b]
        big_d = d @ w
        for j in range(c):
            if d[j] != 0 and w[j] - big_d / d[j] > 0:
                assert abs(big_d / d[j]) >= abs(margin.delta) - 1e-12
        assert margin.percent_of_total == pytest.approx(margin.delta / w.sum() * 100)
        checked += 1
    assert checked > 0


# ------------------------------------------------------------------------------- disagreement

def test_outlier_flags_the_one_evaluator_far_off():
    scores = np.full((5, 2, 2), 7.0)
    scores[:, 0, 0] = [7, 7, 8, 7, 1]          # evaluator 5 far below a near-unanimous panel
    scores[:, 1, 0] = [0, 0, 10, 10, 5]        # a divided panel: nobody is an outlier
    scores[:, 1, 1] = [0, 10, NAN, NAN, NAN]   # two scorers only: never flagged
    d = disagreement(scores, [0, 0], [10, 10])
    expected = np.zeros((5, 2, 2), dtype=bool)
    expected[4, 0, 0] = True
    np.testing.assert_array_equal(d.outlier, expected)
    assert d.others_median[4, 0, 0] == pytest.approx(0.7)
    assert d.outliers.tolist() == [1, 0]
    assert d.count.tolist() == [[5, 5], [5, 2]]
    assert d.range[1, 1] == pytest.approx(1.0)
    assert d.std[1, 1] == pytest.approx(0.5)                        # population std
    assert d.std[0, 0] == pytest.approx(np.std([0.7, 0.7, 0.8, 0.7, 0.1]))


def test_no_outliers_on_unanimous_scores_or_one_step_apart():
    scores = np.full((6, 3, 2), 3.0)
    scores[:, 2, 1] = [3, 3, 3, 3, 3, 4]        # one step on a 0-4 scale is exactly 0.25
    d = disagreement(scores, [0, 0], [4, 4])
    assert not d.outlier.any()
    assert d.std[:2].max() == 0 and d.range[:2].max() == 0
    np.testing.assert_allclose(d.spread[:2], 0)


def test_leave_one_out_median_matches_brute_force():
    rng = np.random.default_rng(11)
    scores = rng.integers(0, 11, (9, 7, 3)).astype(float)
    scores[rng.random(scores.shape) < 0.35] = NAN
    d = disagreement(scores, [0] * 3, [10] * 3)
    n = scores / 10
    for e, p, c in np.ndindex(n.shape):
        others = np.delete(n[:, p, c], e)
        others = others[~np.isnan(others)]
        if np.isnan(n[e, p, c]) or others.size == 0:
            assert np.isnan(d.others_median[e, p, c])
            continue
        assert d.others_median[e, p, c] == pytest.approx(np.median(others))
        q1, q3 = np.percentile(others, [25, 75])
        dev = abs(n[e, p, c] - np.median(others))
        flag = others.size + 1 >= 3 and dev > 0.25 + 1e-9 and dev > 1.5 * (q3 - q1) + 1e-9
        assert d.outlier[e, p, c] == flag


def test_spread_counts_only_criteria_with_two_scorers():
    scores = np.array([[[0, 0]], [[10, NAN]]], dtype=float)   # E=2, P=1, C=2
    d = disagreement(scores, [0, 0], [10, 10])
    assert d.spread.tolist() == [0.5]
    empty = disagreement(np.zeros((0, 2, 2)), [0, 0], [10, 10])
    assert np.isnan(empty.spread).all() and empty.outlier.shape == (0, 2, 2)


# ------------------------------------------------------------------------------------ compute

def test_compute_end_to_end_with_incomplete_proposal_and_labels():
    scores = np.array([
        [[5, 4], [2, 3], [4, NAN]],
        [[4, 4], [3, 3], [5, NAN]],
    ], dtype=float)
    r = compute(scores, [1, 1], [5, 5], [2, 1], labels=["Canal", "Park", "Roofs"],
                criterion_labels=["impact", "cost"])
    assert r.method == "weighted_sum"
    assert r.order.tolist() == [0, 1, 2]
    assert r.ranks.tolist() == [1, 2, 3]
    assert np.isnan(r.totals[2])
    (inc,) = r.incomplete
    assert inc.proposal == 2 and inc.missing == (1,)
    assert "Roofs" in inc.message and "cost" in inc.message and "last" in inc.message
    assert [(m.above, m.below) for m in r.margins] == [(0, 1), (1, 2)]
    assert np.isnan(r.margins[1].delta)
    np.testing.assert_allclose(r.weights, [2 / 3, 1 / 3])
    assert r.labels == ["Canal", "Park", "Roofs"]
    t = compute(scores, [1, 1], [5, 5], [2, 1], method="topsis")
    assert t.method == "topsis" and t.margins_method == "weighted_sum"
    assert np.isnan(t.totals[2]) and t.ranks[2] == 3


@pytest.mark.parametrize("shape", [(0, 0, 3), (4, 0, 3), (0, 5, 3), (3, 1, 3), (0, 1, 3)])
@pytest.mark.parametrize("method", ranking.METHODS)
def test_compute_handles_empty_and_single(shape, method):
    scores = np.full(shape, 2.0)
    r = compute(scores, [0] * 3, [4] * 3, [1, 1, 1], method=method)
    p = shape[1]
    assert r.totals.shape == r.ranks.shape == r.order.shape == (p,)
    assert len(r.margins) == max(p - 1, 0)
    assert r.disagreement.outlier.shape == shape
    if shape[0] == 0:
        assert len(r.incomplete) == p and np.isnan(r.totals).all()
    if shape == (3, 1, 3):
        assert r.ranks.tolist() == [1]
        assert r.totals[0] == pytest.approx(0.5)


def test_compute_refuses_unknown_method_and_wrong_labels():
    with pytest.raises(ValueError):
        compute(np.ones((1, 2, 1)), [0], [1], [1], method="vikor")
    with pytest.raises(ValueError):
        compute(np.ones((1, 2, 1)), [0], [1], [1], labels=["only one"])


# ------------------------------------------------------------------------- hypothesis properties

@st.composite
def problems(draw, min_proposals=1):
    """Scores on 0-10 integer scales with some missing, and integer weights (as people set)."""
    e = draw(st.integers(1, 6))
    p = draw(st.integers(min_proposals, 10))
    c = draw(st.integers(1, 5))
    cells = st.one_of(st.integers(0, 10).map(float), st.just(NAN))
    flat = draw(st.lists(cells, min_size=e * p * c, max_size=e * p * c))
    scores = np.array(flat).reshape(e, p, c)
    weights = draw(st.lists(st.integers(0, 10), min_size=c, max_size=c)
                   .filter(lambda ws: sum(ws) > 0))
    return scores, np.zeros(c), np.full(c, 10.0), np.array(weights, float)


@PROPERTY
@given(problems(), st.floats(1e-3, 1e3), st.sampled_from(ranking.METHODS))
def test_ranking_unchanged_when_weights_scaled(problem, factor, method):
    scores, lo, hi, w = problem
    base = compute(scores, lo, hi, w, method=method)
    scaled = compute(scores, lo, hi, w * factor, method=method)
    np.testing.assert_array_equal(scaled.ranks, base.ranks)
    np.testing.assert_array_equal(scaled.order, base.order)
    np.testing.assert_allclose(scaled.totals, base.totals, rtol=1e-12, atol=1e-15)
    assert [t.proposals for t in scaled.ties] == [t.proposals for t in base.ties]


@PROPERTY
@given(problems(), st.randoms(use_true_random=False), st.sampled_from(ranking.METHODS))
def test_permuting_proposals_permutes_the_result(problem, rnd, method):
    scores, lo, hi, w = problem
    p = scores.shape[1]
    perm = np.array(rnd.sample(range(p), p))          # new proposal k is old proposal perm[k]
    base = compute(scores, lo, hi, w, method=method)
    moved = compute(scores[:, perm], lo, hi, w, method=method)
    np.testing.assert_array_equal(moved.ranks, base.ranks[perm])
    np.testing.assert_allclose(moved.totals, base.totals[perm], rtol=1e-12, atol=1e-15)
    # The order lists the same proposals at the same ranks (only fully tied ones may swap).
    np.testing.assert_array_equal(base.ranks[perm[moved.order]], base.ranks[base.order])
    assert sorted(sorted(perm[list(t.proposals)].tolist()) for t in moved.ties) == \
        sorted(sorted(t.proposals) for t in base.ties)
    np.testing.assert_array_equal(moved.disagreement.outlier, base.disagreement.outlier[:, perm])


@PROPERTY
@given(problems(min_proposals=0), st.sampled_from(ranking.METHODS))
def test_totals_lie_in_unit_interval(problem, method):
    scores, lo, hi, w = problem
    r = compute(scores, lo, hi, w, method=method)
    defined = r.totals[~np.isnan(r.totals)]
    assert np.all((defined >= 0) & (defined <= 1))
    # NaN exactly for the incomplete proposals, and they come last.
    assert sorted(np.flatnonzero(np.isnan(r.totals)).tolist()) == [i.proposal for i in r.incomplete]
    n_complete = defined.size
    assert not np.isnan(r.totals[r.order[:n_complete]]).any()
