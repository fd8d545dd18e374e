"""What the exports print: the ranking table (XLSX, CSV, the selection report and the API), the
selection report and a proposal's dossier, as plain data built in a fixed number of queries.

Before the selection meeting records its shortlist the ranking is the live one (Call.ranking).
After, the table is the frozen Shortlist.ranking, and the live ranking is added beside it
("current rank", "current total") only where scores corrected since then changed it: the
record shows what the meeting saw, and what changed since.

Spreadsheet cells are data, never formulas: a title such as "=HYPERLINK(...)" is written as
text with an apostrophe in front (see `neutral`).
"""
import csv
import io
import math
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.proposals.models import (
    CallChange, Conflict, Decision, EligibilityCheck, Proposal, Shortlist, ShortlistEntry,
)
from apps.proposals.ranking import METHODS

# What spreadsheet programs take for the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
SAME = 1e-9  # totals closer than this are the same total (ranking.TIE_RTOL scale)


def neutral(value):
    """A text cell that cannot run as a formula: ' in front of = + - @ tab CR (also after
    leading spaces, which some programs skip). Numbers and empty cells pass unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS[:4]):
        return "'" + value
    return value


def _number(value, digits=4):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else round(value, digits)


# -- the ranking ---------------------------------------------------------------------------
@dataclass
class Row:
    proposal: Proposal
    rank: int | None
    total: float | None
    scores: list          # mean score per criterion on its own scale (None: nobody scored)
    spread: float | None  # mean standard deviation of the normalised scores (0 to 0.5)
    evaluators: int
    outliers: int
    shortlisted: bool
    decision: Decision | None
    live_rank: int | None = None
    live_total: float | None = None

    @property
    def changed(self):
        if self.live_rank != self.rank:
            return True
        if (self.total is None) != (self.live_total is None):
            return True
        return self.total is not None and abs(self.total - self.live_total) > SAME


@dataclass
class RankingExport:
    call: object
    method: str
    criteria: list
    rows: list
    result: object                 # the live apps.proposals.ranking.Ranking
    shortlist: Shortlist | None
    frozen_method: str | None = None
    differs: bool = False          # the live ranking is no longer the frozen one
    ties: list = field(default_factory=list)       # [str]
    margins: list = field(default_factory=list)    # [str]
    incomplete: list = field(default_factory=list)  # [str]

    @property
    def frozen(self):
        return self.shortlist is not None


def pick_method(value, call):
    return value if value in METHODS else call.method


def ranking_export(call, method=None):
    """The call's ranking as rows, best first: frozen once the shortlist is recorded.
    Translated texts (ties, margins) follow the active language."""
    import numpy as np

    method = pick_method(method, call)
    result = call.ranking(method=method)
    criteria = result.criteria
    shortlist = (Shortlist.objects.filter(call=call).select_related("event").first())
    shortlisted = set(ShortlistEntry.objects.filter(shortlist__call=call)
                      .values_list("proposal_id", flat=True))
    decisions = {d.proposal_id: d for d in Decision.objects.current().filter(proposal__call=call)}
    low = [c.scale_min for c in criteria]
    span = [c.scale_max - c.scale_min for c in criteria]
    scored = ~np.isnan(result.scores)                       # (E, P, C)
    live = {}
    for i, proposal in enumerate(result.proposals):
        means = [None if math.isnan(result.matrix[i, c]) else
                 round(low[c] + float(result.matrix[i, c]) * span[c], 2)
                 for c in range(len(criteria))]
        live[proposal.pk] = Row(
            proposal=proposal, rank=int(result.ranks[i]), total=_number(result.totals[i]),
            scores=means, spread=_number(result.disagreement.spread[i], 3),
            evaluators=int(scored[:, i, :].any(axis=1).sum()) if scored.size else 0,
            outliers=int(result.disagreement.outliers[i]),
            shortlisted=proposal.pk in shortlisted, decision=decisions.get(proposal.pk))
    export = RankingExport(
        call=call, method=method, criteria=criteria, rows=[], result=result,
        shortlist=shortlist, ties=[t.message for t in result.ties],
        margins=[m.message for m in result.margins],
        incomplete=[i.message for i in result.incomplete])
    if shortlist is None:
        export.rows = [live[result.proposals[i].pk] for i in result.order]
        for row in export.rows:
            row.live_rank, row.live_total = row.rank, row.total
        return export

    export.frozen_method = shortlist.method
    frozen = list(shortlist.ranking or [])
    gone = {r["proposal"] for r in frozen} - set(live)
    others = {p.pk: p for p in Proposal.objects.filter(pk__in=gone).select_related(
        "organisation")} if gone else {}
    rows = []
    for item in frozen:
        row = live.pop(item["proposal"], None)
        if row is None:  # no longer eligible: kept as recorded, with nothing live
            proposal = others.get(item["proposal"])
            if proposal is None:
                continue
            row = Row(proposal, None, None, [None] * len(criteria), None, 0, 0,
                      proposal.pk in shortlisted, decisions.get(proposal.pk))
        row.live_rank, row.live_total = row.rank, row.total
        row.rank, row.total = item.get("rank"), _number(item.get("total"))
        rows.append(row)
    for row in sorted(live.values(), key=lambda r: (r.rank, r.proposal.pk)):
        row.live_rank, row.live_total, row.rank, row.total = row.rank, row.total, None, None
        rows.append(row)
    export.rows = rows
    export.differs = any(row.changed for row in rows) or method != shortlist.method
    return export


def decision_label(decision):
    return decision.get_outcome_display() if decision else ""


def ranking_table(export):
    """Header and rows (lists of cells) for the spreadsheet exports, in the active language."""
    header = [_("Rank"), _("Title (Thai)"), _("Title (English)"), _("Organisation"),
              _("Total")]
    header += [_("%(criterion)s (mean, %(low)s–%(high)s)")
               % {"criterion": c.name, "low": c.scale_min, "high": c.scale_max}
               for c in export.criteria]
    header += [_("Spread"), _("Evaluators"), _("Shortlisted"), _("Decision")]
    if export.differs:
        header += [_("Current rank"), _("Current total")]
    rows = []
    for row in export.rows:
        p = row.proposal
        cells = [row.rank, p.title_th, p.title_en, p.organisation.name, row.total, *row.scores,
                 row.spread, row.evaluators, _("Yes") if row.shortlisted else _("No"),
                 decision_label(row.decision)]
        if export.differs:
            cells += [row.live_rank, row.live_total]
        rows.append([neutral(cell) for cell in cells])
    return [neutral(h) for h in header], rows


def ranking_notes(export):
    """Lines saying what the table is: method, frozen or live, ties and incomplete rows."""
    call = export.call
    methods = dict(call.Method.choices)
    notes = [_("Call: %(title)s") % {"title": call.title},
             _("Method: %(method)s") % {"method": methods[export.frozen_method or export.method]},
             _("Exported: %(when)s") % {"when": _when(timezone.now())}]
    if export.frozen:
        notes.append(_("Ranking recorded with the shortlist on %(when)s.")
                     % {"when": _when(export.shortlist.recorded_at)})
        if export.differs:
            notes.append(_("The current ranking (%(method)s) differs from the recorded one: "
                           "see the last columns.") % {"method": methods[export.method]})
    else:
        notes.append(_("Live ranking: the shortlist is not recorded yet."))
    notes += export.ties + export.incomplete
    return [neutral(n) for n in notes]


def _when(value):
    from apps.core.dates import format_date

    return f"{format_date(value)} {timezone.localtime(value):%H:%M}"


def to_xlsx(header, rows, notes, sheet_title):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    # Every string a string, whatever it starts with: openpyxl would store "=..." as a formula.
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, float):
                cell.number_format = "0.0000"
    sheet.freeze_panes = "C2"
    for index, title in enumerate(header, 1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(str(title)), 8) + 2, 40)
    about = book.create_sheet(_("About")[:31])
    for note in notes:
        about.append([note])
        about.cell(row=about.max_row, column=1).data_type = "s"
    about.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(header, rows):
    """UTF-8 with a byte order mark, so Excel opens Thai text as Thai; CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- the selection report ------------------------------------------------------------------
def selection_report(call, method=None):
    """Everything the selection report prints, in the active language."""
    export = ranking_export(call, method)
    weights = export.result.weights
    criteria = [{"criterion": c, "weight": c.weight,
                 "share": None if math.isnan(weights[i]) else round(float(weights[i]) * 100, 1)}
                for i, c in enumerate(export.criteria)]
    evaluators = list(call.evaluators.select_related("user__person").annotate(
        conflicts_count=Count("conflicts", filter=Q(conflicts__conflicted=True)),
        declared_count=Count("conflicts")).order_by("pk"))
    decisions = list(Decision.objects.filter(proposal__call=call)
                     .select_related("proposal", "decided_by__person", "corrects")
                     .order_by("decided_at", "pk"))
    changes = list(CallChange.objects.filter(call=call).values("action").annotate(
        count=Count("pk")).order_by("action"))
    labels = dict(CallChange.Action.choices)
    corrections = list(CallChange.objects.filter(
        call=call, action__in=[CallChange.Action.CORRECT_SCORE,
                               CallChange.Action.CORRECT_DECISION])
        .select_related("proposal", "by__person").order_by("at", "pk"))
    for d in decisions:
        d.budget_text = money(d.approved_budget)
    entries = []
    if export.shortlist is not None:
        entries = list(export.shortlist.entries.select_related("proposal__organisation"))
    return {
        "call": call, "export": export, "criteria": criteria,
        "frozen_method": dict(call.Method.choices).get(export.frozen_method),
        "evaluators": evaluators, "shortlist": export.shortlist, "entries": entries,
        "decisions": decisions,
        "current_decisions": {d.pk for d in Decision.objects.current().filter(
            proposal__call=call)},
        "changes": [{"label": labels.get(c["action"], c["action"]), "count": c["count"]}
                    for c in changes],
        "corrections": corrections, "now": timezone.now(),
        "ceiling": money(call.budget_ceiling),
    }


# -- the dossier ---------------------------------------------------------------------------
def dossier(proposal):
    """A proposal's dossier: what the proponent sent and how it was screened."""
    proposal = (Proposal.objects.filter(pk=proposal.pk)
                .select_related("call__city", "organisation", "proponent__person", "screened_by")
                .prefetch_related(
                    "activities", "budget_lines", "indicators", "attachments", "groups",
                    "areas", "risks",
                    Prefetch("checks", EligibilityCheck.objects.select_related("rule")
                             .order_by("rule__order", "rule__pk")))
                .get())
    lines = list(proposal.budget_lines.all())
    for line in lines:
        line.amount_text, line.cofunding_text = money(line.amount), money(line.cofunding)
    requested = sum((line.amount for line in lines), 0)
    cofunding = sum((line.cofunding for line in lines), 0)
    ceiling = proposal.call.budget_ceiling
    activities = list(proposal.activities.all())
    if activities:
        # Each activity as a bar on the project's own time span, for the printed timeline.
        first = min(a.starts for a in activities)
        days = max((max(a.ends for a in activities) - first).days + 1, 1)
        for a in activities:
            a.left = round((a.starts - first).days / days * 100, 1)
            a.width = max(round(((a.ends - a.starts).days + 1) / days * 100, 1), 1)
    return {
        "proposal": proposal, "call": proposal.call, "lines": lines,
        "requested": money(requested), "cofunding": money(cofunding),
        "project_total": money(requested + cofunding), "ceiling": money(ceiling),
        "over_ceiling": requested > ceiling, "headroom": money(abs(ceiling - requested)),
        "activities": activities,
        "indicators": list(proposal.indicators.all()),
        "attachments": list(proposal.attachments.all()),
        "checks": list(proposal.checks.all()),
        "risks": list(proposal.risks.all()), "groups": list(proposal.groups.all()),
        "areas": list(proposal.areas.all()),
        "now": timezone.now(),
    }


def money(value):
    """1234567.5 -> 1,234,567.50 (Thai groups digits the same way)."""
    return "" if value is None else f"{value:,.2f}"
