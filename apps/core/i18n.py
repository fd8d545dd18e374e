"""Bilingual content stored in the database: each translated field has _th and _en columns."""
from django.db import models
from django.utils.translation import get_language


def current_lang() -> str:
    return "en" if (get_language() or "th").startswith("en") else "th"


def localized(obj, field: str) -> str:
    """The field in the page's language, falling back to the other one when it is empty."""
    lang = current_lang()
    other = "en" if lang == "th" else "th"
    return getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_{other}", "") or ""


class Localized:
    """`title = Localized("title")`: reads title_th or title_en in the page's language."""

    def __init__(self, field):
        self.field = field

    def __get__(self, obj, owner=None):
        return self if obj is None else localized(obj, self.field)


class BilingualMixin(models.Model):
    """Gives every bilingual model a `name` in the current language."""

    name = Localized("name")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

