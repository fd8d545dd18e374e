"""The climate evidence engine: a city's weather stations, their daily series, and analyses.

- `Station`: one weather station of a city (Thai Meteorological Department or another owner).
  Its `published` flag governs everything under it: until it is set, the station, its daily
  data, its uploads and its analyses are for the city's team and national coordinator only.
- `Observation`: one day of one station (rainfall, Tmax, Tmin; any may be missing).
- `SeriesUpload`: one accepted file (kept as uploaded) with what it contained and its gaps.
  Refused files are not recorded: an upload is all-or-nothing (apps.climate.imports).
- `Analysis`: the ETCCDI indices, their trend tests and the extreme-value fits of one station,
  computed in the background (apps.climate.tasks) with progress shown to the user. Other apps
  cite an analysis + index as evidence through `Analysis.result_for(code)`.
"""
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet, scope_of
from apps.core.i18n import Localized

# An ETCCDI annual index is left out for a year missing more days than this (ETCCDI's rule).
MAX_MISSING_DAYS = 15


class StationQuerySet(CityScopedQuerySet):
    city_path = "city"
    publishable = True

    def with_coverage(self):
        """Annotate the number of days recorded and the first and last date, in the same query."""
        days = (Observation.objects.filter(station=OuterRef("pk")).order_by()
                .values("station").annotate(n=Count("pk")).values("n"))
        return self.annotate(
            day_count=Subquery(days),
            first_date=Subquery(Observation.objects.filter(station=OuterRef("pk"))
                                .order_by("date").values("date")[:1]),
            last_date=Subquery(Observation.objects.filter(station=OuterRef("pk"))
                               .order_by("-date").values("date")[:1]),
        )

    def with_latest_analysis(self):
        """Annotate `latest_analysis_id`: the station's most recent finished analysis."""
        latest = (Analysis.objects.filter(station=OuterRef("pk"), status=Analysis.Status.DONE)
                  .order_by("-finished_at", "-pk").values("pk")[:1])
        return self.annotate(latest_analysis_id=Subquery(latest))


class UnderStationQuerySet(CityScopedQuerySet):
    """Records under a station: readable by everyone once the station is published."""

    city_path = "station__city"

    def visible_to(self, user):
        return self.filter(Q(station__published=True)
                           | scope_of(user).city_read_q(self.city_path))


class AnalysisQuerySet(UnderStationQuerySet):
    def finished(self):
        return self.filter(status=Analysis.Status.DONE)

    def of_city(self, city):
        return self.filter(station__city=city)

    def citable(self, city, user):
        """Finished analyses of the city's stations the user may read, newest first, with their
        station: what an assessment offers to attach as evidence (then `result_for(code)`)."""
        return (self.visible_to(user).of_city(city).finished().select_related("station")
                .order_by("-finished_at", "-pk"))


class Station(models.Model):
    city = models.ForeignKey("networks.City", on_delete=models.CASCADE, related_name="stations",
                             verbose_name=_("city"))
    code = models.CharField(_("station code"), max_length=40,
                            help_text=_("The owner's code for the station, e.g. 48303."))
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    elevation_m = models.FloatField(_("elevation (m)"), null=True, blank=True)
    source = models.CharField(_("source / owner"), max_length=200, blank=True,
                              help_text=_("e.g. Thai Meteorological Department"))
    published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Published stations, their data and analyses are visible to everyone."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    name = Localized("name")
    objects = StationQuerySet.as_manager()

    class Meta:
        ordering = ["city", "code"]
        verbose_name = _("weather station")
        verbose_name_plural = _("weather stations")
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="climate_station_code_unique"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="climate_station_latitude"),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="climate_station_longitude"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("climate:station", args=[self.city.slug, self.pk])

    def yearly_coverage(self):
        """Per calendar year: days in the year, days with a rainfall / Tmax / Tmin value and
        missing days (the most missing of the three), in one query."""
        rows = (self.observations.annotate(year=ExtractYear("date")).values("year")
                .annotate(prcp=Count("prcp_mm"), tmax=Count("tmax_c"), tmin=Count("tmin_c"),
                          first=Min("date"), last=Max("date"))
                .order_by("year"))
        coverage = []
        for row in rows:
            year = row["year"]
            days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
            missing = days - min(row["prcp"], row["tmax"], row["tmin"])
            coverage.append({**row, "days": days, "missing": missing, "present": days - missing,
                             "enough": days - MAX_MISSING_DAYS,
                             "complete": missing <= MAX_MISSING_DAYS})
        return coverage

    def series(self):
        """The daily series as numpy arrays (dates as datetime64[D]; NaN where missing)."""
        import numpy as np

        rows = list(self.observations.order_by("date")
                    .values_list("date", "prcp_mm", "tmax_c", "tmin_c"))
        dates = np.array([r[0] for r in rows], dtype="datetime64[D]")

        def column(i):
            return np.array([np.nan if r[i] is None else r[i] for r in rows], dtype=float)

        return dates, column(1), column(2), column(3)


class Observation(models.Model):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="observations")
    date = models.DateField()
    prcp_mm = models.FloatField(null=True, blank=True)
    tmax_c = models.FloatField(null=True, blank=True)
    tmin_c = models.FloatField(null=True, blank=True)

    objects = UnderStationQuerySet.as_manager()

    class Meta:
        ordering = ["station", "date"]
        constraints = [
            models.UniqueConstraint(fields=["station", "date"], name="climate_observation_day"),
            models.CheckConstraint(condition=Q(prcp_mm__isnull=True) | Q(prcp_mm__gte=0),
                                   name="climate_observation_prcp_positive"),
            models.CheckConstraint(
                condition=Q(tmax_c__isnull=True) | Q(tmin_c__isnull=True)
                | Q(tmin_c__lte=F("tmax_c")),
                name="climate_observation_tmin_le_tmax"),
        ]


def upload_path(instance, filename):
    return f"climate/{instance.station.city.slug}/{instance.station.pk}/{filename}"


class SeriesUpload(models.Model):
    class Mode(models.TextChoices):
        MERGE = "merge", _("Add the days and replace days already recorded")
        REPLACE = "replace", _("Replace the station's whole series")

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="uploads")
    file = models.FileField(_("file"), upload_to=upload_path)
    original_name = models.CharField(max_length=255)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode, default=Mode.MERGE)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)
    first_date = models.DateField(null=True)
    last_date = models.DateField(null=True)
    missing_days = models.PositiveIntegerField(default=0)  # days in the span without any value
    longest_gap = models.PositiveIntegerField(default=0)  # consecutive days without any value
    longest_gap_start = models.DateField(null=True)
    # {"years": {year: {"days": n, "prcp": missing, "tmax": missing, "tmin": missing}},
    #  "incomplete_years": [year, ...], "columns": {"date": "header as found", ...}}
    summary = models.JSONField(default=dict)

    objects = UnderStationQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    @property
    def filename(self):
        return self.original_name or self.file.name.rsplit("/", 1)[-1]

    @property
    def incomplete_years(self):
        return self.summary.get("incomplete_years", [])

    def year_rows(self):
        years = self.summary.get("years", {})
        return [{"year": int(year), **values} for year, values in sorted(years.items())]


class Analysis(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Stage(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        LOADING = "loading", _("Loading the daily data")
        INDICES = "indices", _("Computing the annual indices")
        TRENDS = "trends", _("Testing the trends")
        EXTREMES = "extremes", _("Fitting the extreme-value distributions")
        SAVING = "saving", _("Saving the results")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Stopped by an error")

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="analyses")
    hot_threshold = models.FloatField(
        _("hot-day threshold (°C)"), default=35.0,
        help_text=_("A day with Tmax above this counts as a hot day (SU35 by default)."))
    base_start = models.PositiveSmallIntegerField(_("base period from"), null=True, blank=True)
    base_end = models.PositiveSmallIntegerField(_("base period to"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # 0-100
    stage = models.CharField(max_length=10, choices=Stage, default=Stage.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # English message id + parameters, translated when shown (the worker has no user language).
    error = models.TextField(blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    # See apps.climate.analysis.compute for the layout.
    results = models.JSONField(default=dict, blank=True)

    objects = AnalysisQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("climate analysis")
        verbose_name_plural = _("climate analyses")
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100),
                                   name="climate_analysis_progress"),
            models.CheckConstraint(
                condition=Q(base_start__isnull=True, base_end__isnull=True)
                | Q(base_start__isnull=False, base_end__isnull=False,
                    base_start__lte=F("base_end")),
                name="climate_analysis_base_period"),
        ]

    def __str__(self):
        return gettext("Analysis %(id)s of %(station)s") % {"id": self.pk,
                                                            "station": self.station}

    def get_absolute_url(self):
        return reverse("climate:analysis", args=[self.station.city.slug, self.station_id, self.pk])

    @property
    def is_active(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def base_period(self):
        return (self.base_start, self.base_end) if self.base_start else None

    @property
    def error_message(self):
        """The failure in the reader's language."""
        if not self.error:
            return ""
        text = gettext(self.error)
        return text % self.error_params if self.error_params else text

    # -- state changes (saved at once with update(), so a page polling sees them) ---------
    def set_stage(self, stage, progress):
        from django.utils import timezone

        values = {"stage": stage, "progress": progress, "status": self.Status.RUNNING}
        if self.started_at is None:
            values["started_at"] = self.started_at = timezone.now()
        self.stage, self.progress, self.status = stage, progress, self.Status.RUNNING
        Analysis.objects.filter(pk=self.pk).update(**values)

    def finish(self, results):
        from django.utils import timezone

        self.results, self.status, self.stage = results, self.Status.DONE, self.Stage.DONE
        self.progress, self.finished_at = 100, timezone.now()
        self.error, self.error_params = "", {}
        self.save()

    def fail(self, message, params=None):
        """Record a failure; `message` is an English message id (translated when shown)."""
        from django.utils import timezone

        self.status, self.stage, self.finished_at = self.Status.FAILED, self.Stage.FAILED, \
            timezone.now()
        self.error, self.error_params = str(message), params or {}
        self.save()

    def run(self, **options):
        """Compute now, in this process (the background task and the demo call this);
        options go to apps.climate.analysis.compute."""
        from apps.climate.analysis import run_analysis

        run_analysis(self, **options)

    # -- what other apps cite -------------------------------------------------------------
    @property
    def index_codes(self):
        from apps.climate.analysis import ordered_codes

        return ordered_codes(self.results)

    def result_for(self, code):
        """A small summary of one index for citing it as evidence (e.g. an assessment's hazard
        trend): name, unit, years, direction and slope per decade of the Mann-Kendall test,
        the p-values of both tests, the number of years. None when the analysis has not
        finished or has no such index. Direction: "increasing", "decreasing", "no trend" or
        "too short" (with `reason`)."""
        from apps.climate.analysis import summarise

        if self.status != self.Status.DONE:
            return None
        return summarise(self.results, code)
