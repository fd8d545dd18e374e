"""Import of a city development plan from XLSX or CSV, all or nothing.

The sheet has one row per plan item, three levels:
  level | code | parent | title_th | title_en | <year> | <year> | ...
`level` is strategy, programme or project (Thai ยุทธศาสตร์ / แผนงาน / โครงการ also read);
`parent` is the code of the strategy above a programme or the programme above a project; each
year column (2566 BE or 2023 CE, like apps.core.dates) holds a project's budget for that year
in THB. Every problem is listed as (row, column, reason) and nothing is saved unless there is
none. XLSX is read with openpyxl read_only + data_only: formulas are never evaluated (a formula
cell gives the value the spreadsheet last saved, or nothing).
"""
import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.dates import BE_OFFSET
from apps.strategies.devplan_models import DevPlan, PlanItem
from apps.strategies.models import FIRST_YEAR, LAST_YEAR

MAX_ROWS = 5000
LEVELS = {"strategy": "strategy", "ยุทธศาสตร์": "strategy", "programme": "programme",
          "program": "programme", "แผนงาน": "programme", "project": "project",
          "โครงการ": "project"}
PARENT_LEVEL = {"programme": "strategy", "project": "programme"}
COLUMNS = ["level", "code", "parent", "title_th", "title_en"]


@dataclass
class Problem:
    row: int
    column: str
    reason: str


class PlanImportError(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def read_rows(upload):
    """The rows of the file as lists of cells (strings or numbers), header first."""
    name = upload.name.lower()
    head = upload.read(4)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(upload, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 (a broken ZIP or not a workbook: say so)
            raise PlanImportError([Problem(0, "", _("The file is not a readable XLSX "
                                                    "workbook."))]) from None
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1)]
        book.close()
        return rows
    if name.endswith(".xlsx"):
        raise PlanImportError([Problem(0, "", _("The file is named .xlsx but is not an XLSX "
                                                "workbook."))])
    raw = upload.read()
    for encoding in ("utf-8-sig", "cp874"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise PlanImportError([Problem(0, "", _("The CSV file is neither UTF-8 nor Thai "
                                                "Windows (cp874) text."))])
    return list(csv.reader(io.StringIO(text)))[:MAX_ROWS + 1]


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def to_ce_year(value):
    """A year header (2566, "2566", "2023") as a CE year, or None if it is not a year."""
    text = _text(value)
    if not text.isdigit():
        return None
    year = int(text)
    return year - BE_OFFSET if year > LAST_YEAR else year


def parse(rows, first_year, last_year):
    """(year columns, items as dicts) or PlanImportError listing every problem."""
    problems = []
    if not rows:
        raise PlanImportError([Problem(0, "", _("The file is empty."))])
    header = [_text(h).lower() for h in rows[0]]
    missing = [c for c in COLUMNS[:4] if c not in header]
    if missing:
        raise PlanImportError([Problem(1, c, _("This column is missing.")) for c in missing])
    at = {c: header.index(c) for c in COLUMNS if c in header}
    years = {}
    for index, cell in enumerate(rows[0]):
        if index in at.values() or not _text(cell):
            continue
        year = to_ce_year(cell)
        if year is None:
            problems.append(Problem(1, _text(cell), _("Not a column of the template nor a "
                                                      "year.")))
        elif not first_year <= year <= last_year:
            problems.append(Problem(1, _text(cell), _(
                "Year %(year)s is outside the plan's years (%(first)s-%(last)s BE).") % {
                "year": year + BE_OFFSET, "first": first_year + BE_OFFSET,
                "last": last_year + BE_OFFSET}))
        else:
            years[index] = year
    if len(rows) > MAX_ROWS:
        problems.append(Problem(MAX_ROWS + 1, "", _("More than %(n)s rows.") % {"n": MAX_ROWS}))
    items, codes = [], {}
    for number, row in enumerate(rows[1:], 2):
        cell = lambda c: _text(row[at[c]]) if c in at and at[c] < len(row) else ""  # noqa: E731
        if not any(_text(v) for v in row):
            continue
        level = LEVELS.get(cell("level").lower())
        code, parent, title = cell("code"), cell("parent"), cell("title_th")
        if level is None:
            problems.append(Problem(number, "level", _("“%(value)s” is not strategy, programme "
                                                       "or project.") % {"value": cell("level")}))
        if not code:
            problems.append(Problem(number, "code", _("The code is empty.")))
        elif code in codes:
            problems.append(Problem(number, "code", _("Code %(code)s is already used on row "
                                                      "%(row)s.") % {"code": code,
                                                                     "row": codes[code]["row"]}))
        if not title:
            problems.append(Problem(number, "title_th", _("The Thai title is empty.")))
        budget = {}
        for index, year in years.items():
            value = row[index] if index < len(row) else None
            if _text(value) == "":
                continue
            try:
                amount = Decimal(_text(value).replace(",", ""))
                if not amount.is_finite() or amount < 0:
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                problems.append(Problem(number, _text(rows[0][index]), _(
                    "“%(value)s” is not a budget in THB (a number, 0 or more).") % {
                    "value": _text(value)}))
                continue
            if level and level != "project":
                problems.append(Problem(number, _text(rows[0][index]), _(
                    "Only projects carry budgets.")))
                continue
            budget[str(year)] = amount
        item = {"row": number, "level": level, "code": code, "parent": parent,
                "title_th": title, "title_en": cell("title_en"), "budget": budget}
        if code and code not in codes:
            codes[code] = item
        items.append(item)
    for item in items:
        wanted = PARENT_LEVEL.get(item["level"])
        if item["level"] == "strategy" and item["parent"]:
            problems.append(Problem(item["row"], "parent", _("A strategy has no parent.")))
        if wanted is None:
            continue
        parent = codes.get(item["parent"])
        if not item["parent"]:
            problems.append(Problem(item["row"], "parent", _("A %(level)s needs the code of its "
                                                             "%(parent)s.") % {
                "level": PlanItem.Kind(item["level"]).label.lower(),
                "parent": PlanItem.Kind(wanted).label.lower()}))
        elif parent is None or parent["level"] != wanted:
            problems.append(Problem(item["row"], "parent", _(
                "There is no %(parent)s with code %(code)s in the file.") % {
                "parent": PlanItem.Kind(wanted).label.lower(), "code": item["parent"]}))
    if not items and not problems:
        problems.append(Problem(2, "", _("The file has no plan items.")))
    if problems:
        raise PlanImportError(sorted(problems, key=lambda p: (p.row, p.column)))
    return items


def import_plan(city, upload, title, first_year, last_year, by):
    """Replace the city's development plan with the file's, or raise PlanImportError."""
    items = parse(read_rows(upload), first_year, last_year)
    with transaction.atomic():
        DevPlan.objects.filter(city=city).delete()
        plan = DevPlan.objects.create(city=city, title=title, start_year=first_year,
                                      end_year=last_year, source_name=upload.name[-200:],
                                      imported_by=by)
        made = {}
        for order, item in enumerate(items, 1):  # parents may come after their children
            made[item["code"]] = PlanItem(
                plan=plan, kind=item["level"], code=item["code"], title_th=item["title_th"],
                title_en=item["title_en"], order=order,
                budget={y: str(v) for y, v in item["budget"].items()},
                total_budget=sum(item["budget"].values(), Decimal(0)))
        for level in ("strategy", "programme", "project"):
            batch = []
            for item in items:
                if item["level"] == level:
                    obj = made[item["code"]]
                    if item["parent"]:
                        obj.parent = made[item["parent"]]
                    batch.append(obj)
            PlanItem.objects.bulk_create(batch)
    return plan


def template_xlsx():
    """The sample file users fill in: the header and a strategy, programme and project."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "plan"
    sheet.append([*COLUMNS, 2566, 2567, 2568, 2569, 2570])
    sheet.append(["strategy", "S1", "", "การพัฒนาโครงสร้างพื้นฐาน", "Infrastructure"])
    sheet.append(["programme", "S1.1", "S1", "แผนงานเคหะและชุมชน", "Housing and community"])
    sheet.append(["project", "S1.1.1", "S1.1", "ขุดลอกท่อระบายน้ำ", "Dredge drains",
                  500000, 500000, 0, 0, 0])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
