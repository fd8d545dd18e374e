"""Importing past disasters from CSV and XLSX: what is accepted, each kind of bad row named by
row and column, and nothing saved unless the whole file is good."""
import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from apps.baselines.imports import MAX_BYTES, import_disasters
from apps.baselines.models import BaselineProfile, PastDisaster

pytestmark = pytest.mark.django_db

HEADER = "date,hazard,area_en,people_affected,deaths,damage_thb,source\n"


def csv_file(text, name="disasters.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="disasters.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def profile(world):
    return BaselineProfile.objects.create(city=world.city)


def run(profile, upload, replace=False, lang="en"):
    with translation.override(lang):
        return import_disasters(profile, upload, replace=replace)


def test_a_good_csv_with_buddhist_era_dates_and_thai_headers(profile):
    text = ("วันที่,ภัย,พื้นที่,ผู้ได้รับผลกระทบ,ผู้เสียชีวิต,มูลค่าความเสียหาย\n"
            "21/11/2543,น้ำป่าไหลหลาก,ทั้งเมือง,\"120,000\",30,\"4,500,000,000\"\n"
            "11/2531,Flood,ตัวเมือง,,,\n"
            "\n"  # a blank line is skipped
            "2553-11-01,flash_flood,ร้อยละ 80 ของเมือง,100000,9,1500000000\n"
            "2005,drought,,,,\n")
    result = run(profile, csv_file(text))
    assert result.errors == []
    rows = list(profile.disasters.values_list("date", "precision", "hazard", "area_th",
                                              "people_affected", "deaths", "damage_thb"))
    assert rows == [
        (dt.date(1988, 11, 1), "month", "flood", "ตัวเมือง", None, None, None),
        (dt.date(2000, 11, 21), "day", "flash_flood", "ทั้งเมือง", 120000, 30, D("4500000000")),
        (dt.date(2005, 1, 1), "year", "drought", "", None, None, None),
        (dt.date(2010, 11, 1), "day", "flash_flood", "ร้อยละ 80 ของเมือง", 100000, 9,
         D("1500000000")),
    ]


def test_a_good_xlsx_with_date_cells_and_month_names(profile):
    upload = xlsx_file([
        ["Date", "Hazard", "Area affected", "People affected", "Deaths", "Damage (THB)", "Source"],
        [dt.datetime(2010, 11, 1), "Flash flood", "80% of the city", 100000, 9, 1.5e9, "DDPM"],
        # Excel stores a BE year typed into a date cell as that year: read it as BE.
        [dt.datetime(2543, 11, 21), "flood", "Most of the city", None, None, None, None],
        ["พฤศจิกายน 2531", "น้ำท่วม", None, None, None, None, None],
        ["Mar 2007", "haze", "Whole city", "75,000", 0, None, "PCD"],
    ])
    result = run(profile, upload)
    assert result.errors == []
    assert list(profile.disasters.values_list("date", "precision", "hazard", "area_en")) == [
        (dt.date(1988, 11, 1), "month", "flood", ""),
        (dt.date(2000, 11, 21), "day", "flood", "Most of the city"),
        (dt.date(2007, 3, 1), "month", "haze", "Whole city"),
        (dt.date(2010, 11, 1), "day", "flash_flood", "80% of the city"),
    ]


BAD_ROWS = [
    ("32/11/2553,flood,,,,,", "date", "This date does not exist."),
    ("yesterday,flood,,,,,", "date", "Write the date as day/month/year, month/year or a year"),
    ("1/11/1890,flood,,,,,", "date", "The year 1890 is outside the range"),
    ("13/2553,flood,,,,,", "date", "There is no month 13."),
    ("1/1/2148,flood,,,,,", "date", "A past disaster cannot be in the future."),
    (",flood,,,,,", "date", "This cell is empty."),
    ("1/11/2553,tsunami,,,,,", "hazard", "Unknown hazard “tsunami”"),
    ("1/11/2553,flood,,many,,,", "people_affected", "“many” is not a number."),
    ("1/11/2553,flood,,,-3,,", "deaths", "A negative number is not allowed here."),
    ("1/11/2553,flood,,,2.5,,", "deaths", "Enter a whole number."),
    ("1/11/2553,flood,,,,12345678901234567,", "damage_thb", "Ensure that there are no more"),
]


@pytest.mark.parametrize("row,column,message", BAD_ROWS)
def test_each_bad_row_is_named_by_row_and_column_and_nothing_is_saved(profile, row, column,
                                                                      message):
    good = "1/1/2554,storm,City,100,1,1000,DDPM\n"
    result = run(profile, csv_file(HEADER + good + row + "\n"))
    assert len(result.errors) == 1, result.errors
    number, got_column, text = result.errors[0]
    assert (number, got_column) == (3, column)
    assert message in text
    assert not PastDisaster.objects.exists()  # the good row is not saved either


def test_errors_are_in_the_users_language(profile):
    result = run(profile, csv_file(HEADER + "1/11/2553,tsunami,,,,,\n"), lang="th")
    assert "ไม่รู้จัก" in result.errors[0][2] or "tsunami" in result.errors[0][2]


def test_every_problem_of_the_file_is_listed_at_once(profile):
    text = HEADER + "1/11/2553,tsunami,,,,,\nsoon,flood,,x,,,\n"
    result = run(profile, csv_file(text))
    assert [(row, column) for row, column, _m in result.errors] == [
        (2, "hazard"), (3, "date"), (3, "people_affected")]


def test_a_missing_column_is_named(profile):
    result = run(profile, csv_file("when,area_en\n1/11/2553,City\n"))
    assert [(row, column) for row, column, _m in result.errors] == [(1, "hazard")]
    assert "accepted headers" in result.errors[0][2]


def test_the_same_disaster_twice_in_a_file_is_refused(profile):
    text = HEADER + "1/11/2553,flood,,,,,\n2/11/2553,storm,,,,,\n2010-11-01,Flood,,,,,\n"
    result = run(profile, csv_file(text))
    assert result.errors == [(4, "date", "The same disaster (date and hazard) is on row 2 too.")]
    assert not PastDisaster.objects.exists()


def test_a_disaster_already_recorded_is_refused_unless_the_file_replaces_them(profile):
    PastDisaster.objects.create(profile=profile, date=dt.date(2010, 11, 1), hazard="flood",
                                area_en="Old")
    text = HEADER + "2/2/2554,storm,,,,,\n1/11/2553,flood,New,,,,\n"
    result = run(profile, csv_file(text))
    assert [(row, column) for row, column, _m in result.errors] == [(3, "date")]
    assert list(profile.disasters.values_list("area_en", flat=True)) == ["Old"]
    result = run(profile, csv_file(text), replace=True)
    assert result.errors == []
    assert list(profile.disasters.values_list("area_en", flat=True)) == ["New", ""]


def test_a_bad_file_replacing_the_records_leaves_them_in_place(profile):
    PastDisaster.objects.create(profile=profile, date=dt.date(2010, 11, 1), hazard="flood")
    result = run(profile, csv_file(HEADER + "1/1/2554,storm,,,,,\nbad,flood,,,,,\n"),
                 replace=True)
    assert result.errors
    assert profile.disasters.count() == 1


def test_a_new_profile_is_saved_only_with_a_good_file(world):
    profile = BaselineProfile(city=world.city)
    run(profile, csv_file(HEADER + "bad,flood,,,,,\n"))
    assert not BaselineProfile.objects.exists()
    result = run(profile, csv_file(HEADER + "1/11/2553,flood,,,,,\n"))
    assert result.errors == []
    assert BaselineProfile.objects.get().disasters.count() == 1


@pytest.mark.parametrize("upload,message", [
    (SimpleUploadedFile("d.xlsx", b"date,hazard\n1/1/2553,flood\n"), "not an Excel (.xlsx)"),
    (SimpleUploadedFile("d.csv", b"PK\x03\x04\x00\x00binary"), "not a CSV text file"),
    (SimpleUploadedFile("d.pdf", b"%PDF-1.4"), "Upload a .csv or .xlsx file."),
    (SimpleUploadedFile("d.csv", b"date,hazard\n" + b"1/1/2553,flood\n" * (MAX_BYTES // 14)),
     "larger than 2 MB"),
])
def test_a_file_that_is_not_what_it_says_is_refused(profile, upload, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error, translation.override("en"):
        import_disasters(profile, upload)
    assert message in " ".join(error.value.messages)
    assert not PastDisaster.objects.exists()


def test_a_thai_windows_csv_is_read(profile):
    text = "วันที่,ภัย,พื้นที่\n1/11/2553,น้ำท่วม,ทั้งเมือง\n"
    result = run(profile, csv_file(text, encoding="cp874"))
    assert result.errors == []
    assert profile.disasters.get().area_th == "ทั้งเมือง"
