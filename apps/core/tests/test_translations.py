"""The Thai catalogue is complete, keeps its placeholders, is compiled, and is what pages show.

`makemessages` adds new strings untranslated; these tests fail until someone translates them
and runs `compilemessages`, so no English slips into the Thai pages unnoticed.
"""

import ast
import gettext
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# %(name)s, %s, %d, %% ... as Python's %-formatting reads them; {name} for str.format.
PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACES = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
THAI = re.compile(r"[\u0E00-\u0E7F]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self):
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def parse_po(path):
    """A small .po reader: enough for the entries makemessages writes (obsolete ones skipped)."""
    entries, entry, target = [], Entry(), None

    def finish():
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if target is not None:  # a flag line opens the next entry
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue  # comments, references, and obsolete (#~) entries
        elif line.startswith('"'):
            value = ast.literal_eval(line)  # .po escapes are a subset of Python's
            kind, index = target
            if kind == "msgstr":
                entry.msgstrs[index] += value
            else:
                setattr(entry, kind, getattr(entry, kind) + value)
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()
            if keyword == "msgid":
                entry.line = number
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword != "msgstr" else 0
                entry.msgstrs[index] = value
                target = ("msgstr", index)
            else:
                setattr(entry, keyword, value)
                target = (keyword, None)
    finish()
    return entries


def placeholders(text):
    return sorted(p for p in PERCENT.findall(text) if p != "%%") + sorted(BRACES.findall(text))


ENTRIES = parse_po(PO)
MESSAGES = [e for e in ENTRIES if e.msgid]


def describe(entry):
    return f"line {entry.line}: {entry.msgid!r}"


def test_the_catalogue_is_for_thai_with_one_plural_form():
    header = next(e for e in ENTRIES if e.msgid == "").msgstrs[0]
    assert "Language: th\n" in header
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=1; plural=0;" in header
    assert len(MESSAGES) > 300  # the parser really read the file


def test_every_message_is_translated_and_none_is_fuzzy():
    untranslated = [describe(e) for e in MESSAGES
                    if not e.msgstrs or not all(s.strip() for s in e.msgstrs.values())]
    fuzzy = [describe(e) for e in ENTRIES if "fuzzy" in e.flags]
    assert not untranslated and not fuzzy, (
        "untranslated:\n" + "\n".join(untranslated) + "\nfuzzy:\n" + "\n".join(fuzzy))


def test_plural_entries_have_the_single_thai_form():
    for entry in MESSAGES:
        if entry.msgid_plural is not None:
            assert set(entry.msgstrs) == {0}, describe(entry)


def test_translations_keep_the_placeholders():
    broken = []
    for entry in MESSAGES:
        source = entry.msgid_plural if entry.msgid_plural is not None else entry.msgid
        formatted = "python-format" in entry.flags or "python-brace-format" in entry.flags
        # Flagged entries must keep exactly their placeholders (in any order: Thai word order
        # differs); in unflagged text a named placeholder still may not go missing.
        expected = placeholders(source) if formatted else re.findall(r"%\([^)]+\)s", source)
        for translated in entry.msgstrs.values():
            found = placeholders(translated) if formatted else \
                re.findall(r"%\([^)]+\)s", translated)
            if sorted(found) != sorted(expected):
                broken.append(f"{describe(entry)} -> {translated!r}")
    assert not broken, "placeholders differ:\n" + "\n".join(broken)


def test_thai_translations_are_thai():
    # Names and acronyms stay as they are; everything else should be written in Thai.
    kept = {"API", "ISET", "L-moments", "Mann-Kendall", "PDF"}  # names, as Thai writers keep them
    english = [describe(e) for e in MESSAGES
               if e.msgid not in kept and not any(THAI.search(s) for s in e.msgstrs.values())]
    assert not english, "not in Thai:\n" + "\n".join(english)


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    fresh = tmp_path / "django.mo"
    result = subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with fresh.open("rb") as f:
        expected = gettext.GNUTranslations(f)._catalog
    assert MO.exists(), "run: python manage.py compilemessages --ignore=.venv"
    with MO.open("rb") as f:
        committed = gettext.GNUTranslations(f)._catalog
    stale = sorted(set(expected.items()) ^ set(committed.items()), key=str)
    assert not stale, ("django.mo is older than django.po; run: "
                       "python manage.py compilemessages --ignore=.venv\n"
                       + "\n".join(repr(item) for item in stale[:20]))


def test_the_compiled_catalogue_matches_what_the_po_says():
    # Without msgfmt this still catches a stale .mo for every ordinary entry.
    with MO.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    stale = []
    for entry in MESSAGES:
        if "fuzzy" in entry.flags or entry.msgid_plural is not None:
            continue
        if catalog.get(entry.key) != entry.msgstrs[0]:
            stale.append(describe(entry))
    assert not stale, "stale in django.mo:\n" + "\n".join(stale)


def test_django_uses_the_thai_catalogue():
    with translation.override("th"):
        assert translation.gettext("Log in") == "เข้าสู่ระบบ"
        assert translation.gettext("Mark done") == "บันทึกว่าเสร็จแล้ว"
        assert translation.gettext("Shared Learning Dialogue") == "เวทีแลกเปลี่ยนเรียนรู้ (SLD)"
        assert translation.gettext("Core working group") == "คณะทำงานระดับเมือง"
        assert translation.gettext("Unknown city: %(slug)s.") % {"slug": "hat-yai"} \
            == "ไม่พบเมือง: hat-yai"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"


@pytest.mark.django_db
def test_the_login_page_in_thai_shows_no_english_of_ours(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="th">' in page
    assert "เข้าสู่ระบบ" in page
    assert "โครงการ ACCCRN ประเทศไทย ระยะที่ 2" in page
    for english in ("Log in", "Resilience Workbench", "Asian Cities Climate Change"):
        assert english not in page

    english_page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in" in english_page and "เข้าสู่ระบบ" not in english_page


def test_messages_are_marked_under_names_makemessages_reads():
    """makemessages finds gettext, gettext_lazy, gettext_noop ... under those names, or as
    `_`. A message marked through another alias (`gettext_noop as N_`) never reaches the
    catalogue, so the tests above cannot see it missing: the import errors of the monitoring
    app were English on Thai pages that way."""
    wrong = []
    for path in Path(settings.BASE_DIR).glob("[aw]*/**/*.py"):
        if ".venv" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                wrong += [f"{path}:{node.lineno} {a.name} as {a.asname}" for a in node.names
                          if a.asname not in (None, "_") and "gettext" in a.name]
    assert not wrong, wrong
