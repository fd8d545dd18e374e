"""The trend tests equal pymannkendall series by series (S, Var S, Z, p, tau, Sen slope and
intercept), with ties and missing values, on short series (all pairs) and long ones (slope
selection by counting); short series give NaN, never a number."""
import numpy as np
import pymannkendall as pmk
import pytest

from apps.climate.stats import _rank, _sen
from apps.climate.stats.trend import MIN_VALUES, hamed_rao, mann_kendall, sens_slope

FIELDS = (("s", "s"), ("var_s", "var_s"), ("z", "z"), ("p", "p"), ("tau", "Tau"),
          ("slope", "slope"), ("intercept", "intercept"))
TREND = {"increasing": 1, "decreasing": -1, "no trend": 0}


def series(seed, count, n, ties=False, gaps=0.0):
    """Random walks plus noise; `ties` rounds to whole numbers, `gaps` blanks a share."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(count, n)).cumsum(axis=1) * 0.1 + rng.normal(size=(count, n))
    x += np.linspace(0, rng.normal(), n)
    if ties:
        x = np.round(x * 2)
    if gaps:
        x[rng.random(x.shape) < gaps] = np.nan
    return x


def assert_same(ours, reference_test, x, **kwargs):
    for i, row in enumerate(x):
        ref = reference_test(row, **kwargs)
        if ours.too_short[i]:
            continue
        for mine, theirs in FIELDS:
            np.testing.assert_allclose(getattr(ours, mine)[i], getattr(ref, theirs),
                                       rtol=1e-9, atol=1e-13, err_msg=f"{mine} of row {i}")
        assert ours.trend[i] == TREND[ref.trend]


CASES = [
    # (n, ties, gaps): short series take the all-pairs path, long ones the counting path
    (12, False, 0.0), (40, True, 0.0), (60, False, 0.1), (60, True, 0.2),
    (150, False, 0.0), (150, True, 0.1), (400, False, 0.05), (720, True, 0.0),
]


@pytest.mark.parametrize("n,ties,gaps", CASES)
def test_mann_kendall_equals_pymannkendall(n, ties, gaps):
    x = series(n, 12, n, ties, gaps)
    result = mann_kendall(x)
    assert (~result.too_short).all()
    assert_same(result, pmk.original_test, x)


@pytest.mark.parametrize("n,ties,gaps", CASES)
def test_hamed_rao_equals_pymannkendall(n, ties, gaps):
    x = series(n + 1, 12, n, ties, gaps)
    assert_same(hamed_rao(x), pmk.hamed_rao_modification_test, x)


def test_hamed_rao_with_a_lag_limit_equals_pymannkendall():
    x = series(7, 10, 80, gaps=0.05)
    assert_same(hamed_rao(x, lag=3), pmk.hamed_rao_modification_test, x, lag=3)


def test_alpha_changes_the_decision_as_in_pymannkendall():
    x = series(8, 20, 50)
    assert_same(mann_kendall(x, alpha=0.2), pmk.original_test, x, alpha=0.2)


@pytest.mark.parametrize("n", [30, 31, 200, 201, 500])
def test_sen_slope_is_exactly_pymannkendalls_on_whole_numbers(n):
    # whole-number data: every slope is an exact rational, so the median must be identical,
    # with pymannkendall's rule for an even count (mean of the two middle slopes)
    rng = np.random.default_rng(n)
    x = rng.integers(0, 30, size=(6, n)).astype(float) + np.arange(n) // 7
    x[0, ::5] = np.nan
    slopes, intercepts = sens_slope(x)
    for i, row in enumerate(x):
        ref = pmk.sens_slope(row)
        assert slopes[i] == ref.slope
        assert intercepts[i] == pytest.approx(ref.intercept, rel=1e-12, abs=1e-12)


def test_sen_selection_equals_all_pairs_on_many_long_series():
    x = series(11, 300, 260, gaps=0.03)
    valid = ~np.isnan(x)
    assert x.shape[1] > _sen.BRUTE_N
    np.testing.assert_allclose(_sen.sen_median(x, valid), _sen.brute_force(x, valid),
                               rtol=1e-12, atol=0)


def test_sen_selection_with_a_dominant_repeated_slope_falls_back_to_all_pairs():
    # a step series: more than half of all slopes are exactly 0
    x = np.repeat(np.arange(4.0), 50)[None, :].repeat(3, axis=0)
    x[1, 10] = 7.0
    for i, row in enumerate(x):
        assert sens_slope(x)[0][i] == pmk.sens_slope(row).slope


def test_one_dimensional_input():
    x = series(3, 1, 50)[0]
    result = mann_kendall(x)
    assert result.n.shape == (1,)
    ref = pmk.original_test(x)
    assert result.row(0)["s"] == ref.s
    slope, intercept = sens_slope(x)
    assert isinstance(slope, float) and slope == pytest.approx(ref.slope, rel=1e-12)


@pytest.mark.parametrize("test", [mann_kendall, hamed_rao])
def test_too_short_series_give_nan_not_numbers(test):
    x = np.full((3, 10), np.nan)
    x[0, :MIN_VALUES - 1] = [1.0, 3.0, 2.0, 5.0][:MIN_VALUES - 1]
    x[1, :MIN_VALUES] = [0.0, 2.0, 1.0, 4.0, 3.0, 6.0][:MIN_VALUES]   # the minimum: numbers
    result = test(x)
    assert result.too_short.tolist() == [True, False, True]
    assert result.n.tolist() == [MIN_VALUES - 1, MIN_VALUES, 0]
    for name in ("s", "var_s", "z", "p", "tau", "slope", "intercept"):
        assert np.isnan(getattr(result, name)[[0, 2]]).all(), name
        assert np.isfinite(getattr(result, name)[1]), name
    assert result.trend.tolist()[0::2] == [0, 0]


def test_all_equal_series_has_no_trend_like_pymannkendall():
    x = np.full((1, 30), 4.2)
    ours = mann_kendall(x)
    ref = pmk.original_test(x[0])
    assert (ours.s[0], ours.var_s[0], ours.z[0], ours.p[0]) == (0, 0, 0, 1) == (
        ref.s, ref.var_s, ref.z, ref.p)
    assert ours.slope[0] == 0 and ours.trend[0] == 0
    hr = hamed_rao(x)
    assert hr.z[0] == 0 and hr.p[0] == 1 and hr.trend[0] == 0


def test_missing_values_are_dropped_and_the_slope_keeps_time_positions():
    x = np.array([1.0, np.nan, 3.0, np.nan, np.nan, 6.0, 7.0, np.nan, 9.0, 10.0])
    ours = mann_kendall(x)
    ref = pmk.original_test(x)
    assert ours.n[0] == 6
    assert ours.s[0] == ref.s == 15
    assert ours.slope[0] == ref.slope == 1.0


def test_infinite_values_are_refused():
    with pytest.raises(ValueError, match="Infinite"):
        mann_kendall([1.0, 2.0, np.inf, 4.0, 5.0])


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 33, 64, 100, 513])
def test_inversion_count_kernel(n):
    rng = np.random.default_rng(n)
    perms = np.argsort(rng.random((20, n)), axis=1)
    expected = [sum(int(p[i] > p[j]) for i in range(n) for j in range(i + 1, n)) for p in perms]
    assert _rank.inversions(perms).tolist() == expected


def test_average_ranks_equal_scipy():
    from scipy.stats import rankdata

    x = np.round(series(5, 5, 40), 0)
    x[2, :4] = np.nan
    ranks = _rank.average_ranks(x)
    for row, r in zip(x, ranks):
        keep = ~np.isnan(row)
        np.testing.assert_array_equal(r[keep], rankdata(row[keep]))
        assert np.isnan(r[~keep]).all()
