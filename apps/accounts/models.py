import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_COORDINATOR = "national_coordinator", _("National coordinator")
    CITY_COORDINATOR = "city_coordinator", _("City coordinator")
    WORKING_GROUP_MEMBER = "working_group_member", _("Working-group member")
    EXPERT = "expert", _("Expert")
    PROPONENT = "proponent", _("Proposal proponent")
    FUNDER_REVIEWER = "funder_reviewer", _("Funder reviewer")


# Roles that act for the whole network rather than for one city (a list: the constraint
# below must render the same way every time for migrations to stay stable).
NETWORK_ROLES = [Role.NATIONAL_COORDINATOR, Role.FUNDER_REVIEWER]
# Roles whose holders may read their city's unpublished records.
CITY_READ_ROLES = {Role.CITY_COORDINATOR, Role.WORKING_GROUP_MEMBER, Role.EXPERT}
CITY_EDIT_ROLES = {Role.CITY_COORDINATOR}
# Roles whose holders may record their city's assessment work (vulnerability assessment,
# sector studies, climate analyses): the coordinators, and the experts the city works with.
CITY_ASSESS_ROLES = {Role.CITY_COORDINATOR, Role.EXPERT}


class RoleAssignment(models.Model):
    """What a user may do, and where: a network-wide role or a role in one city."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, null=True, blank=True,
        related_name="role_assignments", verbose_name=_("network"),
    )
    city = models.ForeignKey(
        "networks.City", on_delete=models.CASCADE, null=True, blank=True,
        related_name="role_assignments", verbose_name=_("city"),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "network", "city"], name="role_assignment_unique"
            ),
            # Network roles name a network and no city; city roles name a city and no network.
            models.CheckConstraint(
                condition=(
                    Q(role__in=[r.value for r in NETWORK_ROLES], network__isnull=False,
                      city__isnull=True)
                    | (~Q(role__in=[r.value for r in NETWORK_ROLES]) & Q(
                        city__isnull=False, network__isnull=True))
                ),
                name="role_assignment_scope",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.network or self.city}"

    def clean(self):
        if self.role in NETWORK_ROLES and (self.city_id or not self.network_id):
            raise ValidationError(_("This role applies to a whole network: choose a network."))
        if self.role not in NETWORK_ROLES and (self.network_id or not self.city_id):
            raise ValidationError(_("This role applies to one city: choose a city."))


class ApiTokenQuerySet(models.QuerySet):
    def user_for(self, raw_key):
        """The active user holding this token, or None; the key is stored only as a hash."""
        from django.utils import timezone

        token = (
            self.filter(key_hash=ApiToken.hash(raw_key), user__is_active=True)
            .select_related("user")
            .first()
        )
        if token is None:
            return None
        # Record use at most every few minutes: not one write per API call.
        now = timezone.now()
        if token.last_used is None or now - token.last_used > dt.timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        return token.user


class ApiToken(models.Model):
    """A personal API token (`Authorization: Bearer <key>`); only its SHA-256 is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return self.name

    @staticmethod
    def hash(raw_key):
        import hashlib

        return hashlib.sha256(raw_key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name):
        """Create a token and return (token, raw key); the raw key is shown once."""
        import secrets

        raw = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=cls.hash(raw)), raw
