"""One practice or the library as PDF (Chromium print, Thai text stays exact) and DOCX.

DOCX: Word draws Thai with the complex-script font (w:rFonts w:cs), not the Latin one, and at
the complex-script size (w:szCs); Thai fonts run small, so Thai gets a larger size than Latin.
TH Sarabun New is the Thai government's standard document font; Tahoma (on every Windows,
with Thai glyphs) is the Latin font and what Word falls back to when Sarabun is missing.
"""
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.practices.richtext import to_text

MAX_ROWS = 500  # a whole programme's library; beyond that a search narrows it
THAI_FONT = "TH Sarabun New"
LATIN_FONT = "Tahoma"


def print_context(practices, lang, single):
    return {"practices": practices, "lang": lang, "single": single, "now": timezone.now()}


def _fonts(element, size_pt=None):
    """Set Latin, East-Asian and complex-script fonts (and sizes) on a style or run rPr."""
    from docx.oxml.ns import qn
    from docx.oxml.shared import OxmlElement

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, name in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT),
                       ("w:eastAsia", LATIN_FONT), ("w:cs", THAI_FONT)):
        fonts.set(qn(attr), name)
    if size_pt:
        for tag, points in (("w:sz", size_pt), ("w:szCs", size_pt + 5)):
            node = rpr.find(qn(tag))
            if node is None:
                node = OxmlElement(tag)
                rpr.append(node)
            node.set(qn("w:val"), str(int(points * 2)))  # half-points
    # Thai paragraphs are complex script: tell Word so it uses the cs font for them.
    if rpr.find(qn("w:cs")) is None:
        rpr.append(OxmlElement("w:cs"))


def _style_document(document):
    sizes = {"Normal": 11, "Title": 20, "Heading 1": 16, "Heading 2": 13, "List Bullet": 11}
    for name, size in sizes.items():
        style = document.styles[name]
        _fonts(style.element, size)
        style.font.name = LATIN_FONT  # python-docx also writes w:ascii/hAnsi; keep them Tahoma


def _section(document, heading, text):
    text = (text or "").strip()
    if not text:
        return
    document.add_heading(heading, level=2)
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())


def _practice(document, practice):
    document.add_heading(practice.title, level=1)
    meta = [practice.city.name]
    if practice.hazard_labels():
        meta.append(", ".join(str(h) for h in practice.hazard_labels()))
    if practice.sector_labels():
        meta.append(", ".join(str(s) for s in practice.sector_labels()))
    document.add_paragraph(" · ".join(meta))
    _section(document, _("Problem addressed"), practice.problem)
    _section(document, _("What was done"), to_text(practice.what_was_done))
    _section(document, _("Results achieved"), practice.results)
    if practice.cost is not None or practice.cost_note:
        cost = f"{practice.cost:,.2f} {_('THB')}" if practice.cost is not None else ""
        _section(document, _("Cost"), " · ".join(x for x in (cost, practice.cost_note) if x))
    _section(document, _("Conditions for replication"), practice.replication_conditions)
    contact = " · ".join(x for x in (practice.contact_name, practice.contact_email,
                                     practice.contact_phone) if x)
    _section(document, _("Contact"), contact)


def to_docx(practices, single):
    from docx import Document

    document = Document()
    _style_document(document)
    if not single:
        document.add_heading(_("Good-practice library"), level=0)
        document.add_paragraph(_("%(n)s practices") % {"n": len(practices)})
    for index, practice in enumerate(practices):
        if index:
            document.add_page_break()
        _practice(document, practice)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
