from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.geo import clean_polygon
from apps.core.i18n import BilingualMixin, Localized


class Country(models.TextChoices):
    THAILAND = "TH", _("Thailand")
    VIETNAM = "VN", _("Vietnam")
    INDONESIA = "ID", _("Indonesia")
    INDIA = "IN", _("India")
    PHILIPPINES = "PH", _("Philippines")
    LAOS = "LA", _("Laos")
    CAMBODIA = "KH", _("Cambodia")
    MYANMAR = "MM", _("Myanmar")
    BANGLADESH = "BD", _("Bangladesh")


class Network(BilingualMixin):
    """A programme network: cities running a plan under one national coordinator."""

    slug = models.SlugField(unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    coordinator = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="coordinated_networks", verbose_name=_("national coordinator"),
    )
    plan = models.ForeignKey(
        "plans.PlanTemplate", on_delete=models.PROTECT, null=True, blank=True,
        related_name="networks", verbose_name=_("adopted plan"),
    )
    plan_start = models.DateField(_("plan start"), null=True, blank=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name_en"]

    description = Localized("description")


class City(BilingualMixin):
    """A city of a network. Programme cities run the whole plan; partner cities join
    the network-wide activities only (the 10-city workshop)."""

    class Participation(models.TextChoices):
        PROGRAMME = "programme", _("Runs the plan")
        PARTNER = "partner", _("Network partner")

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="cities", verbose_name=_("network")
    )
    slug = models.SlugField(unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    province_th = models.CharField(_("province (Thai)"), max_length=200, blank=True)
    province_en = models.CharField(_("province (English)"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    participation = models.CharField(
        _("participation"), max_length=16, choices=Participation.choices,
        default=Participation.PROGRAMME,
    )

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["country", "name_en"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                | models.Q(latitude__isnull=True),
                name="city_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180)
                | models.Q(longitude__isnull=True),
                name="city_longitude_range",
            ),
        ]

    province = Localized("province")

    @property
    def is_programme(self):
        return self.participation == self.Participation.PROGRAMME

    def clean(self):
        try:
            self.boundary = clean_polygon(self.boundary)
        except ValidationError as error:
            raise ValidationError({"boundary": error}) from None
