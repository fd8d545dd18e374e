"""The upload rules: every bad row reported with its row and column, nothing half-saved."""
import datetime as dt
import io
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.climate.imports import ImportRefused, import_series, read_series
from apps.climate.models import Observation, SeriesUpload
from apps.climate.tests.conftest import csv_file, synthetic_file, xlsx_bytes
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

HEADER = "date,rainfall mm,Tmax,Tmin\n"


def refused(text, name="series.csv", **kwargs):
    upload = text if hasattr(text, "read") else csv_file(text, name, **kwargs)
    with pytest.raises(ImportRefused) as caught:
        read_series(upload, name)
    return caught.value.problems


def problems_of(text, **kwargs):
    return [(p.row, p.column, p.message) for p in refused(text, **kwargs)]


# -- dates --------------------------------------------------------------------------------
def test_buddhist_era_and_iso_dates():
    series = read_series(csv_file(HEADER + "15/06/2553,1.5,33.0,24.0\n"
                                  "2010-06-16,0,32.0,23.5\n17/06/2010,,31,22\n"), "x.csv")
    assert series.dates == [dt.date(2010, 6, 15), dt.date(2010, 6, 16), dt.date(2010, 6, 17)]


def test_duplicate_dates_name_both_rows():
    # 16/06/2010 (Gregorian) is the same day as the ISO row before it.
    problems = problems_of(HEADER + "15/06/2553,1,33,24\n2010-06-16,0,32,23\n16/06/2010,,31,22\n")
    assert problems == [(4, "date", "the same date as row 3 (2010-06-16)")]


def test_unparseable_missing_and_impossible_dates():
    problems = problems_of(HEADER + "yesterday,1,33,24\n,2,33,24\n31/02/2553,0,30,20\n"
                           "01/01/2700,0,30,20\n")
    assert [(row, column) for row, column, _m in problems] == [
        (2, "date"), (3, "date"), (4, "date"), (5, "date")]
    assert "yesterday" in problems[0][2]
    assert problems[1][2] == "the date is missing"
    assert problems[2][2] == "no such day: 31/02/2553"  # as typed, checked in AD
    assert "implausible date" in problems[3][2]  # 2700 BE = 2157 AD: in the future


def test_excel_dates_and_formulas_are_not_evaluated():
    data = xlsx_bytes([
        ["Date", "Rainfall (mm)", "Tmax", "Tmin"],
        [dt.datetime(2010, 6, 15), 12.5, 33.1, 24.2],
        [dt.date(2010, 6, 16), "=5000*2", "=A1", 24.0],  # formulas: never computed
        [40346, 0, 31.0, 22.0],  # an Excel serial day number: 2010-06-17
    ])
    series = read_series(SimpleUploadedFile("book.xlsx", data), "book.xlsx")
    assert series.dates == [dt.date(2010, 6, 15), dt.date(2010, 6, 16), dt.date(2010, 6, 17)]
    # A formula written without a cached value reads as missing, not as 10000 mm.
    assert series.prcp == [12.5, None, 0.0]
    assert series.tmax == [33.1, None, 31.0]


def test_formula_cached_values_are_read_as_values():
    """A workbook saved by Excel keeps each formula's last value: that value is read."""
    data = xlsx_bytes([["date", "rain", "tmax", "tmin"], ["2010-06-15", "=1+1", 30, 20]])
    # Give the formula cell a cached value, as Excel would: <f>1+1</f><v>2</v>.
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes the empty value as <v />, or <v></v> when lxml is installed.
                content = re.sub(rb"<f>1\+1</f><v ?(/>|></v>)", b"<f>1+1</f><v>2</v>", content)
                assert b"<v>2</v>" in content
            target.writestr(item, content)
    series = read_series(SimpleUploadedFile("b.xlsx", out.getvalue()), "b.xlsx")
    assert series.prcp == [2.0]


# -- columns ------------------------------------------------------------------------------
def test_thai_headers_any_case_spacing_and_order():
    text = "  TMIN , อุณหภูมิสูงสุด (°C), ปริมาณฝน (มม.) ,วันที่, note\n20,30,5.5,01/01/2553,x\n"
    series = read_series(csv_file(text), "x.csv")
    assert (series.dates, series.prcp, series.tmax, series.tmin) == (
        [dt.date(2010, 1, 1)], [5.5], [30.0], [20.0])
    assert series.columns["prcp"] == "ปริมาณฝน (มม.)"


def test_missing_columns_name_what_is_missing_and_found():
    [(row, _column, message)] = problems_of("Date,Rain (mm),Remark\n2010-01-01,1,\n")
    assert row == 1
    assert "Missing columns: Tmax (°C), Tmin (°C)" in message
    assert "“Date” (date)" in message and "“Rain (mm)” (rainfall (mm))" in message


def test_no_header_row_says_what_is_expected():
    [(_row, _column, message)] = problems_of("a,b,c\n1,2,3\n")
    assert "No header row with a date column" in message and "a, b, c" in message


def test_title_lines_above_the_header_are_skipped():
    text = "Station 48303 Chiang Rai\n\n" + HEADER + "2010-01-01,1,30,20\n2010-01-02,x,30,20\n"
    assert problems_of(text) == [(5, "rainfall mm", "not a number: “x”")]


# -- values -------------------------------------------------------------------------------
def test_every_bad_value_is_reported_with_row_and_column():
    text = HEADER + "\n".join([
        "2010-01-01,abc,30,20",  # row 2: text in a numeric column
        "2010-01-02,-3,30,20",  # row 3: negative rainfall
        "2010-01-03,1500,30,20",  # row 4: implausible rainfall
        "2010-01-04,1,55,20",  # row 5: implausible Tmax
        "2010-01-05,1,30,-12",  # row 6: implausible Tmin
        "2010-01-06,1,25,27",  # row 7: Tmin above Tmax
        "2010-01-07,T,30,20",  # row 8: trace rain, fine
        "2010-01-08,,,",  # row 9: a missing day, fine
    ]) + "\n"
    assert problems_of(text) == [
        (2, "rainfall mm", "not a number: “abc”"),
        (3, "rainfall mm", "negative rainfall: -3.0"),
        (4, "rainfall mm", "implausible rainfall: 1500.0 mm in a day (over 1000)"),
        (5, "Tmax", "implausible temperature: 55.0 °C (outside -10 to 50)"),
        (6, "Tmin", "implausible temperature: -12.0 °C (outside -10 to 50)"),
        (7, "Tmin", "Tmin 27.0 is above Tmax 25.0"),
    ]


def test_all_problems_are_kept_and_the_page_shows_fifty():
    text = HEADER + "".join(f"2010-01-{d:02d},-1,30,20\n" for d in range(1, 31)) + "".join(
        f"2010-02-{d:02d},1,30,40\n" for d in range(1, 29))
    with pytest.raises(ImportRefused) as caught:
        read_series(csv_file(text), "x.csv")
    assert len(caught.value.problems) == 58
    assert len(caught.value.shown) == 50 and caught.value.more == 8


def test_gaps_are_allowed_and_summarised(station):
    text = HEADER + "2010-01-01,1,30,20\n2010-01-02,,,\n2010-01-05,2,31,21\n2010-01-06,,30,\n"
    upload = import_series(station, csv_file(text), "gaps.csv", None)
    assert (upload.rows, upload.first_date, upload.last_date) == (
        4, dt.date(2010, 1, 1), dt.date(2010, 1, 6))
    # Missing: the 2nd (blank), 3rd and 4th (absent): a 3-day gap; the 6th has a Tmax.
    assert (upload.missing_days, upload.longest_gap) == (3, 3)
    assert upload.longest_gap_start == dt.date(2010, 1, 2)
    assert upload.summary["years"]["2010"] == {"days": 6, "prcp": 4, "tmax": 3, "tmin": 4}
    assert upload.incomplete_years == []


def test_years_with_too_many_missing_days_are_listed(station):
    upload = import_series(station, synthetic_file(2001, 2012), "s.csv", None)
    assert upload.incomplete_years  # the generator punches a 75-day outage
    for year in upload.incomplete_years:
        row = upload.summary["years"][str(year)]
        assert max(row["prcp"], row["tmax"], row["tmin"]) > 15


# -- the file itself ----------------------------------------------------------------------
def test_empty_and_header_only_files():
    assert problems_of("") == [(None, "", "The file is empty.")]
    assert problems_of(HEADER + "\n,,,\n") == [(None, "", "The file has a header row but no data.")]


@pytest.mark.parametrize("name,content,expected", [
    ("book.csv", xlsx_bytes([["date"]]), "spreadsheet or archive"),
    ("book.xlsx", b"date,rain,tmax,tmin\n", "not an Excel workbook"),
    ("book.xlsx", b"PK\x03\x04 not really a zip", "not an Excel workbook"),
    ("book.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file"),
    ("book.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Old Excel files"),
    ("report.pdf", b"%PDF-1.4", "Upload a CSV or an Excel"),
])
def test_a_file_that_is_not_what_its_name_says(name, content, expected):
    [(_row, _column, message)] = [(p.row, p.column, p.message)
                                  for p in refused(SimpleUploadedFile(name, content), name)]
    assert expected in message


def test_a_zip_without_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    [problem] = refused(SimpleUploadedFile("x.xlsx", out.getvalue()), "x.xlsx")
    assert "not an Excel workbook" in problem.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874", "tis-620"])
def test_thai_encodings(encoding):
    text = "วันที่,ปริมาณฝน,อุณหภูมิสูงสุด,อุณหภูมิต่ำสุด\n15/06/2553,3.2,33,24\n"
    series = read_series(csv_file(text.encode(encoding)), "x.csv")
    assert series.dates == [dt.date(2010, 6, 15)] and series.prcp == [3.2]


def test_undecodable_text_is_refused():
    [problem] = refused(csv_file(b"date,rain,tmax,tmin\n\x81\x82\xdb\xfc,1,2,3\n"), "x.csv")
    assert "neither UTF-8 nor Thai" in problem.message


def test_semicolon_separated_files():
    series = read_series(csv_file("date;rain;tmax;tmin\n2010-01-01;1.5;30;20\n"), "x.csv")
    assert series.prcp == [1.5]


def test_a_huge_file_is_refused_before_it_is_read(settings):
    settings.DATA_UPLOAD_MAX_BYTES = 1000

    class Huge(io.BytesIO):
        size = 50 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("the file was read")

    [problem] = refused(Huge(), "big.csv")
    assert "50.0 MB; the limit is 0.0 MB" in problem.message


# -- saving -------------------------------------------------------------------------------
def test_a_bad_row_saves_nothing(station):
    import_series(station, csv_file(HEADER + "2009-01-01,1,30,20\n"), "first.csv", None)
    before = list(Observation.objects.values_list("date", "prcp_mm"))
    text = HEADER + "2010-01-01,1,30,20\n" * 1 + "2010-01-02,2,30,20\n2010-01-03,oops,30,20\n"
    with pytest.raises(ImportRefused):
        import_series(station, csv_file(text), "bad.csv", None)
    assert list(Observation.objects.values_list("date", "prcp_mm")) == before
    assert SeriesUpload.objects.count() == 1


def test_a_failure_while_saving_rolls_back_rows_and_file(station, monkeypatch):
    from django.core.files.storage import default_storage

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SeriesUpload, "save", broken)
    with pytest.raises(RuntimeError):
        import_series(station, synthetic_file(2001, 2002), "rolled-back.csv", None)
    assert Observation.objects.count() == 0
    folder = f"climate/{station.city.slug}/{station.pk}"
    assert not default_storage.exists(folder) or not any(
        name.startswith("rolled-back") for name in default_storage.listdir(folder)[1])


def test_merge_replaces_days_already_recorded_and_replace_starts_over(station):
    import_series(station, csv_file(HEADER + "2010-01-01,1,30,20\n2010-01-02,2,30,20\n"),
                  "a.csv", None)
    import_series(station, csv_file(HEADER + "2010-01-02,9,31,21\n2010-01-03,3,30,20\n"),
                  "b.csv", None)
    assert list(station.observations.values_list("date__day", "prcp_mm")) == [
        (1, 1.0), (2, 9.0), (3, 3.0)]
    import_series(station, csv_file(HEADER + "2011-05-05,4,30,20\n"), "c.csv", None,
                  mode=SeriesUpload.Mode.REPLACE)
    assert list(station.observations.values_list("date", flat=True)) == [dt.date(2011, 5, 5)]


def test_decades_of_days_are_inserted_in_batches(station):
    upload = synthetic_file(1981, 2024)  # 16,071 days
    with CaptureQueriesContext(connection) as queries:
        saved = import_series(station, upload, "long.csv", None)
    assert saved.rows == 16071 == station.observations.count()
    # Batches (SQLite caps a statement's parameters, so its batches are smaller), not a
    # statement per row.
    assert len(queries) < 200
    assert saved.file.read().startswith("\ufeffวันที่".encode())  # the file kept as uploaded
