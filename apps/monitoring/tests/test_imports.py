"""Bulk import: all or nothing, bad rows listed with their column, XLSX formulas not evaluated,
values replaced on a second import, and the background task's record."""
import csv
import io
import os
import sys
import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from apps.core.testing import make_world
from apps.monitoring.imports import Importer, Refused, run_import
from apps.monitoring.models import Report, Value, ValueImport
from apps.monitoring.rules import translate_error
from apps.monitoring.tests.factories import make_framework

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def setup():
    world = make_world()
    return world, make_framework(world.city)


def write_csv(tmp_path, rows, name="values.csv"):
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["indicator", "period", "category", "value", "note"])
        out.writerows(rows)
    return str(path)


def test_one_bad_row_among_2000_saves_nothing_and_is_listed(setup, tmp_path):
    world, fw = setup
    # 2,000 rows: unique keys need many reports, so spread over indicators made here.
    from apps.monitoring.models import Indicator

    Indicator.objects.bulk_create(
        Indicator(city=world.city, criterion=fw["criterion"], code=f"X{n}", name_th=f"ตัวชี้วัด {n}",
                  max_value=1000) for n in range(1000))
    rows = [[f"X{n}", period, "", str(n % 900), ""]
            for n in range(1000) for period in ("2010-01-01", "ไตรมาส 2")]
    rows[1234][3] = "12a"
    path = write_csv(tmp_path, rows)
    with pytest.raises(Refused) as refused:
        Importer(world.city).run(path, "csv")
    errors = refused.value.args[0]
    assert [(e["row"], e["column"]) for e in errors] == [(1236, "value")]
    with translation.override("en"):
        assert "“12a” is not a number" in translate_error(errors[0])["text"]
    with translation.override("th"):  # the reader's language, the column as the header says
        listed = translate_error(errors[0])
        assert listed["text"] == "“12a” ไม่ใช่ตัวเลข (เขียนเช่น 1,234.5)"
        assert listed["column_label"] == "ค่า"
    assert not Value.objects.exists() and not Report.objects.exists()
    rows[1234][3] = "12"
    saved = Importer(world.city).run(write_csv(tmp_path, rows), "csv")
    assert saved == 2000 and Value.objects.count() == 2000
    assert Report.objects.filter(city=world.city).count() == 2


def test_every_kind_of_bad_row_is_listed(setup, tmp_path):
    world, fw = setup
    rows = [
        ["NOPE", "2010-01-01", "", "1", ""],           # 2 unknown indicator
        ["RAIN", "2031-01-01", "", "1", ""],           # 3 unknown period
        ["HH", "2010-01-01", "", "-5", ""],            # 4 below range
        ["HH", "2010-01-01", "age:old", "1", ""],      # 5 unknown category
        ["RAIN", "2010-01-01", "", "1", ""],           # 6 fine
        ["RAIN", "2010-01-01", "", "2", ""],           # 7 twice
        ["HH", "ไตรมาส 2", "", "10", ""],              # 8 total ...
        ["HH", "ไตรมาส 2", "gender:women", "3", ""],   # 9 ... does not add up
    ]
    with pytest.raises(Refused) as refused:
        Importer(world.city).run(write_csv(tmp_path, rows), "csv")
    found = {(e["row"], e["column"]) for e in refused.value.args[0]}
    assert found == {(2, "indicator"), (3, "period"), (4, "value"), (5, "category"),
                     (7, "category"), (8, "value")}
    assert not Value.objects.exists()


def test_closed_reports_refuse_rows(setup, tmp_path):
    world, fw = setup
    report = Report.objects.create(city=world.city, period=fw["q1"])
    report.submit(world.user("coordinator"))
    with pytest.raises(Refused) as refused:
        Importer(world.city).run(write_csv(tmp_path, [["RAIN", "Q1", "", "1", ""]]), "csv")
    assert refused.value.args[0][0]["column"] == "period"


def test_second_import_replaces_values(setup, tmp_path):
    world, fw = setup
    Importer(world.city).run(write_csv(tmp_path, [["RAIN", "Q1", "", "1", ""]]), "csv")
    Importer(world.city).run(write_csv(tmp_path, [["RAIN", "Q1", "", "7", "แก้"],
                                                  ["STORY", "Q1", "", "ดี", ""]]), "csv")
    assert Value.objects.get(indicator=fw["rain"]).number == 7
    assert Value.objects.count() == 2


def test_xlsx_formula_cell_is_read_as_its_cached_value_not_evaluated(setup, tmp_path):
    from openpyxl import Workbook

    world, fw = setup
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "period", "category", "value", "note"])
    sheet.append(["RAIN", "Q1", None, "=1+1", None])
    path = tmp_path / "values.xlsx"
    book.save(path)
    # openpyxl writes no cached result: a formula never calculated reads as empty.
    with pytest.raises(Refused) as refused:
        Importer(world.city).run(str(path), "xlsx")
    assert refused.value.args[0][0]["column"] == "value"
    # A workbook saved by a spreadsheet program carries the cached result: it is used.
    cached = _with_cached_value(path, "=1+1", "2")
    Importer(world.city).run(str(cached), "xlsx")
    assert Value.objects.get(indicator=fw["rain"]).number == Decimal(2)


def _with_cached_value(path, formula, value):
    """Rewrite the sheet XML so the formula cell carries a cached value, as Excel saves it."""
    import zipfile

    out = path.with_name("cached.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<f>")
                end = text.index("</c>", start)
                text = text[:start] + f"<f>{formula[1:]}</f><v>{value}</v>" + text[end:]
                data = text.encode()
            target.writestr(item, data)
    return out


def test_background_job_records_refusal_and_success(setup, tmp_path):
    world, fw = setup
    bad = io.BytesIO(b"indicator,period,value\nRAIN,Q1,abc\n")
    job = ValueImport.objects.create(
        city=world.city, filename="v.csv",
        file=SimpleUploadedFile("v.csv", bad.getvalue()), rows_total=1)
    assert run_import(job) == ValueImport.Status.REFUSED
    job.refresh_from_db()
    assert job.error_count == 1 and job.errors[0]["row"] == 2 and job.progress == 100
    good = ValueImport.objects.create(
        city=world.city, filename="v.csv",
        file=SimpleUploadedFile("v.csv", b"indicator,period,value\nRAIN,Q1,\"1,234\"\n"))
    assert run_import(good) == ValueImport.Status.DONE
    assert Value.objects.get().number == Decimal(1234)


def test_clean_csv_is_checked_column_wise_with_the_same_rules(setup, tmp_path, monkeypatch):
    world, fw = setup
    monkeypatch.setattr(Importer, "_stream", lambda *args: pytest.fail("went row by row"))
    rows = [["HH", "Q1", "", "1,234", ""], ["HH", "Q1", "gender:women", "1,000", ""],
            ["HH", "Q1", "gender:men", "234", ""], ["RAIN", "2010-01-01", "", "-0.25", ""],
            ["STORY", "Q1", "", "ชุมชน, \"ธงเตือนภัย\"", "จากเวที"]]
    assert Importer(world.city).run(write_csv(tmp_path, rows), "csv") == 5
    stored = {(v.indicator.code, v.category): (v.number, v.text, v.note)
              for v in Value.objects.select_related("indicator")}
    assert stored[("HH", "")][0] == Decimal(1234)
    assert stored[("RAIN", "")][0] == Decimal("-0.25")
    assert stored[("STORY", "")] == (None, 'ชุมชน, "ธงเตือนภัย"', "จากเวที")
    assert Report.objects.count() == 1  # Q1 only: the report made for Q2 is not kept


def test_a_value_given_twice_under_two_names_of_its_period_is_listed(setup, tmp_path):
    # The date and the label name the same report: the second row is a duplicate, listed
    # (not a database error at save time).
    world, fw = setup
    rows = [["RAIN", "2010-01-01", "", "1", ""], ["RAIN", "Q1", "", "2", ""]]
    with pytest.raises(Refused) as refused:
        Importer(world.city).run(write_csv(tmp_path, rows), "csv")
    assert [(e["row"], e["column"]) for e in refused.value.args[0]] == [(3, "category")]
    assert not Value.objects.exists()


@pytest.mark.parametrize("bad, column", [
    ("1,2,3", "value"),      # reads as a number once its commas go: only the pattern refuses
    ("2.00001", "value"),    # a fifth decimal
    ("100001", "value"),     # above the plausible range
])
def test_a_bad_row_found_while_the_rows_are_written_saves_nothing(setup, tmp_path, bad, column):
    """The column-wise path starts writing before its last checks (pattern, range, sums)
    end: a row those checks refuse rolls everything back and is listed, and the connection
    is fine for the corrected file."""
    world, fw = setup
    rows = [["HH", "Q1", "", "30", ""], ["HH", "Q1", "gender:women", "10", ""],
            ["HH", "Q1", "gender:men", "20", ""], ["RAIN", "Q1", "", "1", ""],
            ["RAIN", "Q2", "", "2", ""], ["HH", "Q2", "", "5", ""]]
    rows[5][3] = bad
    with pytest.raises(Refused) as refused:
        Importer(world.city).run(write_csv(tmp_path, rows), "csv")
    assert [(e["row"], e["column"]) for e in refused.value.args[0]] == [(7, column)]
    assert not Value.objects.exists() and not Report.objects.exists()
    rows[5][3] = "5"
    assert Importer(world.city).run(write_csv(tmp_path, rows), "csv") == 6
    assert Value.objects.get(indicator=fw["people"], category="gender:men").number == 20


def test_a_disaggregation_not_adding_up_is_listed_by_the_column_wise_path_too(setup, tmp_path):
    world, fw = setup
    rows = [["HH", "Q1", "", "30", ""], ["HH", "Q1", "gender:women", "10", ""],
            ["HH", "Q1", "gender:men", "21", ""]]
    with pytest.raises(Refused) as refused:
        Importer(world.city).run(write_csv(tmp_path, rows), "csv")
    assert [(e["row"], e["column"]) for e in refused.value.args[0]] == [(2, "value")]
    assert not Value.objects.exists()


def test_numbers_are_stored_as_written(setup, tmp_path, monkeypatch):
    # The column-wise path hands PostgreSQL the number's text without its commas: the
    # stored value is the one the rules read.
    world, fw = setup
    monkeypatch.setattr(Importer, "_stream", lambda *args: pytest.fail("went row by row"))
    rows = [["HH", "Q1", "", "+1,000.5", ""], ["HH", "Q1", "gender:women", "0999.5", ""],
            ["HH", "Q1", "gender:men", "1", ""], ["RAIN", "Q1", "", "-0.0001", ""],
            ["HH", "Q2", "", "99,999.9999", ""]]
    assert Importer(world.city).run(write_csv(tmp_path, rows), "csv") == 5
    stored = {(v.indicator.code, v.category, v.report.period.label_en): v.number
              for v in Value.objects.select_related("indicator", "report__period")}
    assert stored == {("HH", "", "Q1"): Decimal("1000.5"),
                      ("HH", "gender:women", "Q1"): Decimal("999.5"),
                      ("HH", "gender:men", "Q1"): Decimal(1),
                      ("RAIN", "", "Q1"): Decimal("-0.0001"),
                      ("HH", "", "Q2"): Decimal("99999.9999")}


def test_reports_made_for_periods_without_rows_are_dropped_row_by_row_too(
        setup, tmp_path, monkeypatch):
    # On PostgreSQL the row-by-row path makes a report for every open period before it
    # streams; the ones no row went into must not stay behind as empty drafts.
    world, fw = setup
    monkeypatch.setattr("apps.monitoring.fastcheck.read", lambda *args: None)
    rows = [["HH", "Q2", "", "30", ""], ["HH", "Q2", "gender:women", "10", ""],
            ["HH", "Q2", "gender:men", "20", ""]]
    assert Importer(world.city).run(write_csv(tmp_path, rows), "csv") == 3
    assert [r.period.label_en for r in Report.objects.select_related("period")] == ["Q2"]


def test_a_file_in_storage_without_local_paths_is_copied_and_imported(setup, monkeypatch):
    # Object storage (S3) has no local path: the worker copies the file to read it.
    from django.core.files.storage import InMemoryStorage
    from django.db.models.fields.files import FieldFile

    def no_path(self):
        raise NotImplementedError("no local paths, as on S3")

    world, fw = setup
    monkeypatch.setattr(ValueImport._meta.get_field("file"), "storage", InMemoryStorage())
    monkeypatch.setattr(FieldFile, "path", property(no_path))
    job = ValueImport.objects.create(
        city=world.city, filename="v.csv",
        file=SimpleUploadedFile("v.csv", b"indicator,period,value\nRAIN,Q1,12.5\n"))
    assert run_import(job) == ValueImport.Status.DONE
    assert Value.objects.get().number == Decimal("12.5")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread nice values are Linux's")
def test_checks_beside_the_copy_run_at_lower_priority_and_raise_in_the_caller():
    # They share two cores with the database server, which does most of the import's work.
    from apps.monitoring.imports import _gently

    def own_nice():
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = own_nice()
    assert _gently(own_nice) == min(19, before + 10)
    assert own_nice() == before  # the caller's thread keeps its priority
    with pytest.raises(ZeroDivisionError):
        _gently(lambda: 1 / 0)
