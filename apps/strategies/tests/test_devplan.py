"""Development-plan import: all or nothing with every bad row listed; integration shares."""
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.strategies.devplan import PlanImportError, import_plan, parse, read_rows
from apps.strategies.devplan_models import DevPlan, PlanItem
from apps.strategies.models import Intervention

GOOD = [
    ["level", "code", "parent", "title_th", "title_en", "2566", "2567"],
    ["strategy", "S1", "", "โครงสร้างพื้นฐาน", "Infrastructure"],
    ["programme", "P1", "S1", "แผนงานเคหะ", ""],
    ["project", "J1", "P1", "ขุดลอกท่อ", "", "600,000", "400000"],
    ["project", "J2", "P1", "ถนนสายใหม่", "", "3000000", ""],
]


def csv_file(rows, name="plan.csv"):
    text = "\n".join(",".join(f'"{c}"' for c in row) for row in rows)
    return SimpleUploadedFile(name, text.encode("utf-8"))


def xlsx_file(rows, name="plan.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def test_good_csv_imports_with_be_years_as_ce(world, strategy):
    plan = import_plan(world.city, csv_file(GOOD), "แผนพัฒนา", 2023, 2027, None)
    items = {i.code: i for i in plan.items.all()}
    assert items["J1"].parent == items["P1"] and items["P1"].parent == items["S1"]
    assert items["J1"].budget == {"2023": "600000", "2024": "400000"}
    assert items["J1"].total_budget == Decimal("1000000")


def test_broken_file_lists_every_row_and_saves_nothing(world, strategy):
    import_plan(world.city, csv_file(GOOD), "แผนเดิม", 2023, 2027, None)
    bad = [
        ["level", "code", "parent", "title_th", "title_en", "2566", "2590"],
        ["strategy", "S1", "", "ยุทธศาสตร์", ""],
        ["programme", "P1", "S1", "แผนงาน", ""],
        ["project", "J1", "P9", "ไม่มีแผนงานแม่", "", "100", ""],
        ["project", "J2", "P1", "งบไม่ใช่ตัวเลข", "", "หนึ่งแสน", ""],
        ["project", "J2", "P1", "รหัสซ้ำ", "", "5", ""],
        ["task", "X1", "P1", "ระดับผิด", "", "", ""],
    ]
    with pytest.raises(PlanImportError) as error:
        import_plan(world.city, csv_file(bad), "แผนใหม่", 2023, 2027, None)
    problems = {(p.row, p.column) for p in error.value.problems}
    assert (1, "2590") in problems  # year 2047 CE outside 2023-2027
    assert (4, "parent") in problems  # programme P9 does not exist
    assert (5, "2566") in problems  # not a number
    assert (6, "code") in problems  # duplicate
    assert (7, "level") in problems
    reasons = " ".join(p.reason for p in error.value.problems)
    assert "P9" in reasons and "หนึ่งแสน" in reasons
    # The old plan is still there, untouched.
    assert DevPlan.objects.get().title == "แผนเดิม"
    assert PlanItem.objects.count() == 4


def test_xlsx_is_read_without_evaluating_formulas(world, strategy):
    rows = [list(r) for r in GOOD]
    rows[3][5] = "=1+1"  # a formula never computed by a spreadsheet: no cached value
    upload = xlsx_file(rows)
    read = read_rows(upload)
    assert read[3][5] is None  # data_only: the formula text is not run nor kept
    items = parse(read, 2023, 2027)
    assert items[2]["budget"] == {"2024": Decimal("400000")}


def test_a_spreadsheet_named_csv_is_refused_clearly(world, strategy):
    upload = SimpleUploadedFile("plan.xlsx", b"not a zip at all")
    with pytest.raises(PlanImportError):
        read_rows(upload)


def test_integration_share_of_the_plan_budget(world, strategy):
    plan = import_plan(world.city, csv_file(GOOD), "แผนพัฒนา", 2023, 2027, None)
    drains = Intervention.objects.create(strategy=strategy, title_th="ขุดลอก")
    drains.plan_items.add(plan.items.get(code="J1"))
    summary = plan.integration()
    assert summary["total"] == Decimal("4000000")
    assert summary["resilient"] == Decimal("1000000")
    assert summary["share"] == 25
    assert (summary["mapped"], summary["unmapped"]) == (1, 1)


def test_import_page_lists_problems_and_template_downloads(client, world, strategy):
    client.force_login(world.user("coordinator"))
    bad = [GOOD[0], ["project", "J1", "P1", "ไม่มีแผนงาน", "", "x", ""]]
    response = client.post(reverse("strategies:devplan-import", args=[world.city.slug]), {
        "title": "แผน", "first_year": "2566", "last_year": "2570", "file": csv_file(bad)},
        HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "Nothing was imported" in page and "There is no programme with code P1" in page
    assert not DevPlan.objects.exists()
    response = client.post(reverse("strategies:devplan-import", args=[world.city.slug]), {
        "title": "แผน", "first_year": "2566", "last_year": "2570", "file": csv_file(GOOD)})
    assert response.status_code == 302
    page = client.get(reverse("strategies:devplan", args=[world.city.slug])).content.decode()
    assert "ขุดลอกท่อ" in page
    template = client.get(reverse("strategies:devplan-template"))
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]][:4] == ["level", "code", "parent", "title_th"]
