"""City baseline profiles: the baseline data each city brings to the 10-city planning workshop
(plan activity 6, ISET, held in English) and reuses in its vulnerability assessment
(activity 5).

- `BaselineProfile`: one per city. Population and growth, economy and livelihoods,
  infrastructure and services, climate-normal metadata and data sources, with the narrative
  texts in Thai and English (the workshop's data sheet prints the English ones).
- `EconomicSector`, `LandUse`: small share lists (% of the economy / of the city's area);
  shares add up to at most 100 (`check_shares`, used by the forms and the API alike).
- `PastDisaster`: a disaster the city lived through, dated to the day, month or year.
- `ClimateNormal`: one calendar month of the climate normals (Tmax, Tmin, rainfall, rain days).

Completeness is a list of named checks (`CHECKS`) computed in the database by
`BaselineProfileQuerySet.with_checks()`, so a page or the network dashboard gets every city's
percentage in one query; `profile.completeness` turns the annotations into what pages show.
"""
import calendar
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet
from apps.core import dates
from apps.core.i18n import Localized
from apps.dialogues.models import Hazard

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def _filled(name):
    """A bilingual text counts as filled in either language."""
    return ~Q(**{f"{name}_th": ""}) | ~Q(**{f"{name}_en": ""})


@dataclass(frozen=True)
class Check:
    """One completeness check: `name` (stable, used in the API and as the page's anchor),
    what the page says is missing, and the section of the edit form that fills it."""

    name: str
    label: object
    anchor: str


# The documented completeness checks, in the order the workshop's data sheet reads. Each is
# one boolean the database computes (see BaselineProfileQuerySet.with_checks); the percentage
# is the share of checks passed.
CHECKS = [
    Check("population", _("Population with its year and source"), "population"),
    Check("growth", _("Annual population growth rate"), "population"),
    Check("area", _("Area (km²)"), "population"),
    Check("households", _("Number of households"), "population"),
    Check("economy", _("Economy and livelihoods (text)"), "economy"),
    Check("sectors", _("Main economic sectors"), "economy"),
    Check("land_use", _("Land use shares"), "land-use"),
    Check("water", _("Water supply coverage"), "infrastructure"),
    Check("services", _("Health facilities and schools"), "infrastructure"),
    Check("infrastructure", _("Infrastructure and services (text)"), "infrastructure"),
    Check("disasters", _("At least one past disaster"), "disasters"),
    Check("climate", _("Climate normals for all 12 months, with their period"), "climate"),
    Check("sources", _("Data sources"), "sources"),
    Check("english", _("English texts for the workshop data sheet"), "economy"),
]


class BaselineProfileQuerySet(CityScopedQuerySet):
    publishable = True

    def with_checks(self):
        """Annotate `check_<name>` for every check in CHECKS, in the same query."""
        normals = (ClimateNormal.objects.filter(profile=OuterRef("pk")).order_by()
                   .values("profile").annotate(n=Count("pk")).values("n"))
        conditions = {
            "population": Q(population__isnull=False, population_year__isnull=False)
            & ~Q(population_source=""),
            "growth": Q(growth_rate__isnull=False),
            "area": Q(area_km2__isnull=False),
            "households": Q(households__isnull=False),
            "economy": _filled("economy"),
            "sectors": Q(Exists(EconomicSector.objects.filter(profile=OuterRef("pk")))),
            "land_use": Q(Exists(LandUse.objects.filter(profile=OuterRef("pk")))),
            "water": Q(water_coverage__isnull=False),
            "services": Q(health_facilities__isnull=False, schools__isnull=False),
            "infrastructure": _filled("infrastructure"),
            "disasters": Q(Exists(PastDisaster.objects.filter(profile=OuterRef("pk")))),
            "climate": Q(climate_normal_count=12) & ~Q(climate_period=""),
            "sources": _filled("sources"),
            # The workshop runs in English: every narrative written in Thai has its English.
            "english": ~Q(economy_en="", infrastructure_en="")
            & (Q(economy_th="") | ~Q(economy_en=""))
            & (Q(infrastructure_th="") | ~Q(infrastructure_en="")),
        }
        if set(conditions) != {check.name for check in CHECKS}:  # not an assert: python -O
            raise RuntimeError("Every completeness CHECK needs its condition here.")
        return self.annotate(climate_normal_count=Coalesce(Subquery(normals), 0)).annotate(**{
            f"check_{name}": ExpressionWrapper(condition, output_field=models.BooleanField())
            for name, condition in conditions.items()
        })

    def for_cities(self, cities, user):
        """{city id: profile with checks} for the given cities, as `user` may see them: one
        query, for the network dashboard and the API list."""
        rows = self.visible_to(user).filter(city__in=cities).with_checks()
        return {profile.city_id: profile for profile in rows}


class Completeness:
    """What a profile's checks say: the percentage, the checks passed and those missing."""

    def __init__(self, results):
        self.results = results  # [(Check, bool)] in CHECKS order
        self.passed = [check for check, ok in results if ok]
        self.missing = [check for check, ok in results if not ok]
        self.percent = round(100 * len(self.passed) / len(results)) if results else 0

    @classmethod
    def empty(cls):
        return cls([(check, False) for check in CHECKS])

    def __int__(self):
        return self.percent


class BaselineProfile(models.Model):
    city = models.OneToOneField("networks.City", on_delete=models.CASCADE,
                                related_name="baseline", verbose_name=_("city"))
    # -- population ------------------------------------------------------------------
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("population year"), null=True, blank=True,
        validators=[MinValueValidator(dates.MIN_YEAR), MaxValueValidator(dates.MAX_YEAR)])
    population_source = models.CharField(_("population source"), max_length=300, blank=True)
    growth_rate = models.DecimalField(
        _("annual growth rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(-20), MaxValueValidator(20)])
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=9, decimal_places=2, null=True,
                                   blank=True, validators=[MinValueValidator(Decimal("0.01"))])
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    # -- economy and livelihoods ----------------------------------------------------
    economy_th = models.TextField(_("economy and livelihoods (Thai)"), blank=True)
    economy_en = models.TextField(_("economy and livelihoods (English)"), blank=True)
    # -- land use --------------------------------------------------------------------
    land_use_note_th = models.TextField(_("land use notes (Thai)"), blank=True)
    land_use_note_en = models.TextField(_("land use notes (English)"), blank=True)
    # -- infrastructure and services --------------------------------------------------
    water_coverage = models.DecimalField(
        _("households with piped water (%)"), max_digits=5, decimal_places=1, null=True,
        blank=True, validators=PERCENT)
    electricity_coverage = models.DecimalField(
        _("households with electricity (%)"), max_digits=5, decimal_places=1, null=True,
        blank=True, validators=PERCENT)
    drainage_km = models.DecimalField(_("drainage network (km)"), max_digits=8,
                                      decimal_places=1, null=True, blank=True,
                                      validators=[MinValueValidator(0)])
    solid_waste_tpd = models.DecimalField(_("solid waste (tonnes a day)"), max_digits=8,
                                          decimal_places=1, null=True, blank=True,
                                          validators=[MinValueValidator(0)])
    health_facilities = models.PositiveIntegerField(_("hospitals and health centres"),
                                                    null=True, blank=True)
    schools = models.PositiveIntegerField(_("schools"), null=True, blank=True)
    infrastructure_th = models.TextField(_("infrastructure and services (Thai)"), blank=True)
    infrastructure_en = models.TextField(_("infrastructure and services (English)"), blank=True)
    # -- climate normals (the monthly rows are ClimateNormal) ---------------------------
    climate_period = models.CharField(
        _("normals period"), max_length=9, blank=True,
        help_text=_("The years the normals average, e.g. 1981-2010."))
    climate_station = models.CharField(_("weather station"), max_length=200, blank=True)
    climate_source = models.CharField(_("climate normals source"), max_length=300, blank=True)
    # -- sources ---------------------------------------------------------------------
    sources_th = models.TextField(_("data sources (Thai)"), blank=True)
    sources_en = models.TextField(_("data sources (English)"), blank=True)

    published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Published baselines are visible to other cities and the public."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    objects = BaselineProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("baseline profile")
        verbose_name_plural = _("baseline profiles")
        constraints = [
            models.CheckConstraint(condition=Q(water_coverage__gte=0, water_coverage__lte=100)
                                   | Q(water_coverage__isnull=True),
                                   name="baseline_water_coverage_percent"),
            models.CheckConstraint(
                condition=Q(electricity_coverage__gte=0, electricity_coverage__lte=100)
                | Q(electricity_coverage__isnull=True),
                name="baseline_electricity_coverage_percent"),
            models.CheckConstraint(condition=Q(area_km2__gt=0) | Q(area_km2__isnull=True),
                                   name="baseline_area_positive"),
        ]

    def __str__(self):
        return str(self.city)

    economy = Localized("economy")
    land_use_note = Localized("land_use_note")
    infrastructure = Localized("infrastructure")
    sources = Localized("sources")

    @property
    def density(self):
        """People per km², when both numbers are known."""
        if self.population is None or not self.area_km2:
            return None
        return round(self.population / float(self.area_km2))

    @property
    def completeness(self):
        """The Completeness of this profile: from with_checks() annotations when present,
        else one query."""
        if not hasattr(self, "check_population"):
            if self.pk is None:
                return Completeness.empty()
            annotated = BaselineProfile.objects.with_checks().get(pk=self.pk)
            for check in CHECKS:
                setattr(self, f"check_{check.name}", getattr(annotated, f"check_{check.name}"))
        return Completeness([(check, bool(getattr(self, f"check_{check.name}")))
                             for check in CHECKS])

    def clean(self):
        period = self.climate_period.strip()
        if period:
            start, _sep, end = period.partition("-")
            if not (start.isdigit() and end.isdigit() and len(start) == len(end) == 4):
                raise ValidationError({"climate_period": _(
                    "Write the period as two years, e.g. 1981-2010.")})
            start, end = int(start), int(end)
            if start >= 2400:  # Buddhist Era years: store the Gregorian ones
                start, end = start - dates.BE_OFFSET, end - dates.BE_OFFSET
            if not (dates.MIN_YEAR - 100 <= start < end <= dates.MAX_YEAR):
                raise ValidationError({"climate_period": _(
                    "The period must run from an earlier year to a later one.")})
            self.climate_period = f"{start}-{end}"


def check_shares(rows, what):
    """Shares (in %) of a list must add up to at most 100: name the row where the running
    total first goes over. `rows` is [(row number, label, share or None)]."""
    total = Decimal(0)
    for number, label, share in rows:
        total += Decimal(share or 0)
        if total > 100:
            raise ValidationError(
                _("Row %(row)s (%(label)s): the %(what)s shares add up to %(total)s%%, more "
                  "than 100%%.") % {"row": number, "label": label, "what": what,
                                   "total": f"{total.normalize():f}"},
                code="shares_over_100")
    return total


class ShareRow(models.Model):
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=1, null=True,
                                blank=True, validators=PERCENT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "id"]


class EconomicSector(ShareRow):
    profile = models.ForeignKey(BaselineProfile, on_delete=models.CASCADE,
                                related_name="sectors", verbose_name=_("baseline profile"))
    name_th = models.CharField(_("sector (Thai)"), max_length=200, blank=True)
    name_en = models.CharField(_("sector (English)"), max_length=200, blank=True)

    class Meta(ShareRow.Meta):
        verbose_name = _("economic sector")
        verbose_name_plural = _("economic sectors")
        constraints = [models.CheckConstraint(condition=~Q(name_th="", name_en=""),
                                              name="economicsector_named")]

    def __str__(self):
        return self.name

    name = Localized("name")


class LandUse(ShareRow):
    class Category(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        COMMERCIAL = "commercial", _("Commercial")
        INDUSTRIAL = "industrial", _("Industrial")
        AGRICULTURAL = "agricultural", _("Agricultural")
        GOVERNMENT = "government", _("Government and institutions")
        GREEN = "green", _("Parks and open space")
        FOREST = "forest", _("Forest")
        WATER = "water", _("Water bodies")
        TRANSPORT = "transport", _("Roads and transport")
        OTHER = "other", _("Other")

    profile = models.ForeignKey(BaselineProfile, on_delete=models.CASCADE,
                                related_name="land_use", verbose_name=_("baseline profile"))
    category = models.CharField(_("land use"), max_length=20, choices=Category.choices)
    detail_th = models.CharField(_("detail (Thai)"), max_length=200, blank=True)
    detail_en = models.CharField(_("detail (English)"), max_length=200, blank=True)

    class Meta(ShareRow.Meta):
        verbose_name = _("land use")
        verbose_name_plural = _("land use")

    def __str__(self):
        label = str(self.get_category_display())
        return f"{label} ({self.detail})" if self.detail else label

    detail = Localized("detail")


class PastDisaster(models.Model):
    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    profile = models.ForeignKey(BaselineProfile, on_delete=models.CASCADE,
                                related_name="disasters", verbose_name=_("baseline profile"))
    # A month-precise disaster is stored on the 1st of its month, a year-precise one on 1 Jan,
    # so they sort with the dated ones.
    date = models.DateField(_("date"))
    precision = models.CharField(_("known to the"), max_length=5, choices=Precision.choices,
                                 default=Precision.DAY)
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)
    area_th = models.CharField(_("area affected (Thai)"), max_length=300, blank=True)
    area_en = models.CharField(_("area affected (English)"), max_length=300, blank=True)
    people_affected = models.PositiveIntegerField(_("people affected"), null=True, blank=True)
    deaths = models.PositiveIntegerField(_("deaths"), null=True, blank=True)
    damage_thb = models.DecimalField(_("damage (THB)"), max_digits=16, decimal_places=0,
                                     null=True, blank=True, validators=[MinValueValidator(0)])
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("past disaster")
        verbose_name_plural = _("past disasters")
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(condition=Q(damage_thb__gte=0)
                                              | Q(damage_thb__isnull=True),
                                              name="pastdisaster_damage_not_negative")]

    def __str__(self):
        return f"{self.get_hazard_display()} {self.when()}"

    area = Localized("area")

    def when(self, lang=None):
        """The date as precise as it is known: 9 March 2010 / March 2010 / 2010 (BE in Thai)."""
        if self.precision == self.Precision.YEAR:
            return str(dates.display_year(self.date.year, lang))
        if self.precision == self.Precision.MONTH:
            months = dates.THAI_MONTHS if dates.is_thai(lang) else dates.ENGLISH_MONTHS
            return f"{months[self.date.month - 1]} {dates.display_year(self.date.year, lang)}"
        return dates.format_date(self.date, lang)

    def clean(self):
        if self.date and self.precision != self.Precision.DAY:
            self.date = self.date.replace(day=1)
            if self.precision == self.Precision.YEAR:
                self.date = self.date.replace(month=1)
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("A past disaster cannot be in the future.")})


class ClimateNormal(models.Model):
    profile = models.ForeignKey(BaselineProfile, on_delete=models.CASCADE,
                                related_name="normals", verbose_name=_("baseline profile"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    tmax = models.DecimalField(_("mean Tmax (°C)"), max_digits=4, decimal_places=1,
                               validators=[MinValueValidator(-50), MaxValueValidator(60)])
    tmin = models.DecimalField(_("mean Tmin (°C)"), max_digits=4, decimal_places=1,
                               validators=[MinValueValidator(-60), MaxValueValidator(50)])
    rainfall = models.DecimalField(_("rainfall (mm)"), max_digits=6, decimal_places=1,
                                   validators=[MinValueValidator(0)])
    rain_days = models.DecimalField(_("rain days"), max_digits=4, decimal_places=1, null=True,
                                    blank=True, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("climate normal")
        verbose_name_plural = _("climate normals")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "month"],
                                    name="climatenormal_one_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12),
                                   name="climatenormal_month_range"),
            models.CheckConstraint(condition=Q(tmin__lte=models.F("tmax")),
                                   name="climatenormal_tmin_not_above_tmax"),
            models.CheckConstraint(condition=Q(rainfall__gte=0),
                                   name="climatenormal_rainfall_not_negative"),
        ]

    def __str__(self):
        return f"{self.profile} {self.month}"

    def clean(self):
        errors = {}
        if self.tmin is not None and self.tmax is not None and self.tmin > self.tmax:
            errors["tmin"] = _("Tmin (%(tmin)s °C) is above Tmax (%(tmax)s °C).") % {
                "tmin": self.tmin, "tmax": self.tmax}
        if self.rain_days is not None and self.month and 1 <= self.month <= 12:
            days = calendar.monthrange(2000, self.month)[1]  # a leap year: February has 29
            if self.rain_days > days:
                errors["rain_days"] = _("A month has at most %(days)s days.") % {"days": days}
        if errors:
            raise ValidationError(errors)


def month_names(lang=None):
    """Short month names for tables and charts in the page's language."""
    return list(dates.THAI_MONTHS_SHORT if dates.is_thai(lang)
                else [m[:3] for m in dates.ENGLISH_MONTHS])
