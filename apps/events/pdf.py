"""HTML to PDF with headless Chromium (Debian's, driven by Playwright).

Chromium's print-to-PDF keeps Thai text exact when it is copied or searched, which WeasyPrint's
PDFs do not. Call it with finished HTML: Playwright's sync API runs an event loop in this
thread, and Django refuses database queries while one runs.
"""
from django.conf import settings

# "3 / 5" at the foot of each page, so a dropped stack of sheets goes back in order.
PAGE_NUMBERS = ('<div style="font-size:8pt;width:100%;text-align:center;color:#555">'
                '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def html_to_pdf(html: str) -> bytes:
    from playwright.sync_api import sync_playwright

    executable = getattr(settings, "CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(html, wait_until="load")
            return page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                            display_header_footer=True, header_template="<span></span>",
                            footer_template=PAGE_NUMBERS)
        finally:
            browser.close()
