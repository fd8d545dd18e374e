"""The national forum synthesis for a 1,000-city network (issue 7, "Speed"): build time of the
synthesis (content + HTML + PDF) against the floor, Chromium printing a static HTML file of
the same size in the same run; and its SQL query count at 100 and at 1,000 cities (flat).

    .venv/bin/python benchmarks/forum_synthesis.py [--cities 1000] [--small 100]
        [--database-url postgres://postgres@127.0.0.1:5432/forum_bench]

Seeds (once; later runs reuse them) two networks with apps.demo.scale.ScaleSeeder (bulk
inserts: cities, assessments, pilots, indicators and values), publishes their assessments and
pilots and adds one risk area per assessment (bulk_create), so every section of the synthesis
has data. Not part of the test suite: speed is never asserted in tests.
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ensure_database(url):
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    with psycopg.connect(dbname="postgres", user=config["USER"] or None,
                         password=config["PASSWORD"] or None, host=config["HOST"] or None,
                         port=config["PORT"] or None, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [config["NAME"]]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(
                sql.Identifier(config["NAME"])))
            print(f"created database {config['NAME']}")


def seed(slug, cities):
    from apps.assessments.models import Assessment, RiskArea
    from apps.demo.scale import ScaleSeeder
    from apps.networks.models import Network
    from apps.pilots.models import Pilot

    rows, seconds = ScaleSeeder(slug, out=lambda *a: None).run(cities)
    if rows:
        print(f"seeded {slug}: {rows} rows in {seconds:.0f} s")
    network = Network.objects.get(slug=slug)
    Assessment.objects.filter(city__network=network).update(published=True)
    Pilot.objects.filter(city__network=network).update(published=True)
    missing = Assessment.objects.filter(city__network=network, areas=None)
    RiskArea.objects.bulk_create([
        RiskArea(assessment=a, name_th=f"ชุมชนริมน้ำ {a.city_id}", hazard="flood",
                 geometry={"type": "Polygon", "coordinates": [[
                     [100 + i / 1000, 13.0], [100.05 + i / 1000, 13.0],
                     [100.05 + i / 1000, 13.05], [100 + i / 1000, 13.0]]]})
        for i, a in enumerate(missing)], batch_size=2000)
    return network


def build(network):
    """(queries, seconds for content+HTML, html, seconds for the PDF)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from apps.events.pdf import html_to_pdf
    from apps.forum import synthesis

    class Title:
        title = "สังเคราะห์ผลการดำเนินงานของเมืองเพื่อเวทีระดับชาติ"

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries, translation.override("th"):
        synthesis.input_signature(network)
        content = synthesis.collect(network)
        html = synthesis.render_html(content, Title())
    content_s = time.perf_counter() - start
    start = time.perf_counter()
    pdf = html_to_pdf(html)
    pdf_s = time.perf_counter() - start
    build.content = content
    return len(queries), content_s, html, pdf_s, len(pdf)


def docx_pictures(content):
    """Seconds to draw the charts and maps as pictures and write the DOCX (not in the ratio:
    the target is about the PDF), and the DOCX's size."""
    from django.utils import translation

    from apps.forum import synthesis
    from apps.forum.pictures import rasterise

    class Title:
        title = "สังเคราะห์"

    start = time.perf_counter()
    figures = synthesis.figures(content)
    pictures = rasterise(figures)
    drawn_s = time.perf_counter() - start
    with translation.override("th"):
        docx = synthesis.to_docx(content, Title(), pictures)
    return len(figures), drawn_s, time.perf_counter() - start, len(docx)


def floor(html):
    """Chromium printing the same HTML from a static file, nothing else (the floor)."""
    from playwright.sync_api import sync_playwright

    from apps.events.pdf import CHROMIUM_ARGS, PAGE_NUMBERS

    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False,
                                     encoding="utf-8") as f:
        f.write(html)
    start = time.perf_counter()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"file://{f.name}", wait_until="load")
        page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                 display_header_footer=True, header_template="<span></span>",
                 footer_template=PAGE_NUMBERS)
        browser.close()
    os.unlink(f.name)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/forum_bench")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    ensure_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    small = seed("forum-bench-small", args.small)
    large = seed("forum-bench", args.cities)
    small_q, small_s, _html, _pdf_s, _n = build(small)
    large_q, content_s, html, pdf_s, pdf_bytes = build(large)
    floor_s = floor(html)
    total = content_s + pdf_s
    print(f"SQL queries: {small_q} at {args.small} cities, {large_q} at {args.cities} cities"
          f" ({'flat' if small_q == large_q else 'NOT FLAT'})")
    print(f"{args.cities} cities: content+HTML {content_s:.2f} s, PDF {pdf_s:.2f} s "
          f"({len(html) / 1e6:.1f} MB HTML, {pdf_bytes / 1e6:.1f} MB PDF), total {total:.2f} s")
    print(f"floor (Chromium printing the same HTML from a static file): {floor_s:.2f} s")
    print(f"ratio: {total / floor_s:.2f}x (target within 3x)")
    figures, drawn_s, docx_s, docx_bytes = docx_pictures(build.content)
    print(f"DOCX: {figures} charts and maps drawn as pictures in {drawn_s:.2f} s, DOCX written "
          f"in {docx_s:.2f} s in all ({docx_bytes / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
