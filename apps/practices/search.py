"""Searching the library in Thai and English.

Thai is written without spaces between words, so neither SQLite nor PostgreSQL full-text search
finds a word inside a Thai phrase. Each practice keeps `search_tokens`: its Thai and English
text segmented into words by PyThaiNLP (newmm, the dictionary ships in the wheel), lower-cased,
space-joined and padded with spaces; plus each pair of neighbouring Thai words joined, because
a query word may be one dictionary word that a longer phrase was split into two ("เตือนภัย" vs
"เตือน" + "ภัย"). A query is segmented the same way and every word must be found whole
(" word "), so "ความเสี่ยง" finds "การประเมินความเสี่ยงน้ำท่วม" and "เสี่ยง" alone does not
match inside it. A plain `contains` on the padded column works the same on both databases.
"""
import re
import unicodedata

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

THAI = re.compile(r"[\u0e00-\u0e7f]")
MAX_QUERY_TOKENS = 12  # a pasted paragraph would otherwise make a query of hundreds of LIKEs


def _split(text):
    from pythainlp.tokenize import word_tokenize

    # Punctuation and symbols separate words in both languages; Thai letters and vowel marks
    # (Lo, Mn) are kept, so Thai words stay whole.
    cleaned = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch
                      for ch in (text or "").lower())
    if not cleaned.strip():
        return []
    return [t for t in word_tokenize(cleaned, engine="newmm", keep_whitespace=False)
            if t.strip()]


def tokens(text) -> list[str]:
    """The words of a text in order (Thai segmented, English lower-cased)."""
    return _split(text)


def index_text(*texts) -> str:
    """The padded token string stored for search: " w1 w2 ... pair1 pair2 "."""
    words = []
    for text in texts:
        found = tokens(text)
        words.extend(found)
        words.extend(a + b for a, b in zip(found, found[1:])
                     if THAI.search(a) and THAI.search(b))
    unique = list(dict.fromkeys(words))
    return f" {' '.join(unique)} " if unique else ""


def query_tokens(query) -> list[str]:
    return list(dict.fromkeys(tokens(query)))[:MAX_QUERY_TOKENS]


def search(queryset, query):
    """`queryset` narrowed to rows holding every word of `query`, annotated with `rank`
    (how many of the words are in the title) and ordered by it. An empty query changes
    nothing (rank 0)."""
    words = query_tokens(query)
    if not words:
        return queryset.annotate(rank=Value(0, output_field=IntegerField()))
    condition = Q()
    for word in words:
        condition &= Q(search_tokens__contains=f" {word} ")
    in_title = [Case(When(title_tokens__contains=f" {word} ", then=Value(1)), default=Value(0),
                     output_field=IntegerField()) for word in words]
    rank = in_title[0]
    for term in in_title[1:]:
        rank = rank + term
    return queryset.filter(condition).annotate(rank=Coalesce(rank, Value(0)))
