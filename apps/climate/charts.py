"""What the analysis page shows, shaped from `Analysis.results`: rows for the tables in the
reader's language and the data of the Chart.js charts (passed to static/climate/analysis.js
with json_script, so the page has no inline script)."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.climate.analysis import FIT_METHODS, ordered_codes
from apps.core.dates import display_year


def reason_text(row):
    text = _(row["reason"]) if row.get("reason") else ""
    params = row.get("params") or {}
    return text % params if params else text


def verdict(row):
    """A trend test's result in words."""
    if "trend" not in row:
        return reason_text(row)
    # The "%" below is a percent sign, not a placeholder.
    if row["trend"] == 1:
        # xgettext:no-python-format
        return _("Increasing (significant at the 5% level)")
    if row["trend"] == -1:
        # xgettext:no-python-format
        return _("Decreasing (significant at the 5% level)")
    return _("No significant trend")


def method_label(method):
    return {"lmoments": _("L-moments"), "mle": _("Maximum likelihood")}[method]


class AnalysisView:
    def __init__(self, analysis):
        results = analysis.results or {}
        self.results = results
        self.years = results.get("years", [])
        self.year_labels = [display_year(y) for y in self.years]
        self.indices = self._indices(results)
        self.extremes = self._extremes(results)
        # Years some index leaves out (the core's completeness rule per variable).
        gaps = set()
        for index in results.get("indices", {}).values():
            gaps.update(y for y, v in zip(self.years, index["values"]) if v is None)
        self.incomplete = [display_year(y) for y in sorted(gaps)]
        self.notes = [_(note) for note in results.get("notes", [])]

    def _indices(self, results):
        rows = []
        for code in ordered_codes(results):
            index = results["indices"][code]
            trend = results.get("trends", {}).get(code, {})
            tests = []
            for key, label in (("mk", _("Mann-Kendall")),
                               ("hamed_rao", _("Hamed-Rao (autocorrelation corrected)"))):
                row = dict(trend.get(key) or {"reason": gettext_noop("Not computed."), "params": {}})
                row["label"] = label
                row["verdict"] = verdict(row)
                row["computable"] = "trend" in row
                if row["computable"] and row.get("slope") is not None:
                    row["slope_decade"] = row["slope"] * 10
                tests.append(row)
            mk = tests[0]
            rows.append({
                "code": code, "name": _(index["name"]), "unit": index["unit"],
                "definition": _(index["definition"]) if index.get("definition") else "",
                "n": trend.get("n", 0),
                "tests": tests, "mk": mk, "hr": tests[1],
                "chart": {
                    "code": code, "unit": index["unit"], "labels": self.year_labels,
                    "values": index["values"],
                    "slope": mk.get("slope") if mk["computable"] else None,
                    "intercept": mk.get("intercept") if mk["computable"] else None,
                    "series_label": f"{code} ({index['unit']})" if index["unit"] else code,
                    "trend_label": _("Sen's slope trend"),
                },
            })
        return rows

    def _extremes(self, results):
        rows = []
        names = {code: index for code, index in results.get("indices", {}).items()}
        extremes = results.get("extremes", {})
        for code in [c for c in ordered_codes(results) if c in extremes]:
            fits = extremes[code]
            methods = []
            for method in FIT_METHODS:
                fit = fits.get(method) or {}
                methods.append({"method": method, "label": method_label(method),
                                "reason": reason_text(fit), **fit})
            periods = []
            for method in methods:
                for level in method.get("levels") or []:
                    if level["period"] not in periods:
                        periods.append(level["period"])
            table = []
            for period in periods:
                cells = []
                for method in methods:
                    match = [lv for lv in method.get("levels") or [] if lv["period"] == period]
                    cells.append(match[0] if match else None)
                table.append({"period": period, "cells": cells})
            index = names.get(code, {})
            rows.append({
                "code": code, "name": _(index.get("name", code)), "unit": index.get("unit", ""),
                "n": fits.get("n", 0), "methods": methods, "table": table,
                "chart": {
                    "code": code, "unit": index.get("unit", ""), "periods": periods,
                    "axis_label": _("Return period (years)"),
                    # xgettext:no-python-format
                    "ci_label": _("95% confidence interval"),
                    "series": [
                        {"label": m["label"], "levels": [lv.get("level") for lv in
                                                         m.get("levels") or []],
                         "low": [lv.get("low") for lv in m.get("levels") or []],
                         "high": [lv.get("high") for lv in m.get("levels") or []]}
                        for m in methods if m.get("levels")
                    ],
                },
            })
        return rows

    @property
    def charts(self):
        """Everything the page's script draws, keyed by canvas id."""
        data = {f"index-{row['code']}": {"kind": "index", **row["chart"]} for row in self.indices}
        data.update({f"extreme-{row['code']}": {"kind": "extreme", **row["chart"]}
                     for row in self.extremes if row["chart"]["series"]})
        return data
