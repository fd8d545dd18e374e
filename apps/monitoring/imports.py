"""Bulk import of reported values from CSV or XLSX: all or nothing, fast.

Columns (header row, English or Thai names, any order): indicator code, period (its start date,
ISO 2010-01-01, or its label), category ("" for the total, else "dimension:category"), value,
note. Rows go into the city's (or, with `pilot`, the pilot's) report of each period; a report
missing for a period is created as a draft. Every row is checked with apps.monitoring.rules
(the entry form's rules) plus: known indicator of this report, known period whose report
still takes values, no row twice. Any bad row refuses the whole file: every bad row is listed
(row number, column, reason) and nothing is saved.

A value already stored for the same (report, indicator, category) is REPLACED by the file's
(number, text and note), so a corrected file can be imported again.

Speed (benchmarks/monitoring_import.py): a clean CSV is checked column-wise with Arrow
(apps.monitoring.fastcheck, the same rules); on PostgreSQL its rows, sorted in primary-key
order, stream from a second thread into `COPY monitoring_value FROM STDIN` inside the import's
transaction while the checks the rows do not depend on still run (in a thread of lower CPU
priority, so the database server keeps a core to itself), and a failed check stops the stream
and rolls it back. Any doubt goes row by row: rows are read with the csv module (XLSX:
openpyxl read_only, data_only: a formula cell gives its cached value, never evaluated), looked
up in dicts and checked in plain Python in chunks; on PostgreSQL they stream into the same COPY
while the next chunk is checked; the first bad row stops the writing (the rest is still checked
to list every bad row) and the transaction is rolled back. When the reports already hold
values, rows are copied into a temporary table, the stored values with the same keys deleted in
one statement and the rows inserted. Progress goes through a second connection (the import's
own transaction is not visible until it commits). Elsewhere (SQLite) rows are checked first and
written with bulk_create in one transaction.
"""
import contextlib
import csv
import datetime as dt
import os
import shutil
import sys
import tempfile
import threading
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from apps.monitoring import fastcheck  # noqa: F401  (Arrow loaded with the worker)
from apps.monitoring.models import Indicator, Period, Report, Value, ValueImport
from apps.monitoring.rules import ValueChecker

CHUNK = 20_000
MAX_LISTED = 1000
COLUMNS = {
    "indicator": ("indicator", "indicator code", "code", "ตัวชี้วัด", "รหัสตัวชี้วัด", "รหัส"),
    "period": ("period", "งวด", "ช่วงเวลา"),
    "category": ("category", "หมวด", "กลุ่ม"),
    "value": ("value", "ค่า"),
    "note": ("note", "หมายเหตุ"),
}
REQUIRED = ("indicator", "period", "value")
COPY_SQL = {  # (table, CSV format): the statement, written out (no SQL built from strings)
    ("monitoring_value", False): "COPY monitoring_value (report_id, indicator_id, category, "
                                 "number, text, note) FROM STDIN",
    ("monitoring_value", True): "COPY monitoring_value (report_id, indicator_id, category, "
                                "number, text, note) FROM STDIN (FORMAT csv)",
    ("monitoring_value_in", False): "COPY monitoring_value_in (report_id, indicator_id, "
                                    "category, number, text, note) FROM STDIN",
    ("monitoring_value_in", True): "COPY monitoring_value_in (report_id, indicator_id, "
                                   "category, number, text, note) FROM STDIN (FORMAT csv)",
}

MSG_NO_COLUMN = gettext_noop("The header has no “%(column)s” column.")
MSG_UNKNOWN_INDICATOR = gettext_noop("No indicator with code “%(code)s” in this city.")
MSG_OTHER_REPORT = gettext_noop("Indicator “%(code)s” is reported in another report "
                                "(city-wide or another pilot).")
MSG_UNKNOWN_PERIOD = gettext_noop("No reporting period starts on or is called “%(period)s”.")
MSG_CLOSED = gettext_noop(
    "The report of %(period)s takes no more values (submitted, approved or locked).")
MSG_TWICE = gettext_noop("The same indicator, period and category are also in row %(row)s.")
MSG_UNREADABLE = gettext_noop("The file could not be read as %(kind)s.")
MSG_EMPTY_FILE = gettext_noop("The file has no rows.")


class Refused(Exception):
    pass


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if isinstance(value, (int, float)) else str(value).strip()


def _text(value):
    return value.strip() if isinstance(value, str) else str(value)


def _strings(rows, value_index):
    """XLSX rows as the CSV reader gives them: texts, but the value cell keeps its number."""
    for row in rows:
        yield [_cell(c) if i == value_index else _text(_cell(c)) for i, c in enumerate(row)]


def read_rows(path, kind):
    """(header, iterator of rows) from a CSV (UTF-8, BOM allowed) or XLSX file."""
    if kind == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        return ([_cell(c) for c in header] if header else None, rows, book.close)
    handle = open(path, encoding="utf-8-sig", newline="")
    rows = csv.reader(handle)
    return next(rows, None), rows, handle.close


def locate(header):
    """{column: index} from a header row, or raise Refused with the missing column."""
    names = [str(h).strip().lower() for h in header]
    found = {}
    for column, aliases in COLUMNS.items():
        for index, name in enumerate(names):
            if name in aliases:
                found[column] = index
                break
    for column in REQUIRED:
        if column not in found:
            raise Refused([{"row": 1, "column": column, "message": MSG_NO_COLUMN,
                            "params": {"column": column}}])
    return found


def _escape(text):
    """A text field of COPY's text format."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))
    return text


def skip_row_checks(cursor, city_id, report_ids):
    """Replace the foreign-key checks PostgreSQL makes row by row (two per value: half the
    import's time) with one lock of the parent rows: the indicators of the city and the
    reports of the import, held FOR KEY SHARE until commit, as each row's check would hold
    them, so none can be deleted under the import. The rows themselves only name ids taken from
    these (checked in Python). Needs the right to set session_replication_role (a superuser,
    or GRANT SET ON PARAMETER on PostgreSQL 15+); without it the row checks stay. Returns
    whether they were skipped."""
    cursor.execute("SELECT id FROM monitoring_indicator WHERE city_id = %s FOR KEY SHARE",
                   [city_id])
    cursor.execute("SELECT id FROM monitoring_report WHERE id = ANY(%s) FOR KEY SHARE",
                   [report_ids])
    cursor.execute("SAVEPOINT monitoring_fast")
    try:
        cursor.execute("SET LOCAL session_replication_role = replica")
    except Exception:  # noqa: BLE001 - not allowed: keep the row checks
        cursor.execute("ROLLBACK TO SAVEPOINT monitoring_fast")
        return False
    cursor.execute("RELEASE SAVEPOINT monitoring_fast")
    return True


class CopySink:
    """Streams checked rows into PostgreSQL through COPY inside the open transaction."""

    def __init__(self, cursor, merge, csv_format=False):
        self.cursor, self.merge = cursor, merge
        table = "monitoring_value"
        if merge:
            cursor.execute("CREATE TEMPORARY TABLE monitoring_value_in ON COMMIT DROP AS "
                           "SELECT report_id, indicator_id, category, number, text, note "
                           "FROM monitoring_value WITH NO DATA")
            table = "monitoring_value_in"
        self._copy_cm = cursor.copy(COPY_SQL[(table, csv_format)])
        self.copy = self._copy_cm.__enter__()

    def write(self, lines):
        self.copy.write(lines if isinstance(lines, bytes) else "".join(lines))

    def abort(self):
        try:
            self._copy_cm.__exit__(Refused, Refused(), None)
        except Exception as error:  # noqa: BLE001 - abandoned: the transaction rolls back
            self.abandoned = error

    def finish(self):
        self._copy_cm.__exit__(None, None, None)
        if self.merge:
            # Replaced by key: the stored values the file gives again are deleted in one join,
            # then every row is inserted. A third less time than INSERT ... ON CONFLICT DO
            # UPDATE, which probes and updates row by row (benchmarks/monitoring_import.py).
            # The file has no key twice (checked before this point).
            self.cursor.execute("ANALYZE monitoring_value_in")
            self.cursor.execute(
                "DELETE FROM monitoring_value v USING monitoring_value_in n "
                "WHERE v.report_id = n.report_id AND v.indicator_id = n.indicator_id "
                "AND v.category = n.category")
            self.cursor.execute(
                "INSERT INTO monitoring_value (report_id, indicator_id, category, number, text, "
                "note) SELECT report_id, indicator_id, category, number, text, note "
                "FROM monitoring_value_in")


class _Writer(threading.Thread):
    """Feeds an Arrow table to a CopySink as CSV batches, off the main thread (the only user of
    the connection until `stop`). Progress counts the second half of the bar; `error` keeps
    what stopped it (the caller decides whether a failed check or the error is the answer)."""

    def __init__(self, sink, rows, progress):
        super().__init__(name="monitoring-import-copy", daemon=True)
        self.sink, self.rows, self.progress = sink, rows, progress
        self.error = None
        self._stopping = threading.Event()

    def run(self):
        from apps.monitoring import fastcheck

        done = self.rows.num_rows // 2
        try:
            for count, data in fastcheck.csv_batches(self.rows, CHUNK * 5):
                if self._stopping.is_set():
                    return
                self.sink.write(data)
                done += count // 2
                self.progress(done)
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            self.error = error

    def stop(self, wait_for_all=False):
        """Wait until the stream ends: all of it, or (a check failed) after the batch it is
        writing."""
        if not wait_for_all:
            self._stopping.set()
        self.join()


def _gently(work):
    """Run `work` in a thread of lower CPU priority (Linux: a thread has its own nice value)
    and wait for it: the checks that run beside the COPY then leave the database server its
    core, and they still end long before it does. Anywhere else it simply runs here."""
    if not sys.platform.startswith("linux"):  # elsewhere a thread id is no process id
        return work()
    outcome = {}

    def run():
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except OSError:
            pass
        try:
            outcome["result"] = work()
        except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="monitoring-import-checks", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


class Progress:
    """Writes rows_done outside the import's transaction (PostgreSQL: a second connection)."""

    def __init__(self, job):
        self.job = job
        self.other = connection.copy() if connection.vendor == "postgresql" else None
        if self.other is not None:
            self.other.inc_thread_sharing()  # called from the COPY feeding thread too

    def __call__(self, done, total=None):
        if self.job.pk is None:
            return
        if self.other is None:
            ValueImport.objects.filter(pk=self.job.pk).update(rows_done=done)
            return
        with self.other.cursor() as cursor:
            cursor.execute("UPDATE monitoring_valueimport SET rows_done = %s WHERE id = %s",
                           [done, self.job.pk])

    def close(self):
        if self.other is not None:
            self.other.close()
            self.other.dec_thread_sharing()


class Importer:
    def __init__(self, city, pilot=None, progress=None):
        self.city, self.pilot = city, pilot
        self.progress = progress or (lambda done: None)
        self.errors = []
        self.error_count = 0
        self.saved = 0

    def error(self, row, column, message, params=None):
        self.error_count += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append({"row": row, "column": column, "message": message,
                                "params": params or {}})

    def run(self, path, kind):
        """Import the file; returns the number of rows saved or raises Refused(errors)."""
        try:
            header, rows, close = read_rows(path, kind)
        except Exception:  # noqa: BLE001 - any parse failure of an uploaded file is the file's
            raise Refused([{"row": 0, "column": "", "message": MSG_UNREADABLE,
                            "params": {"kind": kind.upper()}}]) from None
        try:
            if header is None:
                raise Refused([{"row": 0, "column": "", "message": MSG_EMPTY_FILE,
                                "params": {}}])
            at = locate(header)
            if kind == "csv" and self._fast(path, header, at):
                return self.saved
            if kind == "xlsx":
                rows = _strings(rows, at["value"])
            if connection.vendor == "postgresql":
                with transaction.atomic():
                    self._stream(rows, at)
            else:
                self._stream(rows, at)
        finally:
            close()
        return self.saved

    def _fast(self, path, header, at):
        """The vectorised path (apps.monitoring.fastcheck) for a clean CSV: True when it saved
        the file, False to go row by row (which lists the problems)."""
        from apps.monitoring import fastcheck

        table = fastcheck.read(path, header)
        if table is None:
            return False
        try:
            with transaction.atomic():
                indicators, periods, reports = self._load()
                pilot_id = self.pilot.pk if self.pilot else None
                created = self._open_reports(periods, reports)
                keys = {key: (reports[p.id].pk if p.id in reports and reports[p.id].is_open()
                              else None) for key, p in periods.items()}
                rows, rest = fastcheck.check(table, at, [i for i in indicators.values()
                                                         if i.pilot_id == pilot_id], keys)
                self.progress(rows.num_rows // 2)
                self._write_table(rows, rest, [r.pk for r in reports.values()])
                _drop_unused(created, rows.report_ids())
        except fastcheck.NotClean:
            return False
        self.saved = rows.num_rows
        return True

    def _open_reports(self, periods, reports):
        """Make the missing reports of every unlocked period (the caller's transaction drops
        the unused ones); returns their ids."""
        created = []
        for period in {p.id: p for p in periods.values()}.values():
            if period.id not in reports and not period.locked:
                reports[period.id] = Report.objects.create(city=self.city, pilot=self.pilot,
                                                           period=period)
                created.append(reports[period.id].pk)
        return created

    def _write_table(self, rows, rest, report_ids):
        """Store the rows once `rest()` (the checks they do not depend on) has passed. On
        PostgreSQL they stream into COPY from a second thread while `rest()` runs: the server
        maintains the primary key (most of the import's time) while Arrow checks; a NotClean
        stops the stream and the caller's transaction rolls the rows back."""
        merge = Value.objects.filter(report__in=report_ids).exists()
        if connection.vendor != "postgresql":
            from apps.monitoring import fastcheck

            rest()
            values = [Value(**row) for row in fastcheck.numbers(rows.table()).to_pylist()]
            if merge:
                keys = {(v.report_id, v.indicator_id, v.category) for v in values}
                for key in keys & set(Value.objects.filter(report__in=report_ids).values_list(
                        "report_id", "indicator_id", "category")):
                    Value.objects.filter(report_id=key[0], indicator_id=key[1],
                                         category=key[2]).delete()
            Value.objects.bulk_create(values, batch_size=2000)
            return
        cursor = connection.cursor().cursor
        checks_skipped = skip_row_checks(cursor, self.city.pk, report_ids)
        sink = CopySink(cursor, merge, csv_format=True)
        writer = _Writer(sink, rows, self.progress)
        writer.start()
        try:
            _gently(rest)
        except BaseException:
            writer.stop()
            sink.abort()
            raise
        writer.stop(wait_for_all=True)
        if writer.error is not None:
            sink.abort()
            raise writer.error
        sink.finish()
        if checks_skipped:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")

    def _load(self):
        indicators = {i.code: i for i in Indicator.objects.filter(city=self.city)}
        periods = {}
        for period in Period.objects.filter(city=self.city):
            for key in (period.start.isoformat(), period.label_th, period.label_en):
                if key:
                    periods.setdefault(key, period)
        reports = {r.period_id: r for r in Report.objects.filter(
            city=self.city, pilot=self.pilot).select_related("period")}
        return indicators, periods, reports

    def _stream(self, rows, at):
        indicators, periods, reports = self._load()
        pilot_id = self.pilot.pk if self.pilot else None
        checker = ValueChecker(i for i in indicators.values() if i.pilot_id == pilot_id)
        streaming = connection.vendor == "postgresql"
        created = []
        if streaming:
            # Reports for every open period up front: the COPY stream cannot pause for an
            # INSERT. The ones that get no rows are deleted again at the end.
            created = self._open_reports(periods, reports)
            merge = Value.objects.filter(report__in=[r.pk for r in reports.values()]).exists()
            cursor = connection.cursor().cursor  # the psycopg cursor under Django's wrapper
            checks_skipped = skip_row_checks(cursor, self.city.pk,
                                             [r.pk for r in reports.values()])
            sink = CopySink(cursor, merge)
        else:
            kept = []
        i_ind, i_per, i_val = at["indicator"], at["period"], at["value"]
        i_cat, i_note = at.get("category"), at.get("note")
        width = max(at.values()) + 1
        seen = {}
        open_report = {}  # period pk -> report id, or None when the report is closed
        rowno = 1
        done = 0
        check = checker.check
        try:
            while True:
                chunk = list(islice(rows, CHUNK))
                if not chunk:
                    break
                lines = []
                for row in chunk:
                    rowno += 1
                    if len(row) < width:
                        if not any(row):
                            continue
                        row = list(row) + [""] * (width - len(row))
                    code = row[i_ind].strip()
                    indicator = indicators.get(code)
                    if indicator is None:
                        if not any(row):
                            continue
                        self.error(rowno, "indicator", MSG_UNKNOWN_INDICATOR, {"code": code[:50]})
                        continue
                    if indicator.pilot_id != pilot_id:
                        self.error(rowno, "indicator", MSG_OTHER_REPORT, {"code": code})
                        continue
                    label = row[i_per].strip()
                    period = periods.get(label)
                    if period is None:
                        self.error(rowno, "period", MSG_UNKNOWN_PERIOD, {"period": label[:50]})
                        continue
                    report_id = open_report.get(period.id, 0)
                    if report_id == 0:
                        report = reports.get(period.id)
                        if report is None:
                            report_id = -period.id  # made when saving (not streaming)
                        elif report.is_open():
                            report_id = report.pk
                        else:
                            report_id = None
                        open_report[period.id] = report_id
                    if report_id is None:
                        self.error(rowno, "period", MSG_CLOSED, {"period": period.label})
                        continue
                    category = row[i_cat].strip() if i_cat is not None else ""
                    note = row[i_note].strip() if i_note is not None else ""
                    key = (report_id, indicator.id, category)
                    first = seen.setdefault(key, rowno)
                    if first != rowno:
                        self.error(rowno, "category", MSG_TWICE, {"row": first})
                        continue
                    number, text, error = check(indicator, category, row[i_val], note,
                                                report_id, rowno)
                    if error is not None:
                        self.error(rowno, *error)
                        continue
                    if self.error_count:
                        continue  # refused already: check the rest, write nothing
                    if streaming:
                        number = "\\N" if number is None else str(number)
                        extra = category + text + note
                        if "\\" in extra or "\t" in extra or "\n" in extra or "\r" in extra:
                            category, text, note = _escape(category), _escape(text), _escape(note)
                        lines.append(f"{report_id}\t{indicator.id}\t{category}\t{number}\t"
                                     f"{text}\t{note}\n")
                    else:
                        kept.append((report_id, indicator.id, category, number, text, note))
                if streaming and lines and not self.error_count:
                    sink.write(lines)
                done += len(chunk)
                self.progress(done)
            for _report, _indicator, row, error in checker.sum_errors():
                self.error(row or 0, *error)
            if self.error_count:
                self.errors.sort(key=lambda e: e["row"])
                raise Refused(self.errors)
            if streaming:
                sink.finish()
                if checks_skipped:
                    cursor.execute("SET LOCAL session_replication_role = DEFAULT")
                self.saved = len(seen)
                _drop_unused(created, {key[0] for key in seen})
            else:
                self._save(kept, reports, periods)
        except BaseException:
            if streaming:
                sink.abort()
            raise

    def _save(self, kept, reports, periods):
        """The SQLite path: one transaction; missing reports made, existing values replaced."""
        by_pk = {p.pk: p for p in periods.values()}
        with transaction.atomic():
            ids = {}
            for report_id, *_rest in kept:
                if report_id < 0 and report_id not in ids:
                    ids[report_id] = Report.objects.create(
                        city=self.city, pilot=self.pilot, period=by_pk[-report_id]).pk
            values = [Value(report_id=ids.get(r, r), indicator_id=i, category=c, number=n,
                            text=t, note=note) for r, i, c, n, t, note in kept]
            touched = {v.report_id for v in values}
            existing = set(Value.objects.filter(report_id__in=touched).values_list(
                "report_id", "indicator_id", "category"))
            replace = [v for v in values if (v.report_id, v.indicator_id, v.category) in existing]
            for value in replace:  # rare (a file imported again): row by row is fine
                Value.objects.filter(report_id=value.report_id, indicator_id=value.indicator_id,
                                     category=value.category).delete()
            Value.objects.bulk_create(values, batch_size=2000)
            self.saved = len(values)


def _drop_unused(created, used):
    """Delete the reports made up front that got no row. Told from the ids the rows used, not
    with a join on monitoring_value: over a million fresh rows that join took half a second."""
    unused = [pk for pk in created if pk not in used]
    if unused:
        Report.objects.filter(pk__in=unused).delete()


@contextlib.contextmanager
def local_file(field, kind):
    """The stored file's path on this machine: openpyxl and csv read local files. A file on
    the local disk is read where it is; one in remote storage (S3) is copied to a temporary
    file first."""
    try:
        path = field.path
    except NotImplementedError:  # a storage without local paths
        path = None
    if path is not None and os.path.exists(path):
        yield path
        return
    with field.open("rb") as source, tempfile.NamedTemporaryFile(suffix=f".{kind}") as local:
        shutil.copyfileobj(source, local, 1 << 20)
        local.flush()
        yield local.name


def run_import(job):
    """Run a ValueImport now (the background task calls this); records the outcome."""
    kind = "xlsx" if job.filename.lower().endswith(".xlsx") else "csv"
    ValueImport.objects.filter(pk=job.pk).update(status=ValueImport.Status.RUNNING)
    progress = Progress(job)
    importer = Importer(job.city, job.pilot, progress)
    try:
        with local_file(job.file, kind) as path:
            saved = importer.run(path, kind)
    except Refused as refused:
        job.status, job.errors = ValueImport.Status.REFUSED, refused.args[0]
        job.error_count = max(importer.error_count, len(job.errors))
    except Exception:
        job.status = ValueImport.Status.FAILED
        raise
    else:
        job.status, job.rows_saved = ValueImport.Status.DONE, saved
    finally:
        progress.close()
        job.finished_at = timezone.now()
        job.rows_done = job.rows_total or job.rows_done
        job.save(update_fields=["status", "errors", "error_count", "rows_saved", "rows_done",
                                "finished_at"])
    return job.status


def count_rows(handle, kind):
    """Data rows of an open binary file, for the progress bar (a fast line count for CSV)."""
    handle.seek(0)
    try:
        if kind == "xlsx":
            from openpyxl import load_workbook

            book = load_workbook(handle, read_only=True, data_only=True)
            try:
                return max(0, (book.worksheets[0].max_row or 1) - 1)
            finally:
                book.close()
        return max(0, sum(chunk.count(b"\n")
                          for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1)
    finally:
        handle.seek(0)
