import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.timezone import now as timezone_now
from django.utils.translation import gettext_lazy as _

from apps.core.audit import AppendOnly


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


class LoginThrottleQuerySet(models.QuerySet):
    """Failed sign-ins, counted in the database so every app server sees the same counts."""

    @staticmethod
    def keys(username, address):
        keys = []
        if username:
            # Case-folded: "Somchai" and "somchai" are the same target for an attacker.
            keys.append((LoginThrottle.Kind.ACCOUNT, str(username).strip().casefold()[:150]))
        if address:
            keys.append((LoginThrottle.Kind.ADDRESS, address[:64]))
        return keys

    def _matching(self, username, address):
        query = Q(pk__in=[])
        for kind, key in self.keys(username, address):
            query |= Q(kind=kind, key=key)
        return self.filter(query)

    def locked_until(self, username, address):
        """When the account or the address may try again, or None if neither is locked."""
        from django.utils import timezone

        return (
            self._matching(username, address)
            .filter(locked_until__gt=timezone.now())
            .aggregate(until=models.Max("locked_until"))["until"]
        )

    def record_failure(self, username, address):
        """Count one failure against the account and the address; lock whichever reaches its
        limit. Returns the end of the lock, or None."""
        from django.db import transaction
        from django.db.models import F
        from django.utils import timezone

        now = timezone.now()
        window = dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        # Old counts are dropped here rather than by a scheduled job.
        self.filter(window_start__lt=now - window).filter(
            Q(locked_until__isnull=True) | Q(locked_until__lt=now)).delete()
        until = None
        for kind, key in self.keys(username, address):
            with transaction.atomic():
                row, _created = self.select_for_update().get_or_create(
                    kind=kind, key=key, defaults={"window_start": now})
                # An F() update, so two servers counting at once both count.
                self.filter(pk=row.pk).update(failures=F("failures") + 1)
                row.refresh_from_db()
                if row.failures >= LoginThrottle.limit(kind) and not row.is_locked(now):
                    row.locked_until = now + window
                    row.save(update_fields=["locked_until"])
                if row.is_locked(now):
                    until = max(until or row.locked_until, row.locked_until)
        return until

    def record_success(self, username):
        """A correct sign-in clears the account's count but not the address's: otherwise one
        known account would let an address keep guessing the passwords of others."""
        self._matching(username, None).delete()


class LoginThrottle(models.Model):
    """Failed sign-ins of one account name, or from one client address, in the current window.

    Each reaching its limit (settings LOGIN_FAILURE_LIMIT_ACCOUNT / _ADDRESS) locks sign-in for
    LOGIN_LOCKOUT_MINUTES, for the account from anywhere and for the address whatever account.
    """

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("account")
        ADDRESS = "address", _("address")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=150)
    failures = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    objects = LoginThrottleQuerySet.as_manager()

    class Meta:
        verbose_name = _("failed sign-in count")
        verbose_name_plural = _("failed sign-in counts")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="login_throttle_key")]

    def __str__(self):
        return f"{self.kind} {self.key}: {self.failures}"

    @staticmethod
    def limit(kind):
        if kind == LoginThrottle.Kind.ACCOUNT:
            return settings.LOGIN_FAILURE_LIMIT_ACCOUNT
        return settings.LOGIN_FAILURE_LIMIT_ADDRESS

    def is_locked(self, now):
        return self.locked_until is not None and self.locked_until > now


class PasswordResetRequestQuerySet(models.QuerySet):
    """Password-reset requests of the last hour, counted in the database so every app server
    sees the same counts (a mailbox must not be flooded, nor the site used to spam)."""

    WINDOW = dt.timedelta(hours=1)

    @staticmethod
    def limits():
        return {
            PasswordResetRequest.Kind.ADDRESS: getattr(settings, "PASSWORD_RESET_LIMIT_ADDRESS", 5),
            PasswordResetRequest.Kind.EMAIL: getattr(settings, "PASSWORD_RESET_LIMIT_EMAIL", 3),
        }

    def admit(self, email, address):
        """Record one request; True if it may send mail, False if the address or the email has
        reached its hourly limit (a refused request is recorded too: a flood stays refused)."""
        from django.utils import timezone

        now = timezone.now()
        self.filter(created__lt=now - self.WINDOW).delete()
        keys = [(PasswordResetRequest.Kind.EMAIL, str(email or "").strip().casefold()[:254]),
                (PasswordResetRequest.Kind.ADDRESS, (address or "")[:64])]
        keys = [(kind, key) for kind, key in keys if key]
        query = Q(pk__in=[])
        for kind, key in keys:
            query |= Q(kind=kind, key=key)
        counts = dict(self.filter(query).values_list("kind").annotate(n=models.Count("pk")))
        limits = self.limits()
        allowed = all(counts.get(kind, 0) < limits[kind] for kind, _key in keys)
        self.bulk_create([PasswordResetRequest(kind=kind, key=key, created=now)
                          for kind, key in keys])
        return allowed


class PasswordResetRequest(models.Model):
    """One password-reset request, by the email asked for and by the client address."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("email")
        ADDRESS = "address", _("address")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=254)
    created = models.DateTimeField()

    objects = PasswordResetRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")
        indexes = [models.Index(fields=["kind", "key", "created"], name="reset_request_key")]

    def __str__(self):
        return f"{self.kind} {self.key}"


class RoleChange(AppendOnly):
    """The audit trail of permissions: a role given, changed or taken away, by whom, when.

    Written by the signals below, so the app, the admin and the erasure alike are recorded.
    References are kept without database constraints: a log row must survive (and not block)
    the deletion of the user, city or network it names; a deleted one shows as its number.
    """

    class Action(models.TextChoices):
        GRANT = "grant", _("Role given")
        CHANGE = "change", _("Role changed")
        REVOKE = "revoke", _("Role taken away")

    at = models.DateTimeField(default=timezone_now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING,
                           db_constraint=False, null=True, related_name="+")
    action = models.CharField(max_length=8, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING,
                             db_constraint=False, null=True, related_name="+")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    network = models.ForeignKey("networks.Network", on_delete=models.DO_NOTHING,
                                db_constraint=False, null=True, related_name="+")
    city = models.ForeignKey("networks.City", on_delete=models.DO_NOTHING,
                             db_constraint=False, null=True, related_name="+")
    before = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-at", "-id"]


def _role_state(assignment):
    return {"role": assignment.role, "network": assignment.network_id,
            "city": assignment.city_id}


@receiver(pre_save, sender=RoleAssignment)
def _role_before(sender, instance, raw=False, **kwargs):
    instance._audit_before = None
    if not raw and instance.pk:
        old = RoleAssignment.objects.filter(pk=instance.pk).first()
        instance._audit_before = _role_state(old) if old else None


@receiver(post_save, sender=RoleAssignment)
def _role_saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # loading a backup replays rows, it changes no one's permissions
        return
    from apps.core.audit import current_actor

    before = getattr(instance, "_audit_before", None)
    if not created and before == _role_state(instance):
        return
    RoleChange.objects.create(
        by=current_actor(), user_id=instance.user_id, role=instance.role,
        network_id=instance.network_id, city_id=instance.city_id,
        action=RoleChange.Action.GRANT if created else RoleChange.Action.CHANGE,
        before=before or {})


@receiver(post_delete, sender=RoleAssignment)
def _role_deleted(sender, instance, **kwargs):
    from apps.core.audit import current_actor

    RoleChange.objects.create(
        by=current_actor(), user_id=instance.user_id, role=instance.role,
        network_id=instance.network_id, city_id=instance.city_id,
        action=RoleChange.Action.REVOKE)
