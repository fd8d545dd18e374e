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
    """The rows to store as an Arrow table (OUT columns), or NotClean.

    `indicators`: the Indicators this import may fill; `period_reports`: {period key (start
    ISO, labels): report id, or None when that report is closed}."""
    count = table.num_rows
    if count == 0:
        raise NotClean

    def column(name):
        if name not in at:
            return pa.array([""] * count, pa.string())
        return pc.utf8_trim_whitespace(table.column(at[name]).combine_chunks())

    code, period, category = column("indicator"), column("period"), column("category")
    value, note = column("value"), column("note")
    items = [i for i in indicators if i.source == "manual"]
    at_ind = pc.index_in(code, value_set=pa.array([i.code for i in items], pa.string()))
    keys = list(period_reports)
    at_per = pc.index_in(period, value_set=pa.array(keys, pa.string()))
    if at_ind.null_count or at_per.null_count:
        raise NotClean
    report = pc.take(pa.array([period_reports[k] for k in keys], pa.int64()), at_per)
    if report.null_count:
        raise NotClean
    indicator = pc.take(pa.array([i.id for i in items], pa.int64()), at_ind)
    quantitative = pc.take(pa.array([i.kind == "quantitative" for i in items]), at_ind)
    # Every (indicator, category) cell the framework allows, with the disaggregation
    # dimension it belongs to (-1: a total) and its indicator's position.
    allowed, cell_group, cell_indicator, group_indicator = [], [], [], []
    groups = {}
    for position, item in enumerate(items):
        cells = item.categories() if item.kind == "quantitative" else [""]
        for cell in cells:
            allowed.append(f"{item.code}\x1f{cell}")
            cell_indicator.append(position)
            if cell:
                key = (position, cell.split(":", 1)[0])
                if key not in groups:
                    groups[key] = len(groups)
                    group_indicator.append(position)
                cell_group.append(groups[key])
            else:
                cell_group.append(-1)
    combo = pc.binary_join_element_wise(code, category, "\x1f")
    at_cell = pc.index_in(combo, value_set=pa.array(allowed, pa.string()))
    if at_cell.null_count:
        raise NotClean
    # A key twice: (period, cell) as one integer, all distinct.
    cell_key = pc.add(pc.multiply(pc.cast(at_per, pa.int64()), len(allowed)),
                      pc.cast(at_cell, pa.int64()))
    if pc.count_distinct(cell_key).as_py() != count:
        raise NotClean
    qualitative = pc.invert(quantitative)
    if _any(pc.and_(qualitative, pc.equal(value, ""))):
        raise NotClean
    if _any(pc.and_(quantitative, pc.invert(pc.match_substring_regex(value, NUMBER)))):
        raise NotClean
    plain = pc.if_else(quantitative, pc.replace_substring(value, ",", ""),
                       pa.scalar(None, pa.string()))
    try:
        number = pc.cast(plain, DECIMAL)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise NotClean from None
    for bound, outside in (("min_value", pc.less), ("max_value", pc.greater)):
        limits = pc.take(pa.array([getattr(i, bound) for i in items], DECIMAL), at_ind)
        if limits.null_count < count and _any(pc.fill_null(outside(number, limits), False)):
            raise NotClean
    if groups:
        _check_sums(at_per, at_cell, number, cell_group, cell_indicator, group_indicator,
                    len(items))
    return pa.table({"report_id": report, "indicator_id": indicator, "category": category,
                     "number": number, "text": pc.if_else(quantitative, "", value),
                     "note": note})


def _check_sums(at_per, at_cell, number, cell_group, cell_indicator, group_indicator,
                indicator_count):
    """Every disaggregation adds up exactly to its total (notes are judged row by row).
    Keys are integers: (period, indicator) for totals, (period, dimension group) for parts."""
    period = pc.cast(at_per, pa.int64())
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
    """The rows as CSV text for COPY ... (FORMAT csv), `size` rows at a time: strings quoted
    (an empty text stays empty), a missing number unquoted (NULL)."""
    options = pacsv.WriteOptions(include_header=False)
    for batch in rows.select(list(OUT)).to_batches(max_chunksize=size):
        buffer = io.BytesIO()
        pacsv.write_csv(batch, buffer, options)
        yield batch.num_rows, buffer.getvalue()
