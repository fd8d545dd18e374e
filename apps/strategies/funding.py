"""Building a funder proposal from an intervention, and its DOCX.

The problem comes from what the system already knows: the justification of each risk the
intervention reduces (the assessment) and the findings of the signed-off sector-study rounds
that studied those risks. Objectives, activities, budget, indicators and the logframe start
from the intervention and the city's M&E indicators; everything stays editable afterwards.
DOCX: the Thai-capable fonts of apps.practices.exports (w:rFonts w:cs) so Word draws Thai.
"""
import io

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from apps.strategies.funding_models import (
    LOGFRAME_COLUMNS, FunderProposal, FunderSubmission,
)


def _risk_line(risk, lang):
    with translation.override(lang):
        label = f"{risk.get_hazard_display()} × {risk.get_system_display()}"
    text = risk.justification_th if lang == "th" else (risk.justification_en
                                                       or risk.justification_th)
    return f"- {label} ({risk.score}/25): {text}"


def generate(intervention, by, indicators=None):
    """A new proposal for the intervention (saved), with the city's M&E indicators given."""
    from apps.studies.models import StudyVersion

    risks = list(intervention.risks.all())
    findings = list(StudyVersion.objects.filter(risks__in=risks, status="signed")
                    .select_related("study").distinct().order_by("pk"))
    indicators = list(indicators or [])
    texts = {}
    for lang in ("th", "en"):
        with translation.override(lang):
            title = (intervention.title_en or intervention.title_th) if lang == "en" \
                else intervention.title_th
            problem = [_("The city's vulnerability assessment rates these climate risks:")]
            problem += [_risk_line(r, lang) for r in risks]
            for version in findings:
                text = version.findings_th if lang == "th" else (version.findings_en
                                                                 or version.findings_th)
                if text:
                    problem.append(_("Sector study “%(study)s”: %(findings)s") % {
                        "study": version.study.title_th, "findings": text})
            with translation.override(lang):
                objectives = [_("Reduce the risk of %(risk)s.") % {
                    "risk": f"{r.get_hazard_display()} × {r.get_system_display()}"}
                    for r in risks] or [title]
            description = (intervention.description_en or intervention.description_th) \
                if lang == "en" else intervention.description_th
            names = [(i.name_en or i.name_th) if lang == "en" else i.name_th
                     for i in indicators]
            texts[lang] = {
                "title": title, "problem": "\n".join(problem),
                "objectives": "\n".join(objectives), "activities": description or title,
                "indicators": "\n".join(names),
                "logframe": {
                    "goal": {"summary": _("A city more resilient to climate change."),
                             "indicators": "", "verification": "", "assumptions": ""},
                    "outcome": {"summary": "\n".join(objectives),
                                "indicators": "\n".join(names),
                                "verification": _("Monitoring reports of the city"),
                                "assumptions": _("The council keeps the budget.")},
                    "outputs": {"summary": title, "indicators": "", "verification": "",
                                "assumptions": ""},
                    "activities": {"summary": description or title, "indicators": "",
                                   "verification": _("Progress reports"), "assumptions": ""},
                },
            }
    with transaction.atomic():
        proposal = FunderProposal.objects.create(
            intervention=intervention, title_th=texts["th"]["title"],
            title_en=texts["en"]["title"], problem_th=texts["th"]["problem"],
            problem_en=texts["en"]["problem"], objectives_th=texts["th"]["objectives"],
            objectives_en=texts["en"]["objectives"], activities_th=texts["th"]["activities"],
            activities_en=texts["en"]["activities"], budget=intervention.cost,
            indicators_th=texts["th"]["indicators"], indicators_en=texts["en"]["indicators"],
            logframe={"th": texts["th"]["logframe"], "en": texts["en"]["logframe"]},
            created_by=by if by and by.pk else None)
        proposal.me_indicators.set(indicators)
    return proposal


def sections(proposal, lang):
    """(heading, text) in the document's order, in `lang`."""
    with translation.override(lang):
        def field(name):
            return getattr(proposal, f"{name}_{lang}") or getattr(proposal, f"{name}_th")
        budget = f"{proposal.budget:,.2f} THB" if proposal.budget is not None else ""
        return [(_("Problem"), field("problem")), (_("Objectives"), field("objectives")),
                (_("Activities"), field("activities")), (_("Budget"), budget),
                (_("Indicators"), field("indicators"))]


def logframe_header(lang):
    with translation.override(lang):
        return [str(_("Level"))] + [str(label) for _c, label in LOGFRAME_COLUMNS]


def to_docx(proposal, lang):
    from docx import Document

    from apps.practices.exports import _fonts, _style_document

    document = Document()
    _style_document(document)
    title = proposal.title_en if lang == "en" and proposal.title_en else proposal.title_th
    document.add_heading(title, level=0)
    for heading, text in sections(proposal, lang):
        if not (text or "").strip():
            continue
        document.add_heading(heading, level=1)
        for line in text.splitlines():
            if line.strip():
                document.add_paragraph(line.strip())
    with translation.override(lang):
        document.add_heading(_("Logical framework"), level=1)
    table = document.add_table(rows=1, cols=len(LOGFRAME_COLUMNS) + 1)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, logframe_header(lang)):
        cell.text = text
    with translation.override(lang):
        for label, values in proposal.logframe_rows(lang):
            cells = table.add_row().cells
            for cell, text in zip(cells, [str(label), *values]):
                cell.text = text
    for paragraph in (p for row in table.rows for c in row.cells for p in c.paragraphs):
        for run in paragraph.runs:
            _fonts(run._element)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def seed_proposal(intervention, by):
    """The demo: one proposal generated and submitted to an international funder."""
    import datetime as dt

    from apps.monitoring.models import Indicator

    if intervention.funder_proposals.exists():
        return
    indicators = Indicator.objects.filter(city=intervention.strategy.city)[:2]
    proposal = generate(intervention, by, indicators)
    FunderSubmission.objects.create(
        proposal=proposal, funder="มูลนิธิร็อกกี้เฟลเลอร์ (Rockefeller Foundation)",
        amount=intervention.cost, submitted_on=dt.date(2024, 6, 3),
        status=FunderSubmission.Status.SUBMITTED,
        outcome="ส่งข้อเสนอรอบแรกแล้ว รอผลการพิจารณา")
