"""The synthesis' charts and maps as PNG pictures for the DOCX.

The PDF draws them as SVG (apps.forum.synthesis.area_map, apps.forum.stakeholders.chart_svg);
Word needs pictures, so the same SVG is drawn by the same Chromium that prints the PDF, which
already renders the Thai labels with the right fonts (no new library to pin, no second
renderer that would draw them differently). All pictures are laid out on one page and taken
in a few large screenshots cut into pieces with Pillow: one screenshot per element would cost
a round trip each, a thousand for a thousand-city network.

Called with finished SVG text and no database access: Playwright's sync API runs an event loop
in this thread, during which Django refuses queries (see apps.events.pdf).
"""
import io
from dataclasses import dataclass

from django.conf import settings

WIDTH = 1600   # CSS pixels of the layout page
BAND = 2400    # CSS pixels of page height per screenshot
SCALE = 2      # device pixels per CSS pixel: sharp when printed


@dataclass
class Picture:
    png: bytes
    width: float   # CSS pixels (1/96 inch) of the drawing
    height: float


def _page(figures):
    shots = "".join(
        f'<div class="shot" data-key="{key}">{svg}</div>' for key, svg in figures.items())
    return ('<!doctype html><html><head><meta charset="utf-8"><style>'
            'body{margin:0;background:#fff;width:%dpx}'
            '.shot{display:inline-block;vertical-align:top;line-height:0;margin:0 6px 6px 0}'
            '</style></head><body>%s</body></html>' % (WIDTH, shots))


RECTS = """() => Array.from(document.querySelectorAll('.shot')).map(e => {
  const r = e.getBoundingClientRect();
  return [e.dataset.key, r.x, r.y + window.scrollY, r.width, r.height];
})"""


def rasterise(figures):
    """{key: SVG text} -> {key: Picture}. Keys must be plain words (they go in an attribute)."""
    if not figures:
        return {}
    from PIL import Image
    from playwright.sync_api import sync_playwright

    from apps.events.pdf import CHROMIUM_ARGS

    executable = getattr(settings, "CHROMIUM_PATH", "/usr/bin/chromium")
    out = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": BAND},
                                    device_scale_factor=SCALE)
            page.set_content(_page(figures), wait_until="load")
            rects = sorted(page.evaluate(RECTS), key=lambda r: r[2])
            while rects:
                top = rects[0][2]
                band = [r for r in rects if r[2] + r[4] - top <= BAND] or rects[:1]
                bottom = max(r[2] + r[4] for r in band)
                shot = page.screenshot(clip={"x": 0, "y": top, "width": WIDTH,
                                             "height": bottom - top}, full_page=True)
                image = Image.open(io.BytesIO(shot))
                for key, x, y, w, h in band:
                    box = tuple(round(v * SCALE) for v in (x, y - top, x + w, y - top + h))
                    buffer = io.BytesIO()
                    image.crop(box).save(buffer, "PNG", compress_level=1)  # speed over size
                    out[key] = Picture(buffer.getvalue(), w, h)
                done = {r[0] for r in band}
                rects = [r for r in rects if r[0] not in done]
        finally:
            browser.close()
    return out
