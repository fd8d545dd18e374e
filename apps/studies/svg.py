"""The impact graph drawn as a server-side SVG: columns by kind (impacts split into one column
per cascade depth), nodes ordered by barycentres to keep crossings few, links as curves with
arrowheads. Plain <text>/<tspan> only (no <foreignObject>), so it prints to PDF as drawn.

Thai is written without spaces, so labels are wrapped by counting the characters that take
width (vowel and tone marks above or below a letter take none), breaking at a space when one
is near, never before a mark and never right after a leading vowel (เ แ โ ใ ไ belong to the
next letter).
"""
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.studies import graph

LEADING_VOWELS = set("เแโใไ")
COLOURS = {  # fill, stroke: one hue per kind, readable in print
    graph.HAZARD: ("#fde2e1", "#c0392b"),
    graph.IMPACT: ("#fdf0d5", "#c77c02"),
    graph.CONSEQUENCE: ("#e3effd", "#2c6fbb"),
    graph.AFFECTED: ("#e4f5e9", "#23844a"),
}
FONT = "Sarabun, Loma, 'Noto Sans Thai', 'Tahoma', sans-serif"


def _width(ch):
    return 0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn" else 1


def wrap(text, limit, max_lines=4):
    """Lines of at most `limit` visible characters; the last line ends in … if cut."""
    text = " ".join((text or "").split())
    lines, current, width = [], "", 0
    i = 0
    while i < len(text):
        ch = text[i]
        w = _width(ch)
        if width + w > limit and w:
            cut = current.rfind(" ")
            if cut > 0:  # break at the last space when there is one
                lines.append(current[:cut])
                current = current[cut + 1:]
            else:
                # Keep a leading vowel with the letter it precedes.
                if current and current[-1] in LEADING_VOWELS:
                    lines.append(current[:-1])
                    current = current[-1]
                else:
                    lines.append(current)
                    current = ""
            width = sum(_width(c) for c in current)
            continue
        current += ch
        width += w
        i += 1
    if current:
        lines.append(current)
    lines = [line.strip() for line in lines if line.strip()]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, len(lines[-1]) - 1)] + "…"
    return lines


def layout(nodes, links, *, box=180, chars=18, line=17, pad=8, gap=14, col_gap=64,
           top=34):
    """Positions of every node: {id: (x, y, w, h, lines)}, the columns and the canvas size."""
    kinds = {n.pk: n.kind for n in nodes}
    order = {n.pk: n.order for n in nodes}
    pairs = [(link.from_node_id, link.to_node_id) for link in links]
    layers, crossing_count = graph.order_layers(graph.columns(kinds, order, pairs), pairs)
    texts = {n.pk: n.text for n in nodes}
    heights = {pk: max(1, len(wrap(texts[pk], chars))) * line + 2 * pad for pk in kinds}
    column_heights = [sum(heights[n] for n in layer) + gap * max(0, len(layer) - 1)
                      for layer in layers]
    canvas_h = top + max(column_heights, default=0) + 16
    pos = {}
    for index, layer in enumerate(layers):
        x = 10 + index * (box + col_gap)
        y = top + (canvas_h - top - 16 - column_heights[index]) / 2
        for node in layer:
            pos[node] = (x, y, box, heights[node], wrap(texts[node], chars))
            y += heights[node] + gap
    canvas_w = 20 + len(layers) * box + max(0, len(layers) - 1) * col_gap
    return pos, layers, (canvas_w, canvas_h), crossing_count


def render(impact_graph, *, compact=False, title=None):
    """The graph as SVG markup (safe to put in a page)."""
    nodes, links = impact_graph.nodes, impact_graph.links
    if not nodes:
        return ""
    pos, layers, (w, h), _count = layout(nodes, links)
    kinds = {n.pk: n.kind for n in nodes}
    gaps = {n.pk for n in impact_graph.gaps}
    heading = {graph.HAZARD: _("Hazard"), graph.IMPACT: _("Impact"),
               graph.CONSEQUENCE: _("Consequence"), graph.AFFECTED: _("Affected")}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="impact-graph" viewBox="0 0 {w:.0f} '
        f'{h:.0f}" width="{w:.0f}" height="{h:.0f}" role="img" '
        f'font-family="{escape(FONT)}" font-size="13">',
        f"<title>{escape(title or _('Impact chains'))}</title>",
        '<defs><marker id="impact-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#555"/></marker></defs>',
    ]
    # Column headings: one per kind, over its first column.
    seen = set()
    for layer in layers:
        if not layer:
            continue
        kind = kinds[layer[0]]
        if kind in seen:
            continue
        seen.add(kind)
        x = pos[layer[0]][0]
        out.append(f'<text x="{x + 2:.0f}" y="20" font-weight="bold" fill="{COLOURS[kind][1]}">'
                   f"{escape(heading[kind])}</text>")
    for link in links:
        x1, y1, w1, h1, _l = pos[link.from_node_id]
        x2, y2, _w2, h2, _l2 = pos[link.to_node_id]
        sx, sy, ex, ey = x1 + w1, y1 + h1 / 2, x2 - 2, y2 + h2 / 2
        bend = max(30, (ex - sx) / 2)
        out.append(f'<path d="M{sx:.1f},{sy:.1f} C{sx + bend:.1f},{sy:.1f} {ex - bend:.1f},'
                   f'{ey:.1f} {ex:.1f},{ey:.1f}" fill="none" stroke="#777" stroke-width="1.4" '
                   f'marker-end="url(#impact-arrow)"/>')
    for node in nodes:
        x, y, bw, bh, lines = pos[node.pk]
        fill, stroke = COLOURS[node.kind]
        dash = ' stroke-dasharray="5 3"' if node.pk in gaps else ""
        out.append(f'<g class="node kind-{node.kind}" id="node-{node.pk}"><rect x="{x:.0f}" '
                   f'y="{y:.0f}" width="{bw}" height="{bh:.0f}" rx="6" fill="{fill}" '
                   f'stroke="{stroke}" stroke-width="1.5"{dash}/>')
        if not compact:
            out.append(f"<title>{escape(node.text)}</title>")
        for i, text in enumerate(lines):
            out.append(f'<text x="{x + 8:.0f}" y="{y + 8 + 13 + i * 17:.0f}" fill="#222">'
                       f"{escape(text)}</text>")
        out.append("</g>")
    out.append("</svg>")
    # Every text above went through escape(); the rest is numbers and our own colours.
    return mark_safe("".join(out))  # nosec B308, B703
