"""GEV fits equal the references: lmoments3 for L-moments (vectorised over rows), scipy for
maximum likelihood (ours never has a lower log-likelihood) and for return levels; series too
short or without spread are refused with a message saying why."""
import numpy as np
import pytest
from lmoments3 import distr
from scipy import stats

from apps.climate.stats import extremes as ex


def maxima(seed, shape, c, loc=60.0, scale=15.0):
    return stats.genextreme.rvs(c, loc=loc, scale=scale, size=shape,
                                random_state=np.random.default_rng(seed))


@pytest.mark.parametrize("c", [-0.45, -0.2, 0.0, 0.15, 0.4, 0.8, 1.5])
def test_lmoment_fit_equals_lmoments3_row_by_row(c):
    x = maxima(int(abs(c) * 100), (40, 35), c)
    x[3, :5] = np.nan                                   # a row with gaps: NaN are dropped
    shape, loc, scale = ex.gev_lmoments(x)
    for i, row in enumerate(x):
        ref = distr.gev.lmom_fit(row[~np.isnan(row)])
        assert shape[i] == pytest.approx(ref["c"], rel=1e-9, abs=1e-12)
        assert loc[i] == pytest.approx(ref["loc"], rel=1e-9)
        assert scale[i] == pytest.approx(ref["scale"], rel=1e-9)


def test_lmoment_fit_in_the_newton_range_equals_lmoments3():
    # strongly negative t3 (< -0.8) takes lmoments3's Newton iterations
    x = -np.exp(np.random.default_rng(1).normal(0, 2.5, size=(30, 25)))
    _, _, t3, _ = ex.sample_lmoments(x)
    assert (t3 < -0.8).any()
    shape, loc, scale = ex.gev_lmoments(x)
    for i, row in enumerate(x):
        try:
            ref = distr.gev.lmom_fit(row)
        except Exception:                               # lmoments3 gives up: so do we
            assert np.isnan(shape[i])
            continue
        assert shape[i] == pytest.approx(ref["c"], rel=1e-8)
        assert scale[i] == pytest.approx(ref["scale"], rel=1e-8)


def test_lmoment_fit_of_one_series_and_of_rows_without_spread():
    x = maxima(2, 30, 0.1)
    assert ex.gev_lmoments(x) == pytest.approx(tuple(distr.gev.lmom_fit(x).values()))
    rows = np.vstack([x, np.full(30, 5.0), np.r_[x[:3], np.full(27, np.nan)]])
    shape, _, _ = ex.gev_lmoments(rows)
    assert np.isfinite(shape[0]) and np.isnan(shape[1:]).all()


@pytest.mark.parametrize("seed,c", [(1, -0.2), (2, 0.0), (3, 0.2), (4, 0.4)])
def test_mle_is_at_least_as_likely_as_scipys_fit(seed, c):
    x = maxima(seed, 45, c)
    ours = ex.gev_mle(x)
    theirs = stats.genextreme.fit(x)
    ll = lambda p: stats.genextreme.logpdf(x, *p).sum()  # noqa: E731
    assert ll(ours) >= ll(theirs) - 1e-9


def test_return_levels_equal_scipy_isf():
    periods = np.array(ex.RETURN_PERIODS)
    for c in (-0.3, 0.0, 0.25):
        ours = ex.return_levels(c, 50.0, 12.0)
        np.testing.assert_allclose(ours, stats.genextreme.isf(1 / periods, c, 50.0, 12.0),
                                   rtol=1e-12)
    many = ex.return_levels(np.array([-0.1, 0.0, 0.2]), np.array([1.0, 2.0, 3.0]), 2.0)
    assert many.shape == (3, len(periods))
    np.testing.assert_allclose(many[1], stats.genextreme.isf(1 / periods, 0.0, 2.0, 2.0))
    with pytest.raises(ValueError):
        ex.return_levels(0.1, 1, 1, periods=(1,))


def test_bootstrap_interval_brackets_the_estimate_and_is_reproducible():
    x = maxima(5, 40, 0.1)
    low, high = ex.return_level_ci(x, "lmoments", n_boot=400, seed=3)
    level = ex.return_levels(*ex.gev_lmoments(x))
    assert (low < level).all() and (level < high).all()
    assert np.all(np.diff(high) > 0)                    # longer periods, higher levels
    again = ex.return_level_ci(x, "lmoments", n_boot=400, seed=3)
    np.testing.assert_array_equal(low, again[0])
    # the vectorised refits equal fitting each resample alone
    samples = ex._bootstrap_samples(x, 5, 3)
    shape, loc, scale = ex.gev_lmoments(samples)
    for i, sample in enumerate(samples):
        assert shape[i] == pytest.approx(distr.gev.lmom_fit(sample)["c"], rel=1e-9)


def test_mle_interval():
    x = maxima(6, 30, 0.0)
    low, high = ex.return_level_ci(x, "mle", n_boot=25, seed=1)
    level = ex.return_levels(*ex.gev_mle(x))
    assert (low <= level).all() and (level <= high).all()


def test_fit_summary_shape():
    x = maxima(7, 35, 0.1)
    summary = ex.fit_summary(x, "lmoments", n_boot=200)
    assert summary["n"] == 35 and summary["method"] == "lmoments"
    assert [row["period"] for row in summary["levels"]] == list(ex.RETURN_PERIODS)
    for row in summary["levels"]:
        assert row["low"] <= row["level"] <= row["high"]
    assert summary["shape"] == pytest.approx(distr.gev.lmom_fit(x)["c"], rel=1e-9)
    assert "bootstrap" in summary["ci_method"]


def test_too_short_series_are_refused_with_the_counts():
    x = np.r_[maxima(8, ex.MIN_VALUES - 1, 0.1), np.nan, np.nan]
    for call in (lambda: ex.fit_summary(x, "lmoments"), lambda: ex.fit_summary(x, "mle"),
                 lambda: ex.gev_mle(x), lambda: ex.return_level_ci(x)):
        with pytest.raises(ex.TooShortError) as error:
            call()
        assert str(error.value) == (f"A GEV fit needs at least {ex.MIN_VALUES} values; "
                                    f"this series has {ex.MIN_VALUES - 1}.")
        assert (error.value.n, error.value.needed) == (ex.MIN_VALUES - 1, ex.MIN_VALUES)
    ex.fit_summary(maxima(8, ex.MIN_VALUES, 0.1), "lmoments", n_boot=50)   # the minimum fits


def test_constant_series_is_refused():
    with pytest.raises(ex.TooShortError, match="All 20 values are equal"):
        ex.fit_summary(np.full(20, 3.0))


def test_bad_arguments():
    x = maxima(9, 20, 0.0)
    with pytest.raises(ValueError, match="method"):
        ex.fit_summary(x, "moments")
    with pytest.raises(ValueError, match="Infinite"):
        ex.fit_summary(np.r_[x, np.inf])
