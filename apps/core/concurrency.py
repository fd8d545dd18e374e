"""Optimistic locking for the records people co-edit.

Two coordinators open the same record, both change it, both save: without a check the second
save silently undoes the first. Each co-edited model carries a `version` number; its edit form
carries, in a hidden field, the version the user loaded; saving takes the next version with one
`UPDATE ... WHERE pk = %s AND version = %s`. If that changes no row someone else saved in
between: `Conflict` is raised, the transaction rolls back, and the form is shown again with the
user's input kept, a message naming the current values, and the current version in the hidden
field, so that saving once more is a deliberate overwrite.

Views answer a conflict with HTTP 409 and the form (a browser shows the page like any other).

A request without the hidden field (an older page, a script) is not checked: the token only
protects people who load a form, and must not break the writers that never had one.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TOKEN = "loaded_version"  # nosec B105 - a form field name, not a secret ("version" is taken)
CONFLICT_STATUS = 409


class Versioned(models.Model):
    """Mixin for a co-edited model: the number of checked saves so far."""

    version = models.PositiveIntegerField(gettext_lazy("edit version"), default=1,
                                          editable=False)

    class Meta:
        abstract = True


class Conflict(ValidationError):
    """Someone else saved the record since the user loaded it. A ValidationError, so that code
    turning model errors into form errors shows it too; `current` is the record as saved."""

    def __init__(self, current, details=()):
        self.current = current
        message = _("Someone else changed this record since you opened it; your changes were "
                    "not saved. Here is the current version; your input is kept below: save "
                    "again to replace theirs.")
        super().__init__([message, *details], code="conflict")


def claim(instance, expected):
    """Take the next version of `instance` if the database still holds `expected`, else raise
    Conflict. Call it inside the transaction that saves the record, so that a failed save gives
    the version back. `expected` None (no token sent) or an unsaved instance: nothing to check.

    On PostgreSQL the UPDATE locks the row: a concurrent save waits for this transaction, then
    finds the version moved on and gets its Conflict.
    """
    if expected is None or instance.pk is None:
        return
    model = type(instance)
    taken = model._base_manager.filter(pk=instance.pk, version=expected).update(
        version=F("version") + 1)
    if not taken:
        raise Conflict(model._base_manager.get(pk=instance.pk))
    instance.version = expected + 1


def _shown(record, name, value=None):
    field = record._meta.get_field(name)
    if value is None:
        value = getattr(record, name)
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    text = "" if value in (None, "") else str(value)
    return text if len(text) <= 200 else text[:199] + "…"


class VersionedFormMixin:
    """For a ModelForm of a Versioned model: the hidden token and the checked save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        loaded = self.instance.version if self.instance.pk else None
        self.fields[TOKEN] = forms.IntegerField(required=False, min_value=0, initial=loaded,
                                                widget=forms.HiddenInput)

    @property
    def loaded_version(self):
        return self.cleaned_data.get(TOKEN)

    def save(self, commit=True):
        if commit and self.instance.pk:
            # The claim and the save commit together or not at all.
            with transaction.atomic():
                claim(self.instance, self.loaded_version)
                return super().save(commit)
        return super().save(commit)

    def show_conflict(self, conflict):
        """Keep the user's input; name the fields whose saved value differs from it; carry the
        current version so that the next save replaces it knowingly."""
        current = conflict.current
        details = []
        model_fields = {f.name for f in current._meta.concrete_fields}
        for name, field in self.fields.items():
            if name == TOKEN or name not in model_fields:
                continue
            saved = _shown(current, name)
            # What the user sent (some forms apply it to the model only later).
            if saved != _shown(current, name, self.cleaned_data.get(name)):
                details.append(f"{field.label}: {saved or '—'}")
        self.data = self.data.copy()
        self.data[self.add_prefix(TOKEN)] = current.version
        self.add_error(None, Conflict(current, details))


def conflict_response(response):
    """The re-rendered form of a conflict, answered as 409 Conflict."""
    response.status_code = CONFLICT_STATUS
    return response
