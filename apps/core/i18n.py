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


class BilingualMixin(models.Model):
    """Gives every bilingual model a `name` in the current language."""

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return localized(self, "name")

    def __str__(self) -> str:
        return self.name
