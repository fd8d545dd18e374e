"""Comparing two rounds of a study: a text diff of findings and recommendations, and what
changed in the linked risks, impact-chain nodes and attachments.

Thai has no spaces between words, so a word diff would see a whole Thai sentence as one
"word". Text is split into tokens: Latin words and numbers whole, whitespace runs, and every
other character with the combining marks that sit on it (a Thai vowel or tone mark never
appears alone in the result).
"""
import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

TOKEN = re.compile(r"[A-Za-z0-9]+|\s+|.[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0300-\u036f]*",
                   re.DOTALL)


def tokens(text):
    return TOKEN.findall(text or "")


@dataclass
class TextDiff:
    before: str
    after: str
    html: str  # the after text, with <del> and <ins> marking the changes
    changed: bool


def diff_text(before, after):
    a, b = tokens(before), tokens(after)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            parts.append(new)
            continue
        if old:
            parts.append(f"<del>{old}</del>")
        if new:
            parts.append(f"<ins>{new}</ins>")
    # Both texts are escape()d token by token; only our <del>/<ins> tags are markup.
    return TextDiff(before or "", after or "", mark_safe("".join(parts)),  # nosec B308, B703
                    (before or "") != (after or ""))


@dataclass
class SetDiff:
    added: list
    removed: list
    kept: list

    @property
    def changed(self):
        return bool(self.added or self.removed)


def diff_sets(before, after, key=lambda x: x.pk):
    old = {key(x): x for x in before}
    new = {key(x): x for x in after}
    return SetDiff(added=[x for k, x in new.items() if k not in old],
                   removed=[x for k, x in old.items() if k not in new],
                   kept=[x for k, x in new.items() if k in old])


def compare(a, b):
    """Round `a` against round `b` (both with risks, nodes and attachments prefetched)."""
    return {
        "texts": [
            ("findings", diff_text(a.findings, b.findings)),
            ("recommendations", diff_text(a.recommendations, b.recommendations)),
        ],
        "risks": diff_sets(a.risks.all(), b.risks.all()),
        "nodes": diff_sets(a.nodes.all(), b.nodes.all()),
        "attachments": diff_sets(a.attachments.all(), b.attachments.all(),
                                 key=lambda x: (x.file.name, x.title)),
    }
