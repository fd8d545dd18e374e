"""Reading a station's daily series from a CSV or XLSX file: every row checked, every problem
reported (row as the user sees it in the file, column, reason), nothing saved unless all is well.

The file must have a header row (within its first ten rows) naming a date column and columns for
rainfall (mm), Tmax and Tmin (°C), in Thai or English, in any order; other columns are ignored.
Blank cells are missing values; gaps are allowed and reported. Dates may be ISO (2010-06-15),
day/month/year with a Gregorian or Buddhist Era year (15/06/2553: a year above 2400 is BE) or
Excel date cells. Formulas in a workbook are never evaluated: their cached value is read, and a
formula cell without one is a missing value.
"""
import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.climate.models import MAX_MISSING_DAYS, Observation, SeriesUpload

SHOWN_ERRORS = 50  # a page lists this many problems, then says how many more there are
MAX_ROWS = 200_000  # over five centuries of days: anything longer is not one station's series
HEADER_SEARCH_ROWS = 10
BATCH = 2000
EXCEL_EPOCH = dt.date(1899, 12, 30)
EARLIEST = dt.date(1850, 1, 1)

# Plausible daily values: outside these a value is almost surely a typing or unit error.
MAX_RAIN_MM = 1000.0
TEMP_RANGE = (-10.0, 50.0)

COLUMNS = {
    "date": gettext_lazy("date"),
    "prcp": gettext_lazy("rainfall (mm)"),
    "tmax": gettext_lazy("Tmax (°C)"),
    "tmin": gettext_lazy("Tmin (°C)"),
}
# Header names accepted, compared after normalise(): Thai and English, with or without units.
ALIASES = {
    "date": {"date", "day", "วันที่", "วัน", "วันเดือนปี", "วดป", "time", "datetime"},
    "prcp": {"rainfall", "rain", "prcp", "precipitation", "precip", "pr", "rr", "ฝน",
             "ปริมาณฝน", "ปริมาณน้ำฝน", "น้ำฝน", "ฝนรายวัน", "ปริมาณฝนรายวัน"},
    "tmax": {"tmax", "tx", "maxtemp", "maxtemperature", "maximumtemperature", "temperaturemax",
             "tempmax", "อุณหภูมิสูงสุด", "อุณหภูมิสูงสุดรายวัน"},
    "tmin": {"tmin", "tn", "mintemp", "mintemperature", "minimumtemperature", "temperaturemin",
             "tempmin", "อุณหภูมิต่ำสุด", "อุณหภูมิต่ำสุดรายวัน"},
}
UNIT_SUFFIXES = ("mm", "มม", "degc", "celsius", "c", "องศาเซลเซียส", "องศา")
MISSING_MARKS = {"", "-", "--", "—", "na", "n/a", "nan", "null", "none", "m", "missing"}
TRACE_MARKS = {"t", "tr", "trace"}  # TMD writes T for a trace of rain (under 0.1 mm)


def normalise(header):
    text = str(header or "").strip().lower()
    text = re.sub(r"[\(\[].*?[\)\]]", "", text)  # units in brackets
    text = re.sub(r"[\s_\-\./°,:]+", "", text)
    return text


def column_key(header):
    text = normalise(header)
    for key, names in ALIASES.items():
        if text in names:
            return key
    for suffix in UNIT_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            stem = text[: -len(suffix)]
            for key, names in ALIASES.items():
                if stem in names:
                    return key
    return None


@dataclass
class Problem:
    row: int | None  # as numbered in the file (spreadsheet row / CSV line), None: the whole file
    column: str  # the header as found in the file, or our column name
    message: str


class ImportRefused(Exception):
    """The file was refused; `problems` says every reason, `columns` what was recognised."""

    def __init__(self, problems, columns=None):
        super().__init__(problems[0].message if problems else "")
        self.problems = problems
        self.columns = columns or {}

    @property
    def shown(self):
        return self.problems[:SHOWN_ERRORS]

    @property
    def more(self):
        return max(0, len(self.problems) - SHOWN_ERRORS)


@dataclass
class Series:
    """The accepted rows, in file order."""

    dates: list = field(default_factory=list)
    prcp: list = field(default_factory=list)
    tmax: list = field(default_factory=list)
    tmin: list = field(default_factory=list)
    columns: dict = field(default_factory=dict)  # our key -> the header as found


# -- reading the file -------------------------------------------------------------------------
def sniff(name, head):
    """'csv' or 'xlsx', or ImportRefused when the content is not what the name says."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    whole = lambda message: ImportRefused([Problem(None, "", message)])  # noqa: E731
    is_zip = head.startswith(b"PK\x03\x04")
    is_ole = head.startswith(b"\xd0\xcf\x11\xe0")
    if extension == "xlsx":
        if not is_zip:
            return whole(_("The file is named .xlsx but is not an Excel workbook."))
        return "xlsx"
    if extension in ("csv", "txt"):
        if is_zip or is_ole:
            return whole(_("The file is named .%(ext)s but is a spreadsheet or archive, not "
                           "text. Save it as CSV, or upload it with its real name (.xlsx).")
                         % {"ext": extension})
        if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return whole(_("The file is named .%(ext)s but is not a text file.")
                         % {"ext": extension})
        return "csv"
    if extension == "xls" or is_ole:
        return whole(_("Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV."))
    return whole(_("Upload a CSV or an Excel (.xlsx) file."))


def decode(data):
    """Text of a CSV: UTF-8 (with or without BOM) or the Thai TIS-620 / Windows-874 encodings."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874")  # a superset of TIS-620
    except UnicodeDecodeError:
        raise ImportRefused([Problem(None, "", _(
            "The file's characters are neither UTF-8 nor Thai (TIS-620 / Windows-874) text: "
            "save it as CSV UTF-8."))]) from None


def csv_rows(data):
    text = decode(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), 1):
        yield number, row


def xlsx_rows(uploaded):
    import openpyxl

    uploaded.seek(0)
    try:
        archive = zipfile.ZipFile(uploaded)
        names = set(archive.namelist())
        # A zip bomb must not fill memory: the sheets together may hold so much.
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportRefused([Problem(None, "", _(
            "The file is named .xlsx but is not an Excel workbook."))]) from None
    if "xl/workbook.xml" not in names:
        raise ImportRefused([Problem(None, "", _(
            "The file is named .xlsx but is not an Excel workbook."))])
    if unpacked > 20 * settings.DATA_UPLOAD_MAX_BYTES:
        raise ImportRefused([Problem(None, "", _("The workbook is too large once unpacked."))])
    uploaded.seek(0)
    try:
        # data_only: a formula's cached value, never the formula (nor its evaluation).
        book = openpyxl.load_workbook(uploaded, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for damaged files
        raise ImportRefused([Problem(None, "", _(
            "The workbook could not be read; it may be damaged. Save it again as .xlsx "
            "or CSV."))]) from None
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            yield number, list(row)
    finally:
        book.close()


# -- cells ------------------------------------------------------------------------------------
DATE_DMY = re.compile(r"^(\d{1,2})[/\-\.](\d{1,2})[/\-\.](\d{4})$")
DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$")


def parse_date(value):
    """A date, or ValueError with the reason. Years above 2400 are Buddhist Era."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return check_year(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 200_000 and float(value).is_integer():  # an Excel serial day number
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(_("not a date: %(value)s") % {"value": value})
    text = str(value).strip()
    match = DATE_ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = DATE_DMY.match(text)
        if not match:
            raise ValueError(_("not a date: “%(value)s” (write 15/06/2553 or 2010-06-15)")
                             % {"value": text[:40]})
        day, month, year = (int(g) for g in match.groups())
    return check_year(year, month, day, text)


def check_year(year, month, day, text=None):
    if year > 2400:
        year -= 543
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("no such day: %(value)s") % {
            "value": text or f"{year:04d}-{month:02d}-{day:02d}"}) from None


def parse_number(value, key):
    """A float, None when blank, or ValueError with the reason."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip()
        lowered = text.lower()
        if lowered in MISSING_MARKS:
            return None
        if key == "prcp" and lowered in TRACE_MARKS:
            return 0.0
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise ValueError(_("not a number: “%(value)s”") % {"value": text[:40]}) from None
    if number != number:  # NaN
        return None
    if key == "prcp":
        if number < 0:
            raise ValueError(_("negative rainfall: %(value)s") % {"value": number})
        if number > MAX_RAIN_MM:
            raise ValueError(_("implausible rainfall: %(value)s mm in a day (over %(max)s)")
                             % {"value": number, "max": int(MAX_RAIN_MM)})
    elif not TEMP_RANGE[0] <= number <= TEMP_RANGE[1]:
        raise ValueError(_("implausible temperature: %(value)s °C (outside %(low)s to %(high)s)")
                         % {"value": number, "low": int(TEMP_RANGE[0]),
                            "high": int(TEMP_RANGE[1])})
    return number


# -- the whole file ---------------------------------------------------------------------------
def find_header(rows):
    """(row number, {key: column index}, {key: header text}) from the first rows; rows read
    before the header are dropped."""
    first = None
    for number, row in rows:
        cells = ["" if c is None else str(c) for c in row]
        if first is None and any(c.strip() for c in cells):
            first = (number, cells)
        keys = {}
        duplicates = []
        for index, cell in enumerate(cells):
            key = column_key(cell)
            if key is None:
                continue
            if key in keys:
                duplicates.append(Problem(number, cell, _("a second %(column)s column")
                                          % {"column": COLUMNS[key]}))
            else:
                keys[key] = index
        if "date" in keys:
            headers = {key: cells[index].strip() for key, index in keys.items()}
            missing = [key for key in COLUMNS if key not in keys]
            if missing or duplicates:
                problems = list(duplicates)
                if missing:
                    problems.insert(0, Problem(number, "", missing_message(missing, headers)))
                raise ImportRefused(problems, headers)
            return number, keys, headers
        if number >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise ImportRefused([Problem(None, "", _("The file is empty."))])
    found = ", ".join(c.strip() for c in first[1] if c.strip())[:200]
    raise ImportRefused([Problem(first[0], "", _(
        "No header row with a date column in the first %(n)s rows. Expected columns: "
        "%(expected)s. First row found: %(found)s.")
        % {"n": HEADER_SEARCH_ROWS, "expected": expected_columns(), "found": found})])


def expected_columns():
    return ", ".join(str(label) for label in COLUMNS.values())


def missing_message(missing, headers):
    found = ", ".join(f"“{headers[k]}” ({COLUMNS[k]})" for k in COLUMNS if k in headers)
    return _("Missing columns: %(missing)s. Columns found: %(found)s. A station that does not "
             "measure something still needs the column, left blank.") % {
        "missing": ", ".join(str(COLUMNS[k]) for k in missing), "found": found or "—"}


def read_series(uploaded, name):
    """Check every row of an uploaded file; a Series, or ImportRefused listing every problem."""
    size = getattr(uploaded, "size", None)
    limit = settings.DATA_UPLOAD_MAX_BYTES
    if size is not None and size > limit:
        raise ImportRefused([Problem(None, "", _(
            "The file is %(size)s MB; the limit is %(limit)s MB. Upload fewer years at a time.")
            % {"size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)})])
    uploaded.seek(0)
    head = uploaded.read(1024)
    if not head:
        raise ImportRefused([Problem(None, "", _("The file is empty."))])
    kind = sniff(name, head)
    if isinstance(kind, ImportRefused):
        raise kind
    if kind == "csv":
        uploaded.seek(0)
        data = uploaded.read(limit + 1)
        if len(data) > limit:  # size unknown beforehand (e.g. a plain file object)
            raise ImportRefused([Problem(None, "", _("The file is over the size limit."))])
        rows = csv_rows(data)
    else:
        rows = xlsx_rows(uploaded)
    return check_rows(rows)


def check_rows(rows):
    rows = iter(rows)
    header_row, keys, headers = find_header(rows)
    series = Series(columns=headers)
    problems = []
    seen = {}
    today = dt.date.today()
    width = max(keys.values()) + 1
    for number, row in rows:
        if number - header_row > MAX_ROWS:
            problems.append(Problem(number, "", _("More than %(n)s rows: upload fewer years "
                                                  "at a time.") % {"n": MAX_ROWS}))
            break
        cells = list(row) + [None] * (width - len(row))
        picked = {key: cells[index] for key, index in keys.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in picked.values()):
            continue  # a blank line
        bad = False
        raw = picked["date"]
        date = None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            problems.append(Problem(number, headers["date"], _("the date is missing")))
            bad = True
        else:
            try:
                date = parse_date(raw)
            except ValueError as error:
                problems.append(Problem(number, headers["date"], str(error)))
                bad = True
        if date is not None:
            if date < EARLIEST or date > today:
                problems.append(Problem(number, headers["date"], _(
                    "implausible date: %(date)s") % {"date": date.isoformat()}))
                bad = True
            elif date in seen:
                problems.append(Problem(number, headers["date"], _(
                    "the same date as row %(row)s (%(date)s)")
                    % {"row": seen[date], "date": date.isoformat()}))
                bad = True
            else:
                seen[date] = number
        values = {}
        for key in ("prcp", "tmax", "tmin"):
            try:
                values[key] = parse_number(picked[key], key)
            except ValueError as error:
                problems.append(Problem(number, headers[key], str(error)))
                bad = True
                values[key] = None
        if (values["tmax"] is not None and values["tmin"] is not None
                and values["tmin"] > values["tmax"]):
            problems.append(Problem(number, headers["tmin"], _(
                "Tmin %(tmin)s is above Tmax %(tmax)s") % values))
            bad = True
        if not bad:
            series.dates.append(date)
            series.prcp.append(values["prcp"])
            series.tmax.append(values["tmax"])
            series.tmin.append(values["tmin"])
    if problems:
        raise ImportRefused(problems, headers)
    if not series.dates:
        raise ImportRefused([Problem(None, "", _("The file has a header row but no data."))],
                            headers)
    return series


# -- gaps -------------------------------------------------------------------------------------
def gap_summary(series):
    """Missing days over the series' span: in total, the longest run of days without any value,
    per year and variable, and the years missing more than MAX_MISSING_DAYS days."""
    present = {}
    for date, p, x, n in zip(series.dates, series.prcp, series.tmax, series.tmin):
        present[date] = (p is not None, x is not None, n is not None)
    first, last = min(series.dates), max(series.dates)
    years = {}
    missing_any = 0
    longest, longest_start, run, run_start = 0, None, 0, None
    day = first
    one = dt.timedelta(days=1)
    while day <= last:
        flags = present.get(day, (False, False, False))
        year = years.setdefault(str(day.year), {"days": 0, "prcp": 0, "tmax": 0, "tmin": 0})
        year["days"] += 1
        for key, has in zip(("prcp", "tmax", "tmin"), flags):
            year[key] += not has
        if not any(flags):
            missing_any += 1
            if run == 0:
                run_start = day
            run += 1
            if run > longest:
                longest, longest_start = run, run_start
        else:
            run = 0
        day += one
    incomplete = [int(y) for y, v in years.items()
                  if max(v["prcp"], v["tmax"], v["tmin"]) > MAX_MISSING_DAYS]
    return {
        "first": first, "last": last, "missing": missing_any, "longest": longest,
        "longest_start": longest_start,
        "summary": {"years": years, "incomplete_years": sorted(incomplete),
                    "columns": series.columns},
    }


# -- saving -----------------------------------------------------------------------------------
def import_series(station, uploaded, name, user, mode=SeriesUpload.Mode.MERGE):
    """Check the file and, only if every row is good, save its days and keep the file, in one
    transaction. Returns the SeriesUpload; raises ImportRefused (nothing saved) otherwise."""
    series = read_series(uploaded, name)
    gaps = gap_summary(series)
    uploaded.seek(0)
    stored = None
    try:
        with transaction.atomic():
            if mode == SeriesUpload.Mode.REPLACE:
                station.observations.all().delete()
            rows = [Observation(station=station, date=d, prcp_mm=p, tmax_c=x, tmin_c=n)
                    for d, p, x, n in zip(series.dates, series.prcp, series.tmax, series.tmin)]
            Observation.objects.bulk_create(
                rows, batch_size=BATCH, update_conflicts=True,
                unique_fields=["station", "date"], update_fields=["prcp_mm", "tmax_c", "tmin_c"],
            )
            upload = SeriesUpload(
                station=station, original_name=name[:255], mode=mode, uploaded_by=user,
                rows=len(rows), first_date=gaps["first"], last_date=gaps["last"],
                missing_days=gaps["missing"], longest_gap=gaps["longest"],
                longest_gap_start=gaps["longest_start"], summary=gaps["summary"],
            )
            upload.file.save(safe_name(name), File(uploaded), save=False)
            stored = upload.file.name
            upload.save()
    except BaseException:
        if stored:  # the rows were rolled back; the file must go too
            upload.file.storage.delete(stored)
        raise
    return upload


def safe_name(name):
    base = re.sub(r"[^\w.\-]+", "-", name.rsplit("/", 1)[-1]).strip("-.") or "series"
    return base[-100:]
