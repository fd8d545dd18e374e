"""Numerical core of the climate evidence engine: pure NumPy/SciPy, no Django.

* trend.py: Mann-Kendall and Hamed-Rao trend tests, Sen slope (vectorised over series).
* extremes.py: GEV fits of annual maxima (L-moments, maximum likelihood), return levels and
  bootstrap confidence intervals.
* indices.py: ETCCDI climate indices per year from daily station data.

The results are checked against pymannkendall, lmoments3, scipy and hand-computed cases in
apps/climate/tests/test_stats_*.py; benchmarks/climate_stats.py measures the speed.
"""
