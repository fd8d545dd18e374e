"""The stats core's English texts are all marked for translation here, and reach Thai."""
import re

from apps.climate.labels import INDEX_TEXTS
from apps.climate.stats.indices import INDICES


def test_every_index_name_and_definition_is_marked_for_translation():
    assert {code: (name, definition) for code, (name, _unit, definition) in INDICES.items()} \
        == INDEX_TEXTS


def test_index_names_are_translated_to_thai():
    """The stats core's index names reach the Thai catalogue through labels.py."""
    from django.utils import translation

    with translation.override("th"):
        for name, _definition in INDEX_TEXTS.values():
            assert re.search(r"[\u0E00-\u0E7F]", translation.gettext(name)), name
