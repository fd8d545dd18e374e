"""The rules a reported value obeys, in one place for the entry form and the importer.

Plain Python over plain data (no queries), so the importer checks a million rows at speed:
- a quantitative indicator takes a number, parsed strictly: digits with an optional sign and
  decimals, thousands grouped by commas as Thai (and English) write them ("1,234.5"); no
  exponents, NaN, spaces or other separators; at most 4 decimals and 16 integer digits;
- within the indicator's plausible range [min_value, max_value] when set;
- a qualitative indicator takes a text, for the total only;
- the category is "" (the total) or one of the indicator's "dimension:category";
- the categories of one dimension add up to the total, unless a note on one of them (or the
  total) says why (someone not counted by gender, say);
- indicators filled from event attendance take no values from people.
Errors are (column, English msgid, params), translated when shown: the importer runs in a worker
without the user's language.
"""
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext
from django.utils.translation import gettext_noop

NUMBER_RE = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
# The common case in one match: at most 4 decimals (checked again below only when it fails).
SHORT_RE = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,4})?")
LIMIT = Decimal(10) ** 16
TOTAL = ""

MSG_NOT_NUMBER = gettext_noop("“%(value)s” is not a number (write e.g. 1,234.5).")
MSG_DECIMALS = gettext_noop("%(value)s has more than 4 decimals.")
MSG_TOO_LARGE = gettext_noop("%(value)s is too large.")
MSG_BELOW = gettext_noop("%(value)s is below the lowest plausible value %(min)s.")
MSG_ABOVE = gettext_noop("%(value)s is above the highest plausible value %(max)s.")
MSG_EMPTY = gettext_noop("The value is empty.")
MSG_CATEGORY = gettext_noop(
    "“%(category)s” is not a category of this indicator (%(allowed)s).")
MSG_QUALITATIVE_CATEGORY = gettext_noop(
    "A qualitative indicator takes one text, without categories.")
MSG_AUTOMATIC = gettext_noop("This indicator is filled automatically from event attendance.")
MSG_SUM = gettext_noop("The %(dimension)s categories add up to %(sum)s, not the total "
                       "%(total)s: correct them or say why in a note.")
MSG_NO_TOTAL = gettext_noop("The %(dimension)s categories are given without a total.")


def categories_of(disaggregation):
    """"" (the total), then "dimension:category" for every category, in the declared order."""
    cells = [TOTAL]
    for dimension, categories in (disaggregation or {}).items():
        cells.extend(f"{dimension}:{category}" for category in categories)
    return cells


def check_disaggregation(value):
    """A problem with a disaggregation's shape, or None."""
    if not isinstance(value, dict):
        return gettext("Write an object: dimension -> list of categories.")
    for dimension, categories in value.items():
        if (not isinstance(categories, list) or not categories
                or not all(isinstance(c, str) and c.strip() for c in categories)):
            return gettext("Dimension “%(name)s” needs a list of category names.") % {
                "name": dimension}
        if ":" in dimension or any(":" in c for c in categories):
            return gettext("Names of dimensions and categories cannot contain “:”.")
        if len(set(categories)) != len(categories):
            return gettext("Dimension “%(name)s” repeats a category.") % {"name": dimension}
    return None


def parse_number(raw):
    """(Decimal, None) or (None, error) for a raw cell; numbers from a spreadsheet pass as is."""
    if isinstance(raw, str):
        text = raw.strip()
        if text.isascii() and text.isdigit() and len(text) < 17:  # the common case, no regex
            return Decimal(text), None
        if SHORT_RE.fullmatch(text):
            number = Decimal(text.replace(",", "") if "," in text else text)
            if -LIMIT < number < LIMIT:
                return number, None
            return None, ("value", MSG_TOO_LARGE, {"value": text})
        if not NUMBER_RE.fullmatch(text):
            return None, ("value", MSG_NOT_NUMBER, {"value": text[:50]})
        return None, ("value", MSG_DECIMALS, {"value": text})
    if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal)):
        return None, ("value", MSG_NOT_NUMBER, {"value": str(raw)[:50]})
    text = str(raw)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, ("value", MSG_NOT_NUMBER, {"value": text[:50]})
    if not number.is_finite():
        return None, ("value", MSG_NOT_NUMBER, {"value": text[:50]})
    if abs(number) >= LIMIT:
        return None, ("value", MSG_TOO_LARGE, {"value": text})
    if number.as_tuple().exponent < -4:
        # A spreadsheet float such as 0.1 + 0.2: rounded, not refused, unless it really
        # carries more than 4 decimals.
        rounded = round(number, 4)
        if abs(rounded - number) > Decimal("1e-9"):
            return None, ("value", MSG_DECIMALS, {"value": text})
        number = rounded.normalize() if rounded == rounded.to_integral() else rounded
    return number, None


class ValueChecker:
    """Checks cells one by one (`check`) and, once all are in, the sums of the disaggregations
    (`sum_errors`). `group` tells reports apart when one run covers several (the importer's
    periods); `row` is remembered to place a sum error."""

    def __init__(self, indicators):
        self.allowed = {}
        for indicator in indicators:
            cells = categories_of(indicator.disaggregation)
            self.allowed[indicator.id] = (frozenset(cells), ", ".join(c for c in cells if c)
                                          or gettext("total only"))
        self.totals = {}
        self.parts = defaultdict(Decimal)
        self.noted = set()
        self.rows = {}

    def check(self, indicator, category, raw, note, group=None, row=None):
        """(number, text, error); error is None or (column, msgid, params)."""
        if indicator.source != "manual":
            return None, "", ("indicator", MSG_AUTOMATIC, {})
        allowed, listed = self.allowed[indicator.id]
        if indicator.kind != "quantitative":
            if category:
                return None, "", ("category", MSG_QUALITATIVE_CATEGORY, {})
            text = str(raw).strip()
            if not text:
                return None, "", ("value", MSG_EMPTY, {})
            return None, text, None
        if category not in allowed:
            return None, "", ("category", MSG_CATEGORY, {"category": category[:50],
                                                         "allowed": listed})
        if raw is None or raw == "":
            return None, "", ("value", MSG_EMPTY, {})
        number, error = parse_number(raw)
        if error:
            return None, "", error
        low, high = indicator.min_value, indicator.max_value
        if low is not None and number < low:
            return None, "", ("value", MSG_BELOW, {"value": str(raw), "min": str(low)})
        if high is not None and number > high:
            return None, "", ("value", MSG_ABOVE, {"value": str(raw), "max": str(high)})
        if len(allowed) > 1:
            self.record(indicator.id, category, number, note, group, row)
        return number, "", None

    def record(self, indicator_id, category, number, note, group=None, row=None):
        key = (group, indicator_id)
        if category:
            self.parts[(group, indicator_id, category.split(":", 1)[0])] += number
        else:
            self.totals[key] = number
        if note:
            self.noted.add(key)
        if row is not None and (not category or key not in self.rows):
            self.rows[key] = row

    def sum_errors(self):
        """[(group, indicator_id, row, error)] for disaggregations not adding up unexplained."""
        problems = []
        for (group, indicator_id, dimension), total_parts in self.parts.items():
            key = (group, indicator_id)
            if key in self.noted:
                continue
            total = self.totals.get(key)
            if total is None:
                error = ("category", MSG_NO_TOTAL, {"dimension": dimension})
            elif total_parts != total:
                error = ("value", MSG_SUM, {"dimension": dimension, "sum": str(total_parts),
                                            "total": str(total)})
            else:
                continue
            problems.append((group, indicator_id, self.rows.get(key), error))
        return problems


# The columns of an import, as the header may name them (the Thai names are also accepted).
COLUMN_LABELS = {"indicator": gettext_noop("indicator"), "period": gettext_noop("period"),
                 "category": gettext_noop("category"), "value": gettext_noop("value"),
                 "note": gettext_noop("note")}


def translate_error(error):
    """An error dict {"row", "column", "message", "params"} with the message ("text") and the
    column's name ("column_label") in the page's language."""
    message = gettext(error["message"])
    params = error.get("params") or {}
    column = error.get("column") or ""
    label = gettext(COLUMN_LABELS[column]) if column in COLUMN_LABELS else column
    return {**error, "text": message % params if params else message, "column_label": label}


def message(error):
    """The (column, msgid, params) error as text in the page's language."""
    _column, msgid, params = error
    text = gettext(msgid)
    return text % params if params else text
