import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet, scope_of
from apps.core.audit import AppendOnly, current_actor
from apps.core.i18n import BilingualMixin, Localized

# The plan asks for a core working group of 10-15 people.
GROUP_MIN, GROUP_MAX = 10, 15


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    ACADEMIA = "academia", _("Academia")
    NGO = "ngo", _("NGO")
    PRIVATE = "private", _("Private sector")
    COMMUNITY = "community", _("Community")
    MEDIA = "media", _("Media")
    FUNDER = "funder", _("Funder")


class Sector(models.TextChoices):
    ADMINISTRATION = "administration", _("Administration")
    DISASTER = "disaster", _("Disaster management")
    WATER = "water", _("Water and drainage")
    PLANNING = "planning", _("Urban planning")
    ENVIRONMENT = "environment", _("Environment")
    HEALTH = "health", _("Public health")
    AGRICULTURE = "agriculture", _("Agriculture")
    SOCIAL = "social", _("Social welfare")
    ECONOMY = "economy", _("Economy and business")
    EDUCATION = "education", _("Education and research")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class OrganisationQuerySet(CityScopedQuerySet):
    def visible_to(self, user):
        # National and international organisations (no city) are public knowledge.
        return self.filter(Q(city__isnull=True) | scope_of(user).city_read_q())


class Organisation(BilingualMixin):
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices)
    city = models.ForeignKey(
        "networks.City", on_delete=models.PROTECT, null=True, blank=True,
        related_name="organisations", verbose_name=_("city"),
        help_text=_("Empty for national and international organisations."),
    )
    website = models.URLField(_("website"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_th"]


class PersonQuerySet(CityScopedQuerySet):
    """Personal data: only the person's own city team and the national coordinator."""


class Person(models.Model):
    full_name_th = models.CharField(_("full name (Thai)"), max_length=200)
    full_name_en = models.CharField(_("full name (English)"), max_length=200, blank=True)
    city = models.ForeignKey(
        "networks.City", on_delete=models.PROTECT, related_name="people",
        verbose_name=_("city"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
        verbose_name=_("organisation"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, default=Gender.UNDISCLOSED
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="person", verbose_name=_("account"),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name_th"]

    def __str__(self):
        return self.full_name

    full_name = Localized("full_name")

    def contacts_visible_to(self, user):
        """Email and phone: only for the city's coordinators, the national coordinator and the
        person themself. Working-group members and experts read the city's people, not their
        contacts."""
        if user is None or not user.is_authenticated:
            return False
        return (self.user_id is not None and self.user_id == user.pk) or scope_of(
            user).can_edit_city(self.city)

    @property
    def is_erased(self):
        return hasattr(self, "erasure")


class PersonErasure(models.Model):
    """The record that a person was erased on request: who, when and why, never what was
    erased. One per person, so a person cannot be erased twice."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="erasure")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-at"]

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError("The erasure log is append-only.")
        super().save(*args, **kwargs)


class WorkingGroupQuerySet(CityScopedQuerySet):
    publishable = True

    def with_active_count(self, on=None):
        on = on or timezone.localdate()
        return self.annotate(
            active_count=Count(
                "memberships",
                filter=Q(memberships__start__lte=on)
                & (Q(memberships__end__isnull=True) | Q(memberships__end__gte=on)),
            )
        )


class WorkingGroup(models.Model):
    """The city core working group (activity 1)."""

    city = models.OneToOneField(
        "networks.City", on_delete=models.CASCADE, related_name="working_group",
        verbose_name=_("city"),
    )
    established = models.DateField(_("established"), null=True, blank=True)
    published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Published groups show their members' names and roles to everyone."),
    )

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("core working group")
        verbose_name_plural = _("core working groups")

    def __str__(self):
        return str(_("Core working group of %(city)s") % {"city": self.city})

    def active_memberships(self, on=None):
        return self.memberships.active(on)

    @staticmethod
    def size_warning(count):
        """The message to show when the group is outside the plan's 10-15, else ''."""
        if GROUP_MIN <= count <= GROUP_MAX:
            return ""
        return _("The plan asks for %(min)s-%(max)s members; this group has %(count)s.") % {
            "min": GROUP_MIN, "max": GROUP_MAX, "count": count}


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


class Membership(models.Model):
    class GroupRole(models.TextChoices):
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("working group"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(
        _("role"), max_length=16, choices=GroupRole.choices, default=GroupRole.MEMBER
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["start", "id"]
        constraints = [
            # One open-ended membership per person and group, enforced by the database too.
            models.UniqueConstraint(
                fields=["group", "person"], condition=Q(end__isnull=True),
                name="membership_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_role_display()}"

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end date cannot be before the start date.")
        if self.group_id and self.person_id and self.person.city_id != self.group.city_id:
            errors["person"] = _("This person belongs to another city.")
        if errors:
            raise ValidationError(errors)
        if self.group_id and self.person_id and self.start:
            overlapping = Membership.objects.filter(group_id=self.group_id, person_id=self.person_id)
            if self.pk:
                overlapping = overlapping.exclude(pk=self.pk)
            far_future = dt.date.max
            for other in overlapping:
                if self.start <= (other.end or far_future) and other.start <= (self.end or far_future):
                    raise ValidationError(
                        {"person": _("%(person)s is already a member of this group for these dates.")
                         % {"person": self.person}}
                    )

    def end_on(self, day):
        """End the membership; the same rules as a new one (no overlap with a later one)."""
        previous = self.end
        self.end = day
        try:
            self.full_clean()
        except ValidationError:
            self.end = previous
            raise
        self.save(update_fields=["end"])


class MembershipChange(AppendOnly):
    """The audit trail of the working groups: a membership added, changed (its end, its role)
    or removed, by whom, when, before and after. Written by the signals below (the app, the
    API and the admin alike). References carry no database constraint, so the log neither
    blocks nor follows a deletion; the person is named through their record, so an erasure
    also erases the name here."""

    class Action(models.TextChoices):
        ADD = "add", _("Member added")
        CHANGE = "change", _("Membership changed")
        REMOVE = "remove", _("Membership removed")

    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING,
                           db_constraint=False, null=True, related_name="+")
    action = models.CharField(max_length=8, choices=Action.choices)
    city = models.ForeignKey("networks.City", on_delete=models.DO_NOTHING, db_constraint=False,
                             null=True, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.DO_NOTHING, db_constraint=False,
                               null=True, related_name="+")
    membership_ref = models.PositiveIntegerField(null=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")
        ordering = ["-at", "-id"]


def _membership_state(membership):
    return {"role": membership.role,
            "start": membership.start.isoformat() if membership.start else None,
            "end": membership.end.isoformat() if membership.end else None}


@receiver(pre_save, sender=Membership)
def _membership_before(sender, instance, raw=False, **kwargs):
    instance._audit_before = None
    if not raw and instance.pk:
        old = Membership.objects.filter(pk=instance.pk).first()
        instance._audit_before = _membership_state(old) if old else None


@receiver(post_save, sender=Membership)
def _membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # a backup being loaded
        return
    before, after = getattr(instance, "_audit_before", None), _membership_state(instance)
    if not created and before == after:
        return
    if before:  # only what changed
        changed = [k for k in after if before.get(k) != after[k]]
        before, after = {k: before.get(k) for k in changed}, {k: after[k] for k in changed}
    MembershipChange.objects.create(
        by=current_actor(), city_id=_group_city(instance), person_id=instance.person_id,
        membership_ref=instance.pk, before=before or {}, after=after,
        action=MembershipChange.Action.ADD if created else MembershipChange.Action.CHANGE)


@receiver(post_delete, sender=Membership)
def _membership_deleted(sender, instance, **kwargs):
    MembershipChange.objects.create(
        by=current_actor(), city_id=_group_city(instance), person_id=instance.person_id,
        membership_ref=instance.pk, before=_membership_state(instance),
        action=MembershipChange.Action.REMOVE)


def _group_city(membership):
    return (WorkingGroup.objects.filter(pk=membership.group_id)
            .values_list("city_id", flat=True).first())
