"""What every audit log shares: rows that are only ever added, and who is acting.

- `AppendOnly`: a log model whose rows the app adds and never changes or deletes one by one
  (a city's deletion may still cascade to its logs, as a queryset delete).
- `acting(user)`: the user behind the current request, for logs written by model signals
  (role assignments, memberships) that have no request at hand. Every view decorated with
  @access sets it (apps/core/access.py); so do the admin pages that change audited records
  (`ActingAdminMixin`). Outside both (management commands, the demo) the actor is None.
"""
import contextvars
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import models

_actor = contextvars.ContextVar("audit_actor", default=None)


@contextmanager
def acting(user):
    token = _actor.set(user)  # request.user stays lazy: only a log that needs it loads it
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor():
    user = _actor.get()
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The audit trail is append-only.")


class ActingAdminMixin:
    """Admin pages that change audited records name the staff member in the log."""

    def changeform_view(self, request, *args, **kwargs):
        with acting(request.user):
            return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with acting(request.user):
            return super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):  # bulk actions, list_editable
        with acting(request.user):
            return super().changelist_view(request, *args, **kwargs)
