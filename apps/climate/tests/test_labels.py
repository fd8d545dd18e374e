"""The stats core's English texts are all marked for translation here, and the pending Thai
translations keep every placeholder."""
import json
import re
from pathlib import Path

from django.conf import settings

from apps.climate.labels import INDEX_TEXTS
from apps.climate.stats.indices import INDICES


def test_every_index_name_and_definition_is_marked_for_translation():
    assert {code: (name, definition) for code, (name, _unit, definition) in INDICES.items()} \
        == INDEX_TEXTS


def test_pending_thai_translations_keep_placeholders():
    path = Path(settings.BASE_DIR) / "locale" / "pending" / "climate.json"
    translations = json.loads(path.read_text(encoding="utf-8"))
    for name, _definition in INDEX_TEXTS.values():
        assert name in translations, name
    for english, thai in translations.items():
        assert thai.strip(), english
        pattern = r"%\(\w+\)s|%%"
        assert sorted(re.findall(pattern, english)) == sorted(re.findall(pattern, thai)), english
