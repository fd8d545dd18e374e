"""What the forum synthesis says, built from the network's PUBLISHED data in a fixed number of
queries (whatever the number of cities), and its three files: PDF (Chromium print of
templates/forum/print.html), DOCX (python-docx, Thai fonts as in apps.practices.exports) and
XLSX (the data behind it, one sheet per table, formula-neutral cells).

Every query filters on the synthesis' network and on the published flag of the city's record
(assessment, dialogue, pilot); monitoring indicators come in only for published pilots, with
approved values only.
"""
import hashlib
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.assessments.models import (
    LEVEL_ORDER, Assessment, AssessmentScale, RiskArea, RiskRating, ScopeGroup, UrbanSystem,
)
from apps.dialogues.models import DialogueItem, Hazard, ItemKind
from apps.networks.models import City
from apps.pilots.models import Pilot
from apps.proposals.exports import neutral

TOP = 5


# -- the input signature ------------------------------------------------------------------------
def input_signature(network):
    """Counts, sums and latest timestamps/ids of every input, in one query per input table: a
    change of any published input changes it (and so marks a built synthesis stale, and gets
    it rebuilt: apps.forum.rebuild). `network` is a Network or its id."""
    from apps.forum.models import StakeholderPosition
    from apps.monitoring.models import Indicator, Value
    from apps.pilots.models import Milestone, PilotComponent

    parts = [
        Assessment.objects.filter(city__network=network, published=True).aggregate(
            n=Count("pk"), t=Max("updated_at")),
        RiskRating.objects.filter(assessment__city__network=network,
                                  assessment__published=True).aggregate(
            n=Count("pk"), s=Sum("score"), t=Max("rated_at"), i=Max("pk")),
        ScopeGroup.objects.filter(assessment__city__network=network,
                                  assessment__published=True).aggregate(n=Count("pk"), i=Max("pk")),
        RiskArea.objects.filter(assessment__city__network=network,
                                assessment__published=True).aggregate(n=Count("pk"), i=Max("pk")),
        DialogueItem.objects.filter(kind=ItemKind.NEED, dialogue__published=True,
                                    dialogue__city_activity__city__network=network).aggregate(
            n=Count("pk"), i=Max("pk"), t=Max("dialogue__updated_at")),
        Pilot.objects.filter(city__network=network, published=True).aggregate(
            n=Count("pk"), i=Max("pk")),
        # Approved values only (what the synthesis shows), and the indicators and targets
        # they are read against.
        Value.objects.approved().filter(indicator__city__network=network,
                                        indicator__pilot__published=True).aggregate(
            n=Count("pk"), s=Sum("number")),
        Indicator.objects.filter(city__network=network, pilot__published=True).aggregate(
            n=Count("pk", distinct=True), i=Max("pk"), t=Count("targets"),
            s=Sum("targets__value")),
        StakeholderPosition.objects.filter(network=network).aggregate(
            n=Count("pk"), t=Max("changed_at")),
        # The pilots' workplans, which their progress (%) is computed from.
        PilotComponent.objects.filter(pilot__city__network=network, pilot__published=True)
        .aggregate(n=Count("pk"), s=Sum("weight"), i=Max("pk")),
        Milestone.objects.filter(component__pilot__city__network=network,
                                 component__pilot__published=True).aggregate(
            n=Count("pk"), s=Sum("percent"), w=Sum("weight"), i=Max("pk")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# -- the content --------------------------------------------------------------------------------
@dataclass
class CityPart:
    city: City
    assessed: bool = False
    risks: list = field(default_factory=list)
    matrix: list = field(default_factory=list)  # rows consequence 5..1, cells likelihood 1..5
    levels: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    pilots: list = field(default_factory=list)
    map_svg: str = ""

    @property
    def top_risks(self):
        return self.risks[:TOP]

    @property
    def high_risks(self):
        return sum(1 for r in self.risks if r.level_key in ("high", "extreme"))

    @property
    def pilot_progress(self):
        values = [p.progress_pct for p in self.pilots if p.progress_pct is not None]
        return round(sum(values) / len(values)) if values else None


@dataclass
class Content:
    network: object
    cities: list
    hazards: list      # (label, number of cities)
    shared: list       # (label, cities) top risks found in two cities or more
    differing: list    # (label, city) top risks of one city only
    recommendations: list
    built_at: object
    stakeholders: list = field(default_factory=list)
    stakeholder_svg: str = ""


def _matrix(risks):
    cells = Counter((r.likelihood, r.consequence) for r in risks)
    return [[cells.get((l, c), 0) for l in range(1, 6)] for c in range(5, 0, -1)]


def collect(network, recommendations=()):
    """The synthesis' content: about ten queries for any number of cities."""
    from apps.monitoring.models import Indicator
    from apps.monitoring.progress import build, periods_of

    scale = AssessmentScale.for_network(network)
    hazard_labels, system_labels = dict(Hazard.choices), dict(UrbanSystem.choices)
    parts = {c.pk: CityPart(c) for c in City.objects.filter(network=network).order_by("name_th")}
    published = {"assessment__city__network": network, "assessment__published": True}
    for city_id in Assessment.objects.filter(city__network=network, published=True).values_list(
            "city_id", flat=True):
        parts[city_id].assessed = True
    by_city = defaultdict(list)
    for risk in RiskRating.objects.filter(**published).annotate(city_id=F("assessment__city_id")):
        risk.level_key = scale.risk_level(risk.score)
        risk.label = f"{hazard_labels.get(risk.hazard, risk.hazard)} × " \
                     f"{system_labels.get(risk.system, risk.system)}"
        by_city[risk.city_id].append(risk)
    for city_id, risks in by_city.items():
        part = parts[city_id]
        part.risks = risks
        part.matrix = _matrix(risks)
        part.levels = Counter(r.level_key for r in risks)
    for group in ScopeGroup.objects.filter(**published).annotate(city_id=F("assessment__city_id")):
        parts[group.city_id].groups.append(group)
    for area in RiskArea.objects.filter(**published).annotate(city_id=F("assessment__city_id")):
        area.hazard_label = hazard_labels.get(area.hazard, area.hazard)
        parts[area.city_id].areas.append(area)
    for need in (DialogueItem.objects.filter(
            kind=ItemKind.NEED, dialogue__published=True,
            dialogue__city_activity__city__network=network)
            .select_related("dialogue__city_activity").order_by("pk")):
        parts[need.dialogue.city_activity.city_id].needs.append(need)
    pilots = {}
    for pilot in Pilot.objects.filter(city__network=network, published=True).with_progress() \
            .order_by("pk"):
        # `progress` is already a percentage (0-100, apps.pilots.tracking).
        pilot.progress_pct = None if pilot.progress is None else round(pilot.progress)
        pilot.indicator_rows = []
        pilots[pilot.pk] = pilot
        parts[pilot.city_id].pilots.append(pilot)
    indicators = list(Indicator.objects.filter(city__network=network, pilot__published=True)
                      .order_by("pk"))
    if indicators:
        rows = build(indicators, periods_of(city__network=network),
                     {"city__network": network, "pilot__published": True},
                     {"indicator__city__network": network, "indicator__pilot__published": True})
        for row in rows:
            pilots[row.indicator.pilot_id].indicator_rows.append(row)
    for part in parts.values():
        part.map_svg = area_map(part.areas)
    # Across cities: hazards by the number of cities that rated a risk of them, top risks shared.
    hazard_cities, top_cities = Counter(), defaultdict(list)
    for part in parts.values():
        for hazard in {r.hazard for r in part.risks}:
            hazard_cities[hazard] += 1
        for risk in part.top_risks:
            top_cities[risk.label].append(part.city.name)
    hazards = sorted(((hazard_labels.get(h, h), n) for h, n in hazard_cities.items()),
                     key=lambda x: (-x[1], x[0]))
    shared = sorted(((label, names) for label, names in top_cities.items() if len(names) > 1),
                    key=lambda x: (-len(x[1]), x[0]))
    differing = sorted((label, names[0]) for label, names in top_cities.items()
                       if len(names) == 1)
    from apps.forum import stakeholders

    people = stakeholders.analyse(network)
    return Content(network, list(parts.values()), hazards, shared, differing,
                   list(recommendations), timezone.now(), people, stakeholders.chart_svg(people))


# -- the risk area map ---------------------------------------------------------------------------
HAZARD_COLOURS = ["#c0392b", "#2c6fbb", "#c77c02", "#23844a", "#8e44ad", "#16a085"]


def _rings(geometry):
    kind, coords = (geometry or {}).get("type"), (geometry or {}).get("coordinates") or []
    if kind == "Polygon":
        return [coords[0]] if coords else []
    if kind == "MultiPolygon":
        return [poly[0] for poly in coords if poly]
    if kind == "Point":
        return [[coords]]
    if kind == "Feature":
        return _rings(geometry.get("geometry"))
    return []


def area_map(areas, width=360, height=220):
    """The city's risk areas as an SVG drawn from their GeoJSON (lon/lat scaled to fit, one
    colour per hazard, a legend); "" when the city published no area."""
    shapes = [(area, ring) for area in areas for ring in _rings(area.geometry)
              if ring and all(isinstance(p, (list, tuple)) and len(p) >= 2 for p in ring)]
    if not shapes:
        return ""
    xs = [float(p[0]) for _a, ring in shapes for p in ring]
    ys = [float(p[1]) for _a, ring in shapes for p in ring]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 0.01
    pad, map_h = 10, height - 40
    scale = min((width - 2 * pad) / span, (map_h - 2 * pad) / span)
    colours = {}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" class="forum-map">',
           f'<rect width="{width}" height="{map_h}" fill="#f4f7fa" stroke="#99a"/>']
    for area, ring in shapes:
        colour = colours.setdefault(area.hazard_label, HAZARD_COLOURS[len(colours) % 6])
        points = [(pad + (float(x) - min(xs)) * scale,
                   map_h - pad - (float(y) - min(ys)) * scale) for x, y, *_rest in ring]
        if len(points) == 1:
            x, y = points[0]
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}">'
                       f'<title>{escape(area.name)}</title></circle>')
        else:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(f'<polygon points="{path}" fill="{colour}" fill-opacity="0.45" '
                       f'stroke="{colour}"><title>{escape(area.name)}</title></polygon>')
    x = 4
    for label, colour in colours.items():
        out.append(f'<rect x="{x}" y="{map_h + 12}" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{x + 14}" y="{map_h + 21}" font-size="11" font-family="Sarabun, '
                   f'Loma, \'Noto Sans Thai\', sans-serif">{escape(label)}</text>')
        x += 24 + 8 * len(str(label))
    out.append("</svg>")
    return mark_safe("".join(out))  # nosec B308, B703 - numbers and escape()d text only


# -- the files ----------------------------------------------------------------------------------
def render_html(content, synthesis):
    return render_to_string("forum/print.html", {"c": content, "synthesis": synthesis,
                                                 "now": content.built_at, "lang": "th",
                                                 "levels": LEVEL_ORDER})


def tables(content):
    """The data behind the documents: (sheet name, header, rows)."""
    cities = [(p.city.name, len(p.risks), p.high_risks,
               p.top_risks[0].label if p.risks else "", len(p.groups), len(p.areas),
               len(p.needs), len(p.pilots), p.pilot_progress) for p in content.cities]
    risks = [(p.city.name, r.label, r.likelihood, r.consequence, r.score, str(r.level_key))
             for p in content.cities for r in p.risks]
    matrix = [(p.city.name, c, l, p.matrix[5 - c][l - 1]) for p in content.cities if p.matrix
              for c in range(5, 0, -1) for l in range(1, 6)]
    groups = [(p.city.name, g.name_th, g.name_en) for p in content.cities for g in p.groups]
    areas = [(p.city.name, a.name_th, a.name_en, a.hazard_label) for p in content.cities
             for a in p.areas]
    needs = [(p.city.name, n.text_th, n.text_en) for p in content.cities for n in p.needs]
    pilots = [(p.city.name, x.title_th, x.title_en, x.get_status_display(), x.progress_pct)
              for p in content.cities for x in p.pilots]
    indicators = [(p.city.name, x.title_th, row.indicator.name_th,
                   row.latest.period.label if row.latest else "",
                   row.latest.actual if row.latest else None,
                   row.latest.target if row.latest else None, row.indicator.unit,
                   str(row.light_label))
                  for p in content.cities for x in p.pilots for row in x.indicator_rows]
    hazards = [(label, n) for label, n in content.hazards]
    people = [(s.organisation.name_th, s.organisation.get_kind_display(), s.influence,
               s.interest, s.position.role_th if s.position else "")
              for s in content.stakeholders]
    recommendations = [(i, r.text_th, r.text_en) for i, r in
                       enumerate(content.recommendations, 1)]
    return [
        (_("Cities"), [_("City"), _("Risks"), _("High or extreme"), _("Top risk"),
                       _("Vulnerable groups"), _("Risk areas"), _("Needs"), _("Pilots"),
                       _("Pilot progress (%)")], cities),
        (_("Risks"), [_("City"), _("Risk"), _("Likelihood"), _("Consequence"), _("Score"),
                      _("Level")], risks),
        (_("Risk matrix"), [_("City"), _("Consequence"), _("Likelihood"), _("Risks")], matrix),
        (_("Vulnerable groups"), [_("City"), _("Name (Thai)"), _("Name (English)")], groups),
        (_("Risk areas"), [_("City"), _("Name (Thai)"), _("Name (English)"), _("Hazard")],
         areas),
        (_("Needs"), [_("City"), _("Need (Thai)"), _("Need (English)")], needs),
        (_("Pilots"), [_("City"), _("Title (Thai)"), _("Title (English)"), _("Status"),
                       _("Progress (%)")], pilots),
        (_("Indicators"), [_("City"), _("Pilot"), _("Indicator"), _("Latest period"),
                           _("Actual (approved)"), _("Target"), _("Unit"), _("Status")],
         indicators),
        (_("Hazards"), [_("Hazard"), _("Cities")], hazards),
        (_("Stakeholders"), [_("Organisation"), _("Kind"), _("Influence (1-5)"),
                             _("Interest (1-5)"), _("Role in the climate response")], people),
        (_("Recommendations"), [_("No."), _("Recommendation (Thai)"),
                                _("Recommendation (English)")], recommendations),
    ]


def _cell(value):
    """Numbers stay numbers; anything else (lazy labels too) is neutral text."""
    if value is None or isinstance(value, (int, float, Decimal)):
        return value
    return neutral(str(value))


def _text(value):
    """A DOCX cell: numbers as people write them (1,234.5, not 1234.5000)."""
    from apps.monitoring.progress import number

    if value is None:
        return ""
    return number(value) if isinstance(value, Decimal) else str(value)


def to_xlsx(content):
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in tables(content):
        sheet = book.create_sheet(title[:31])
        sheet.append([neutral(str(h)) for h in header])
        for row in rows:
            sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def figures(content):
    """The drawings the PDF shows, by key, for apps.forum.pictures: the stakeholder chart and
    each city's map of risk areas."""
    drawn = {"stakeholders": content.stakeholder_svg} if content.stakeholder_svg else {}
    drawn.update((f"map-{part.city.pk}", part.map_svg) for part in content.cities
                 if part.map_svg)
    return drawn


def _picture(document, picture, caption, shape_id):
    """The picture at its drawn size (CSS pixels are 1/96 inch), its caption under it.

    Built as python-docx's add_picture does, but with the shape id given: add_picture finds
    the next id by scanning the whole document each time, which made a thousand maps cost
    half a minute (python-docx 1.2.0, pinned)."""
    from docx.oxml.shape import CT_Inline
    from docx.shared import Inches

    part = document.part
    r_id, image = part.get_or_add_image(io.BytesIO(picture.png))
    cx, cy = image.scaled_dimensions(Inches(min(picture.width / 96, 6.3)), None)
    inline = CT_Inline.new_pic_inline(shape_id, r_id, image.filename, cx, cy)
    document.add_paragraph().add_run()._r.add_drawing(inline)
    document.add_paragraph(str(caption), style="Caption")


def _table(document, header, rows):
    """A grid table of text. Rows are copies of the header row's XML with their text set:
    python-docx's add_row() and cell.text look up widths and children for every cell, which
    took minutes for the tables of a thousand cities."""
    import copy

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = str(text)
    tbl = table._tbl
    template = copy.deepcopy(tbl.tr_lst[0])
    for tc in template.tc_lst:
        for run in tc.p_lst[0].r_lst:
            tc.p_lst[0].remove(run)
    for row in rows:
        tr = copy.deepcopy(template)
        for tc, value in zip(tr.tc_lst, row):
            text = _text(value)
            if text:
                tc.p_lst[0].add_r().text = text
        tbl.append(tr)
    return table


def _matrix_table(document, part):
    """The city's risk matrix as in the PDF (consequence 5..1 down, likelihood 1..5 across),
    as an editable table."""
    header = [f"{_('Consequence')} \\ {_('Likelihood')}", *range(1, 6)]
    _table(document, header, [(5 - index, *(n or None for n in counts))
                              for index, counts in enumerate(part.matrix)])


def to_docx(content, synthesis, pictures=None):
    """The editable document: the charts and maps (pictures drawn from the PDF's SVG, see
    apps.forum.pictures; `pictures` maps figures()' keys to them), each city's risk matrix,
    then the data tables."""
    from docx import Document

    from apps.practices.exports import _style_document

    pictures = pictures or {}
    document = Document()
    _style_document(document)
    document.add_heading(synthesis.title, level=0)
    document.add_paragraph(content.network.name)
    shape_ids = iter(range(1, len(pictures) + 1))
    if "stakeholders" in pictures:
        document.add_heading(_("Stakeholders: influence and interest"), level=1)
        _picture(document, pictures["stakeholders"],
                 _("Organisations by influence and interest (1-5)"), next(shape_ids))
    shown = [p for p in content.cities if p.risks or f"map-{p.city.pk}" in pictures]
    if shown:
        document.add_heading(_("Risk matrices and maps of the cities"), level=1)
    for part in shown:
        document.add_heading(part.city.name, level=2)
        if part.risks:
            document.add_paragraph(_("Risk matrix (number of risks)"), style="Caption")
            _matrix_table(document, part)
        if f"map-{part.city.pk}" in pictures:
            _picture(document, pictures[f"map-{part.city.pk}"],
                     _("Risk areas of %(city)s") % {"city": part.city.name}, next(shape_ids))
    for title, header, rows in tables(content):
        if not rows:
            continue
        document.add_heading(str(title), level=1)
        _table(document, header, rows)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
