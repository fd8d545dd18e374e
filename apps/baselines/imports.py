"""Reading past disasters from a CSV or XLSX file, and the dates people write for them.

The import is all-or-nothing: every row is read and checked first, every problem is reported
with its row and column, and rows are saved only when there is none (in one transaction).
Files come from municipal offices: Thai headers or English ones, dates in the Buddhist Era or
the Gregorian one (a year from 2400 on is BE: the two ranges the programme covers cannot
overlap), numbers with thousands separators, CSV saved by Excel in UTF-8 or in Windows' Thai
code page.
"""
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, override

from apps.core import dates
from apps.dialogues.models import Hazard

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000

# column -> the headers accepted for it (compared lower-cased, spaces trimmed)
COLUMNS = {
    "date": ("date", "when", "วันที่", "วันเดือนปี", "ช่วงเวลา"),
    "hazard": ("hazard", "type", "ภัย", "ประเภทภัย"),
    "area_th": ("area_th", "area (thai)", "พื้นที่", "พื้นที่ได้รับผลกระทบ"),
    "area_en": ("area_en", "area (english)", "area", "area affected"),
    "people_affected": ("people_affected", "people affected", "affected", "ผู้ได้รับผลกระทบ",
                        "ผู้ประสบภัย"),
    "deaths": ("deaths", "dead", "ผู้เสียชีวิต"),
    "damage_thb": ("damage_thb", "damage (thb)", "damage", "มูลค่าความเสียหาย",
                   "ความเสียหาย (บาท)", "ความเสียหาย"),
    "source": ("source", "แหล่งข้อมูล", "ที่มา"),
}
REQUIRED = ("date", "hazard")

_MONTHS = {}
for _n, (_th, _th_short, _en) in enumerate(zip(dates.THAI_MONTHS, dates.THAI_MONTHS_SHORT,
                                               dates.ENGLISH_MONTHS), 1):
    for _name in (_th, _th_short, _th_short.replace(".", ""), _en.lower(), _en[:3].lower()):
        _MONTHS[_name] = _n

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_YM = re.compile(r"^(\d{4})-(\d{1,2})$")
_NAMED = re.compile(r"^(?:(\d{1,2})\s+)?([^\d\s]+)\s+(\d{4})$")


def _gregorian(year, either_era, lang):
    """The Gregorian year: from a BE year in Thai (or any year >= 2400 when either era is
    accepted), else as given; refused outside the range the programme covers."""
    if either_era:
        year = year - dates.BE_OFFSET if year >= 2400 else year
        return dates.check_year(year, 1, 1, lang="en").year
    return dates.check_year(year, 1, 1, lang).year


def parse_when(text, lang=None, either_era=False):
    """(date, precision) from 9/3/2553, 2010-03-09, 3/2553, 2010-03, มีนาคม 2553, Mar 2010,
    2553 ... Precision is "day", "month" or "year"; the date of a month or a year is its
    first day."""
    if isinstance(text, dt.datetime):
        text = text.date()
    if isinstance(text, dt.date):  # a date cell of a spreadsheet (BE typed into Excel too)
        year = _gregorian(text.year, True, lang)
        return dates.check_year(year, text.month, text.day, lang="en"), "day"
    value = " ".join(str(text or "").split()).strip().rstrip(".")
    day = month = None
    if match := _DMY.match(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := _YMD.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _MY.match(value):
        month, year = (int(g) for g in match.groups())
    elif match := _YM.match(value):
        year, month = (int(g) for g in match.groups())
    elif match := _NAMED.match(value):
        named = match.group(2).lower().rstrip(".")
        month = _MONTHS.get(named) or _MONTHS.get(match.group(2))
        if month is None:
            raise ValidationError(_("Unknown month: %(month)s.") % {"month": match.group(2)})
        day = int(match.group(1)) if match.group(1) else None
        year = int(match.group(3))
    elif re.fullmatch(r"\d{4}", value):
        year = int(value)
    else:
        raise ValidationError(_(
            "Write the date as day/month/year, month/year or a year, for example "
            "%(example)s.") % {"example": _example(lang)})
    year = _gregorian(year, either_era, lang)
    if month is not None and not 1 <= month <= 12:
        raise ValidationError(_("There is no month %(month)s.") % {"month": month})
    precision = "day" if day else ("month" if month else "year")
    try:
        date = dt.date(year, month or 1, day or 1)
    except ValueError:
        raise ValidationError(_("This date does not exist.")) from None
    if date > timezone.localdate():
        raise ValidationError(_("A past disaster cannot be in the future."))
    return date, precision


def _example(lang):
    return f"1/11/{dates.display_year(2010, lang)}, 11/{dates.display_year(2010, lang)}"


def parse_hazard(text):
    """A Hazard from its code or its English or Thai name."""
    value = " ".join(str(text or "").split()).lower()
    for hazard in Hazard:
        with override("en"):
            english = str(hazard.label).lower()
        with override("th"):
            thai = str(hazard.label).lower()
        if value in (hazard.value, english, thai, hazard.value.replace("_", " ")):
            return hazard.value
    raise ValidationError(_("Unknown hazard “%(value)s”; use one of: %(choices)s.") % {
        "value": text, "choices": ", ".join(str(h.label) for h in Hazard)})


def parse_count(text, decimals=False):
    """A whole number (or an amount) written with or without thousands separators."""
    if text is None or str(text).strip() == "":
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        number = Decimal(str(text))
    else:
        cleaned = str(text).strip().replace(",", "").replace(" ", "").replace("฿", "")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}) from None
    if number < 0:
        raise ValidationError(_("A negative number is not allowed here."))
    if not decimals and number != number.to_integral_value():
        raise ValidationError(_("Enter a whole number."))
    return number if decimals else int(number)


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)  # (row number, dict for PastDisaster(**dict))
    errors: list = field(default_factory=list)  # (row number, column, message)

    def error(self, row, column, message):
        self.errors.append((row, column, str(message)))


def read_table(upload):
    """The file's rows as lists of cells (first row: headers). Refuses what is not what its
    name says, and files too big to be a list of disasters."""
    name = (upload.name or "").lower()
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // 2**20})
    data = upload.read()
    if name.endswith(".xlsx"):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise ValidationError(_("This file is not an Excel (.xlsx) workbook."))
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds on a damaged workbook
            raise ValidationError(_("This Excel file cannot be read.")) from None
        try:
            sheet = workbook.worksheets[0]
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > MAX_ROWS + 1:
                    break
        finally:
            workbook.close()
        return rows
    if name.endswith(".csv") or name.endswith(".txt"):
        if data[:4] == b"PK\x03\x04" or b"\x00" in data[:2048]:
            raise ValidationError(_("This file is not a CSV text file."))
        for encoding in ("utf-8-sig", "cp874"):  # cp874: Thai Windows, Excel's old default
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("The CSV file's text encoding is not UTF-8 or Thai Windows."))
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return list(csv.reader(io.StringIO(text), dialect))
    raise ValidationError(_("Upload a .csv or .xlsx file."))


def read_disasters(upload):
    """Parse an upload into an ImportResult; nothing is saved here."""
    result = ImportResult()
    rows = read_table(upload)
    if not any(_filled(row) for row in rows):
        result.error(1, "", _("The file is empty."))
        return result
    headers = [" ".join(str(h or "").split()).lower() for h in rows[0]]
    columns = {}
    for index, header in enumerate(headers):
        for name, accepted in COLUMNS.items():
            if header in accepted:
                if name in columns:
                    result.error(1, rows[0][index], _("Column “%(column)s” appears twice.")
                                 % {"column": rows[0][index]})
                columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            result.error(1, name, _("The column “%(column)s” is missing (accepted headers: "
                                    "%(headers)s).") % {"column": name,
                                                        "headers": ", ".join(COLUMNS[name])})
    if result.errors:
        return result
    if len(rows) - 1 > MAX_ROWS:
        result.error(MAX_ROWS + 2, "",
                     _("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
        return result
    seen = {}
    for number, row in enumerate(rows[1:], 2):
        if not _filled(row):
            continue  # a blank line, kept out of the count so row numbers match the sheet

        def cell(name):
            index = columns.get(name)
            if index is None or index >= len(row):
                return None
            value = row[index]
            return value.strip() if isinstance(value, str) else value

        values = {}
        parsers = {
            "date": lambda v: parse_when(v, either_era=True),
            "hazard": parse_hazard,
            "people_affected": parse_count,
            "deaths": parse_count,
            "damage_thb": lambda v: parse_count(v, decimals=True),
        }
        for name in COLUMNS:
            raw = cell(name)
            if name in REQUIRED and (raw is None or str(raw).strip() == ""):
                result.error(number, rows[0][columns[name]], _("This cell is empty."))
                continue
            try:
                values[name] = parsers[name](raw) if name in parsers else str(raw or "")[:300]
            except ValidationError as error:
                result.error(number, rows[0][columns[name]], " ".join(error.messages))
        if "date" in values:
            values["date"], values["precision"] = values["date"]
            key = (values["date"], values["precision"], values.get("hazard"))
            if key in seen:
                result.error(number, rows[0][columns["date"]], _(
                    "The same disaster (date and hazard) is on row %(row)s too.")
                    % {"row": seen[key]})
            seen.setdefault(key, number)
        result.rows.append((number, values))
    return result


def _filled(row):
    return any(str(c).strip() for c in row if c is not None)


def import_disasters(profile, upload, replace=False):
    """Read the upload and, when every row is valid, add its disasters to the profile
    (replacing the existing ones if asked; saving a new profile first) in one transaction.
    Returns the ImportResult; a file that cannot be read at all raises ValidationError."""
    from apps.baselines.models import PastDisaster

    result = read_disasters(upload)
    if result.errors:
        return result
    if not replace:
        recorded = profile.disasters.all() if profile.pk else []
        existing = {(d.date, d.precision, d.hazard): d for d in recorded}
        for number, row in result.rows:
            if (row["date"], row["precision"], row["hazard"]) in existing:
                result.error(number, "date", _(
                    "This disaster (date and hazard) is already recorded; tick “replace” to "
                    "load the file instead of what is recorded."))
        if result.errors:
            return result
    objects = []
    for number, row in result.rows:
        disaster = PastDisaster(profile=profile, **row)
        try:  # the model's own limits (the size of an amount, say), named by column
            disaster.full_clean(exclude=["profile"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                result.error(number, name, " ".join(messages))
        objects.append(disaster)
    if result.errors:
        return result
    with transaction.atomic():
        if profile.pk is None:  # the first data of the city's baseline
            profile.save()
        elif replace:
            profile.disasters.all().delete()
        for disaster in objects:
            disaster.profile = profile
        PastDisaster.objects.bulk_create(objects)
    return result
