"""Speed of the monitoring values import against PostgreSQL's own COPY of the same rows, in one
run (issue 6's target: ours at least 0.25 x COPY's rows per second). Not a test: it prints a
table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python \
        benchmarks/monitoring_import.py [--rows 1000000]

It migrates the database if needed, makes a scratch network and city (deleted at the end) with
1,000 indicators each disaggregated into 99 districts, 10 quarterly periods, and writes a CSV of
1,000 x 10 x 100 = 1,000,000 valid rows (every district split adds up to its total). Timed, wall
clock (the server's work is in another process), best of `--repeat`:
- ours: the background task's whole job, apps.monitoring.imports.run_import (local copy of the
  stored file, csv parsing, every rule, the COPY stream into monitoring_value with its unique
  index and foreign keys, commit), minus the queue's latency;
- ours, again: the same file imported over the stored values (the replace path: COPY into a
  temporary table, the stored values with the same keys deleted in one statement, INSERT);
- COPY (file): PostgreSQL's COPY ... FROM STDIN (FORMAT csv, HEADER) of the same file into a
  plain table with the file's columns, no constraints or indexes;
- COPY (rows): COPY of the rows as stored (report, indicator, category, number, text, note)
  into a plain table with monitoring_value's columns, no constraints or indexes.
"""
import argparse
import csv
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
SCRATCH = tempfile.mkdtemp(prefix="monitoring-bench-")
os.environ["MEDIA_ROOT"] = SCRATCH

import django  # noqa: E402

django.setup()

from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from apps.monitoring.imports import run_import  # noqa: E402
from apps.monitoring.models import (  # noqa: E402
    Criterion, Indicator, Period, Report, Value, ValueImport,
)
from apps.networks.models import City, Network  # noqa: E402

SEED = 20261129
INDICATORS, PERIODS, DISTRICTS = 1000, 10, 99


def build(city):
    criterion = Criterion.objects.create(city=city, name_th="เกณฑ์", name_en="Criterion")
    districts = [f"d{n:02d}" for n in range(1, DISTRICTS + 1)]
    Indicator.objects.bulk_create(
        Indicator(city=city, criterion=criterion, code=f"IND{n:04d}", name_th=f"ตัวชี้วัด {n}",
                  unit="คน", min_value=0, max_value=10**9,
                  disaggregation={"district": districts})
        for n in range(INDICATORS))
    for q in range(PERIODS):
        year, quarter = 2010 + q // 4, q % 4
        Period.objects.create(city=city, label_th=f"ไตรมาส {quarter + 1}/{year + 543}",
                              label_en=f"Q{quarter + 1} {year}",
                              start=f"{year}-{3 * quarter + 1:02d}-01",
                              end=f"{year}-{3 * quarter + 3:02d}-28")
    return districts


def write_csv(path, districts, limit):
    rng = random.Random(SEED)
    periods = [p.start.isoformat() for p in Period.objects.filter(
        city__slug="bench-monitoring")]
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["indicator", "period", "category", "value", "note"])
        for n in range(INDICATORS):
            for start in periods:
                parts = [rng.randrange(0, 2000) for _ in districts]
                total = sum(parts)
                out.writerow([f"IND{n:04d}", start, "", f"{total:,}", ""])
                for district, part in zip(districts, parts):
                    out.writerow([f"IND{n:04d}", start, f"district:{district}", part, ""])
                rows += len(districts) + 1
                if rows >= limit:
                    return rows
    return rows


def time_ours(city, path):
    with open(path, "rb") as handle:
        job = ValueImport.objects.create(city=city, file=File(handle, name="values.csv"),
                                         filename="values.csv")
    start = time.perf_counter()
    status = run_import(job)
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    if status != ValueImport.Status.DONE:
        raise SystemExit(f"import {status}: {job.errors[:3]}")
    return elapsed, job.rows_saved


def time_copy_file(path):
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute("DROP TABLE IF EXISTS bench_copy_file")
        cursor.execute("CREATE TABLE bench_copy_file (indicator text, period date, "
                       "category text, value text, note text)")
        start = time.perf_counter()
        with cursor.copy("COPY bench_copy_file FROM STDIN (FORMAT csv, HEADER)") as copy:
            with open(path, "rb") as handle:
                while block := handle.read(1 << 20):
                    copy.write(block)
        elapsed = time.perf_counter() - start
        cursor.execute("SELECT count(*) FROM bench_copy_file")
        count = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_copy_file")
    return elapsed, count


def time_copy_rows(city):
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute("DROP TABLE IF EXISTS bench_copy_rows")
        cursor.execute("CREATE TABLE bench_copy_rows (report_id bigint, indicator_id bigint, "
                       "category varchar(100), number numeric(20, 4), text text, note text)")
        # The rows as stored, dumped to text first (not timed).
        buffer = []
        with cursor.copy(
                "COPY (SELECT report_id, indicator_id, category, number, text, note FROM "
                "monitoring_value v JOIN monitoring_report r ON r.id = v.report_id "
                f"WHERE r.city_id = {int(city.pk)}) TO STDOUT") as copy:
            for block in copy:
                buffer.append(bytes(block))
        start = time.perf_counter()
        with cursor.copy("COPY bench_copy_rows FROM STDIN") as copy:
            for block in buffer:
                copy.write(block)
        elapsed = time.perf_counter() - start
        cursor.execute("SELECT count(*) FROM bench_copy_rows")
        count = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_copy_rows")
    return elapsed, count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=INDICATORS * PERIODS * (DISTRICTS + 1))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run against PostgreSQL (DATABASE_URL=postgres://...).")
    call_command("migrate", verbosity=0, skip_checks=True)
    cleanup()
    network = Network.objects.create(slug="bench-monitoring", name_th="ทดสอบ", name_en="Bench")
    city = City.objects.create(network=network, slug="bench-monitoring", name_th="ทดสอบ",
                               name_en="Bench", country="TH")
    try:
        districts = build(city)
        path = os.path.join(SCRATCH, "values.csv")
        rows = write_csv(path, districts, args.rows)
        size = os.path.getsize(path) / 1e6
        ours, copy_file, again = [], [], []
        for _ in range(args.repeat):
            clear_values("bench-monitoring")
            ours.append(time_ours(city, path)[0])
            copy_file.append(time_copy_file(path)[0])
        again.append(time_ours(city, path)[0])
        copy_rows = min(time_copy_rows(city)[0] for _ in range(args.repeat))
        stored = Value.objects.filter(report__city=city).count()
        assert stored == rows, (stored, rows)
        best, best_file, best_again = min(ours), min(copy_file), min(again)
        print(f"rows: {rows:,} ({size:.1f} MB CSV), best of {args.repeat}, wall clock\n")
        print(f"{'':34} {'seconds':>8} {'rows/s':>12} {'vs COPY (file)':>15}")
        for name, seconds in (("ours: import (new values)", best),
                              ("ours: import again (replace)", best_again),
                              ("PostgreSQL COPY (file, plain)", best_file),
                              ("PostgreSQL COPY (rows, plain)", copy_rows)):
            print(f"{name:34} {seconds:8.2f} {rows / seconds:12,.0f} "
                  f"{best_file / seconds:15.2f}")
        print(f"\nratio ours / COPY (file) = {best_file / best:.2f} (target >= 0.25); "
              f"ours / COPY (rows) = {copy_rows / best:.2f}")
    finally:
        cleanup()
        shutil.rmtree(SCRATCH, ignore_errors=True)  # the CSV and the stored uploads


def clear_values(slug):
    """Delete the scratch city's values and reports, then VACUUM: the foreign-key check of each
    deleted indicator scans monitoring_value (indicator_id has no index of its own), and over
    millions of dead rows the cleanup took five minutes."""
    Value.objects.filter(report__city__slug=slug).delete()
    Report.objects.filter(city__slug=slug).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM monitoring_value")


def cleanup():
    clear_values("bench-monitoring")
    ValueImport.objects.filter(city__slug="bench-monitoring").delete()
    Indicator.objects.filter(city__slug="bench-monitoring").delete()
    City.objects.filter(slug="bench-monitoring").delete()
    Network.objects.filter(slug="bench-monitoring").delete()


if __name__ == "__main__":
    main()
