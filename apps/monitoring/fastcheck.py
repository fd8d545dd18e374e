"""Vectorised checking of a CSV import with Arrow (pyarrow), for speed on large clean files.

It only decides that a file is clean under apps.monitoring.rules, column-wise in C: known
indicator (of this report, entered by people), known period whose report is open, a category
of the indicator, strict numbers (the same pattern as rules.NUMBER_RE, at most 4 decimals, 16
integer digits) within the plausible range, text for qualitative indicators, no key twice,
disaggregations adding up exactly. At the first doubt it raises NotClean and the importer runs
the row-by-row path, which lists every bad row with its reason: so a refused file gets the same
answer either way, and a disaggregation explained by a note also goes row by row.
Arrow reads the rows only when they map one-to-one onto lines (no blank lines, no line breaks
inside quotes), so row numbers stay right; otherwise None and the row-by-row path.
"""
import io

import pyarrow as pa
import pyarrow.acero  # noqa: F401  (loaded with the worker, not on the first import)
import pyarrow.compute as pc
import pyarrow.csv as pacsv

NUMBER = r"^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,4})?$"
DECIMAL = pa.decimal128(20, 4)
OUT = ("report_id", "indicator_id", "category", "number", "text", "note")


class NotClean(Exception):
    pass


def read(path, header):
    """The file as an Arrow table of strings, or None when Arrow cannot read it line for row."""
    if len(set(header)) != len(header) or any(not h for h in header):
        return None
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=1 << 23),
            parse_options=pacsv.ParseOptions(ignore_empty_lines=False,
                                              newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError, OSError):
        return None
    if table.column_names != list(header) or any(
            not pa.types.is_string(t) for t in table.schema.types):
        return None
    return table


def _any(mask):
    return bool(pc.any(mask).as_py())


def check(table, at, indicators, period_reports):
    """(rows, rest): the rows to store (a `Rows`, in primary-key order, made a batch at a time
    so the first batch is written while the others are still to be made), and `rest()`, the
    checks the rows do not depend on; either raises NotClean. The importer streams the rows
    into the database while `rest()` runs (Arrow releases the GIL) and rolls back if it raises:
    the answer is the same as checking everything first, in less time.

    `indicators`: the Indicators this import may fill; `period_reports`: {period key (start
    ISO, labels): report id, or None when that report is closed}. The number column holds the
    value as checked text without its thousands commas (PostgreSQL parses it as COPY reads it;
    `rest` checks that it is a strict number, so both read the same value); `numbers(rows)`
    gives it as decimals."""
    count = table.num_rows
    if count == 0:
        raise NotClean
    items = [i for i in indicators if i.source == "manual"]
    # The key columns hold few distinct texts: each is trimmed and looked up once, in its
    # dictionary, and the rows carry small integers.
    at_ind = _lookup(table, at, "indicator", [i.code for i in items])
    keys = list(period_reports)
    reports = list(dict.fromkeys(period_reports.values()))  # one report, several names
    at_key = _lookup(table, at, "period", keys)
    at_report = pc.take(pa.array([reports.index(period_reports[k]) for k in keys], pa.int64()),
                        at_key)
    report = pc.take(pa.array(reports, pa.int64()), at_report)
    if report.null_count:
        raise NotClean  # a closed report
    at_cat, categories = _encoded(table, at, "category", count)
    value, note = _trimmed(table, at, "value", count), _trimmed(table, at, "note", count)
    indicator = pc.take(pa.array([i.id for i in items], pa.int64()), at_ind)
    quantitative = pc.take(pa.array([i.kind == "quantitative" for i in items]), at_ind)
    # The rows in primary-key order (report, indicator, category), sorted on one integer:
    # the index then grows at its right edge (about a third less work for PostgreSQL), and a
    # key given twice lands next to itself.
    report_rank = _ranks(reports)
    indicator_rank = _ranks([i.id for i in items])
    category_rank = pc.subtract(pc.rank(categories, tiebreaker="dense"), 1)
    span = len(categories)
    if len(reports) * len(items) * span >= 1 << 62:
        raise NotClean
    key = pc.add(pc.multiply(pc.add(
        pc.multiply(pc.take(pa.array(report_rank, pa.int64()), at_report), len(items)),
        pc.take(pa.array(indicator_rank, pa.int64()), at_ind)), span),
        pc.take(pc.cast(category_rank, pa.int64()), at_cat))
    order = pc.sort_indices(key)

    def rest():
        ordered = pc.take(key, order)
        if count > 1 and _any(pc.equal(ordered[1:], ordered[:-1])):
            raise NotClean  # a key twice
        _check_cells(items, categories, value, quantitative, _plain(quantitative, value),
                     at_ind, at_report, at_cat)

    columns = {"report_id": report, "indicator_id": indicator, "at_cat": at_cat,
               "quantitative": quantitative, "value": value, "note": note}
    return Rows(order, columns, categories), rest


def _plain(quantitative, value):
    """The number column: a quantitative value's text without its thousands commas, else
    NULL. The same function makes the rows written and the numbers checked."""
    return pc.if_else(quantitative, pc.replace_substring(value, ",", ""),
                      pa.scalar(None, pa.string()))


class Rows:
    """The rows to store (OUT columns) in `order`, made a batch at a time from the file's
    columns: gathering a million texts takes a few tenths of a second, which the first batch
    need not wait for."""

    def __init__(self, order, columns, categories):
        self.order, self.columns, self.categories = order, columns, categories
        self.num_rows = len(order)

    def take(self, indices):
        """The rows at `indices` (positions in the file) as an Arrow table."""
        column = {name: pc.take(array, indices) for name, array in self.columns.items()}
        quantitative, value = column["quantitative"], column["value"]
        return pa.table({"report_id": column["report_id"],
                         "indicator_id": column["indicator_id"],
                         "category": pc.take(self.categories, column["at_cat"]),
                         "number": _plain(quantitative, value),
                         "text": pc.if_else(quantitative, "", value),
                         "note": column["note"]})

    def batches(self, size):
        for start in range(0, self.num_rows, size):
            yield self.take(self.order.slice(start, size))

    def table(self):
        return self.take(self.order)

    def report_ids(self):
        """The report ids the rows go into."""
        return set(pc.unique(self.columns["report_id"]).to_pylist())


def _ranks(ids):
    """The rank of each id in ascending order (None, a closed report, last)."""
    ranked = sorted(range(len(ids)), key=lambda n: (ids[n] is None, ids[n] or 0))
    ranks = [0] * len(ids)
    for rank, position in enumerate(ranked):
        ranks[position] = rank
    return ranks


def numbers(rows):
    """The rows with their number column as decimals (for writing through the ORM)."""
    return rows.set_column(OUT.index("number"), "number",
                           pc.cast(rows.column("number"), DECIMAL))


def _trimmed(table, at, name, count):
    if name not in at:
        return pa.array([""] * count, pa.string())
    return pc.utf8_trim_whitespace(table.column(at[name]).combine_chunks())


def _encoded(table, at, name, count):
    """(index of each row's text in the dictionary, the dictionary of trimmed texts)."""
    if name not in at:
        return pa.array([0] * count, pa.int32()), pa.array([""], pa.string())
    encoded = pc.dictionary_encode(table.column(at[name]).combine_chunks())
    return encoded.indices, pc.utf8_trim_whitespace(encoded.dictionary)


def _lookup(table, at, name, known):
    """The position in `known` of each row's (trimmed) text, or NotClean if one is not there."""
    indices, texts = _encoded(table, at, name, table.num_rows)
    positions = pc.index_in(texts, value_set=pa.array(known, pa.string()))
    if positions.null_count:
        raise NotClean
    return pc.take(positions, indices)


def _check_cells(items, categories, value, quantitative, plain, at_ind, at_report, at_cat):
    """The checks that do not change the rows: strict numbers within range, text where
    qualitative, known categories, disaggregations adding up."""
    count = len(value)
    qualitative = pc.invert(quantitative)
    if _any(pc.and_(qualitative, pc.equal(value, ""))):
        raise NotClean
    if _any(pc.and_(quantitative, pc.invert(pc.match_substring_regex(value, NUMBER)))):
        raise NotClean
    try:
        number = pc.cast(plain, DECIMAL)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise NotClean from None
    for bound, outside in (("min_value", pc.less), ("max_value", pc.greater)):
        limits = pc.take(pa.array([getattr(i, bound) for i in items], DECIMAL), at_ind)
        if limits.null_count < count and _any(pc.fill_null(outside(number, limits), False)):
            raise NotClean
    # Every (indicator, category) cell the framework allows and the file uses, as the integer
    # indicator position x category (dictionary) position, with the disaggregation dimension
    # it belongs to (-1: a total) and its indicator's position.
    where = {}
    for position, text in enumerate(categories.to_pylist()):
        where.setdefault(text, []).append(position)
    width = len(categories)
    allowed, cell_group, cell_indicator, group_indicator = [], [], [], []
    groups = {}
    for position, item in enumerate(items):
        cells = item.categories() if item.kind == "quantitative" else [""]
        for cell in cells:
            for at in where.get(cell, ()):
                allowed.append(position * width + at)
                cell_indicator.append(position)
                if cell:
                    key = (position, cell.split(":", 1)[0])
                    if key not in groups:
                        groups[key] = len(groups)
                        group_indicator.append(position)
                    cell_group.append(groups[key])
                else:
                    cell_group.append(-1)
    pair = pc.add(pc.multiply(pc.cast(at_ind, pa.int64()), width),
                  pc.cast(at_cat, pa.int64()))
    at_cell = pc.index_in(pair, value_set=pa.array(allowed, pa.int64()))
    if at_cell.null_count:
        raise NotClean
    if groups:
        _check_sums(at_report, at_cell, number, cell_group, cell_indicator, group_indicator,
                    len(items))


def _check_sums(at_report, at_cell, number, cell_group, cell_indicator, group_indicator,
                indicator_count):
    """Every disaggregation adds up exactly to its total (notes are judged row by row).
    Keys are integers: (report, indicator) for totals, (report, dimension group) for parts."""
    period = at_report
    group = pc.take(pa.array(cell_group, pa.int64()), at_cell)
    is_part = pc.greater_equal(group, 0)
    owner = pc.take(pa.array(group_indicator, pa.int64()), pc.filter(group, is_part))
    part_key = pc.add(pc.multiply(pc.filter(period, is_part), indicator_count), owner)
    split = set(group_indicator)
    cell_is_split_total = pa.array([g < 0 and i in split
                                    for g, i in zip(cell_group, cell_indicator)])
    is_total = pc.take(cell_is_split_total, at_cell)
    total_key = pc.add(pc.multiply(pc.filter(period, is_total), indicator_count),
                       pc.take(pa.array(cell_indicator, pa.int64()),
                               pc.filter(at_cell, is_total)))
    parts = pa.table({"key": part_key,
                      "group": pc.filter(group, is_part),
                      "number": pc.cast(pc.filter(number, is_part), pa.decimal128(38, 4))})
    sums = parts.group_by(["key", "group"]).aggregate([("number", "sum")])
    totals = pa.table({"key": total_key,
                       "total": pc.cast(pc.filter(number, is_total), pa.decimal128(38, 4))})
    joined = sums.join(totals, keys="key", join_type="left outer")
    if joined.column("total").null_count:
        raise NotClean
    if _any(pc.not_equal(pc.cast(joined.column("number_sum"), pa.decimal128(38, 4)),
                         joined.column("total"))):
        raise NotClean


def csv_batches(rows, size):
    """The Rows as CSV text for COPY ... (FORMAT csv), `size` rows at a time: strings quoted
    (an empty text stays empty), a missing number unquoted (NULL)."""
    options = pacsv.WriteOptions(include_header=False)
    for batch in rows.batches(size):
        buffer = io.BytesIO()
        pacsv.write_csv(batch, buffer, options)
        yield batch.num_rows, buffer.getvalue()
