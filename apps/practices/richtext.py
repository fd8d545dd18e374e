"""Rich text of a practice ("what was done"), cleaned before it is stored.

Cities paste from Word and web pages; what is kept is the little a write-up needs: paragraphs,
emphasis, lists, sub-headings, quotes and links. Everything else (scripts, styles, event
handlers, javascript: links, images) goes. Links get rel="noopener noreferrer" so a linked page
cannot reach back into ours.
"""
import re

import nh3

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    """The allow-listed subset of `html` (an empty string for None)."""
    if not html:
        return ""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True).strip()


def to_text(html: str) -> str:
    """Plain text of cleaned HTML, for search and for DOCX exports: block ends become
    line breaks, tags go, entities are decoded."""
    import html as htmllib

    text = re.sub(r"(?i)<br\s*/?>|</(p|li|h3|h4|blockquote)>", "\n", html or "")
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\n{3,}", "\n\n", htmllib.unescape(text)).strip()
