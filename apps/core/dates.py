"""Buddhist Era dates.

Django has no Buddhist calendar: Thai pages show the year + 543 (9 มีนาคม 2553) and Thai date
inputs take a BE year. Years are checked against a plausible range so that a BE year typed in
English mode (or a Gregorian year in Thai mode) is rejected instead of landing centuries off.
"""
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, gettext as _

BE_OFFSET = 543
# Years the programme can plausibly refer to (Gregorian). Founding documents go back to 2009;
# strategies look decades ahead.
MIN_YEAR, MAX_YEAR = 1950, 2150

THAI_MONTHS = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]
THAI_MONTHS_SHORT = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]
ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]


def is_thai(lang: str | None = None) -> bool:
    return (lang or get_language() or "th").startswith("th")


def display_year(year: int, lang: str | None = None) -> int:
    return year + BE_OFFSET if is_thai(lang) else year


def format_date(value: dt.date | None, lang: str | None = None, short: bool = False) -> str:
    """9 มีนาคม 2553 in Thai, 9 March 2010 in English."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        # An aware datetime is shown on the local (Bangkok) calendar day, not UTC's.
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if is_thai(lang):
        months = THAI_MONTHS_SHORT if short else THAI_MONTHS
        return f"{value.day} {months[value.month - 1]} {value.year + BE_OFFSET}"
    month = ENGLISH_MONTHS[value.month - 1]
    return f"{value.day} {month[:3] if short else month} {value.year}"


def format_month(value: dt.date | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    if is_thai(lang):
        return f"{THAI_MONTHS_SHORT[value.month - 1]} {str(value.year + BE_OFFSET)[-2:]}"
    return f"{ENGLISH_MONTHS[value.month - 1][:3]} {value.year}"


def format_input(value: dt.date | None, lang: str | None = None) -> str:
    """The text a date input shows: dd/mm/yyyy with the year in the page's era."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{display_year(value.year, lang)}"


_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_YMD = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_date(text: str, lang: str | None = None) -> dt.date:
    """Parse dd/mm/yyyy or yyyy-mm-dd typed by a user; the year is BE in Thai, AD in English."""
    match = _DMY.match(text or "")
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _YMD.match(text or "")
        if not match:
            raise ValidationError(
                _("Enter a date as day/month/year, for example %(example)s.")
                % {"example": format_input(dt.date(2010, 3, 9), lang)},
                code="invalid",
            )
        year, month, day = (int(g) for g in match.groups())
    return check_year(year, month, day, lang)


def check_year(year: int, month: int, day: int, lang: str | None = None) -> dt.date:
    thai = is_thai(lang)
    gregorian = year - BE_OFFSET if thai else year
    if not MIN_YEAR <= gregorian <= MAX_YEAR:
        if thai and MIN_YEAR <= year <= MAX_YEAR:
            message = _(
                "%(year)s looks like a Christian Era year; enter the Buddhist Era year "
                "(%(be)s)."
            ) % {"year": year, "be": year + BE_OFFSET}
        elif not thai and MIN_YEAR <= year - BE_OFFSET <= MAX_YEAR:
            message = _(
                "%(year)s looks like a Buddhist Era year; enter the Christian Era year "
                "(%(ad)s)."
            ) % {"year": year, "ad": year - BE_OFFSET}
        else:
            message = _("The year %(year)s is outside the range the programme covers.") % {
                "year": year
            }
        raise ValidationError(message, code="year_range")
    try:
        return dt.date(gregorian, month, day)
    except ValueError:
        raise ValidationError(_("This date does not exist."), code="invalid") from None


def check_api_date(value: dt.date) -> dt.date:
    """The API speaks ISO 8601 Gregorian; a BE year sent there is caught the same way."""
    return check_year(value.year, value.month, value.day, lang="en")


def add_months(value: dt.date, months: int) -> dt.date:
    """Shift a date by whole months, clamping the day (31 Jan + 1 month = 28/29 Feb)."""
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for day in (value.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month
