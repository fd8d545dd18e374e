"""Monitoring and evaluation (plan activities 12-13): the M&E framework a city agrees at SLD 3,
and the values it reports against it period by period.

The framework
- `LibraryIndicator`: the network's indicator library, so cities report comparable numbers
  (code unique per network, definition, unit, kind, plausible range, cumulative or not,
  disaggregation). A city's indicator may be picked from it (`Indicator.library`).
- `Criterion`: a city's M&E criterion (SLD 3 agreed criteria and indicators, optionally linked to
  the dialogue that agreed them).
- `Indicator`: a city's indicator under a criterion; city-wide (pilot empty) or one pilot's.
  `kind` quantitative (numbers, `unit`, `min_value`..`max_value`) or qualitative (text).
  `cumulative`: a period's value is that period's increment; the running total is the sum of the
  approved values of the periods so far (`Value.objects.running_totals`). `disaggregation` is a
  JSON object dimension -> categories, e.g. {"gender": ["women", "men"]}. `source`: "manual"
  values are entered or imported; the others are filled automatically from event attendance
  (apps.monitoring.participation) and refused from people.
- `Period`: the city's reporting period (start, end, label); unique (city, start). A locked period
  takes no more values in any report.
- `Target`: an indicator's target for a period (for cumulative indicators: the running total
  aimed at by the end of the period).

Reporting
- `Report`: the values of one city (city-wide, pilot empty) or one pilot for one period; unique
  (city, pilot, period). Workflow draft -> submitted -> approved (or returned with a comment ->
  submitted again); an approved report can be locked. Values are entered only in draft or
  returned, unlocked reports of unlocked periods. City-wide reports hold the city-wide
  indicators, a pilot's report the pilot's indicators. Each transition writes a `ReportChange`
  (append-only history). Reports are the city's own: readable by the city's readers and, for a
  pilot's report, its team (the proponent, Pilot.is_team); written by the city's editors and the
  pilot team; returned, approved and locked only by the city's editors.
- `Value`: one number (quantitative) or text (qualitative) of a report for an indicator and a
  category: "" is the total, "dimension:category" a disaggregation (e.g. "gender:women").
  Disaggregated categories of one dimension must add up to the total unless a `note` says why.
  The rules are in apps.monitoring.rules, shared by the entry form and the importer.
- `ValueImport`: a CSV/XLSX import of values running in the background (apps.monitoring.tasks)
  with its progress and, if it was refused, every bad row.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Sum, Window
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet, scope_of
from apps.core.i18n import Localized

NUMBER = {"max_digits": 20, "decimal_places": 4}


class Kind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative (a number)")
    QUALITATIVE = "qualitative", _("Qualitative (a text)")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Every six months")
    ANNUAL = "annual", _("Yearly")


def _thai_required(name):
    return models.CheckConstraint(condition=~Q(**{f"{name}_th": ""}),
                                  name=f"monitoring_%(class)s_{name}_th")


def _range_ok():
    return models.CheckConstraint(
        condition=Q(min_value__isnull=True) | Q(max_value__isnull=True)
        | Q(min_value__lte=F("max_value")), name="monitoring_%(class)s_range")


class IndicatorFields(models.Model):
    """What an indicator of the library and of a city share."""

    name_th = models.CharField(_("indicator (Thai)"), max_length=300)
    name_en = models.CharField(_("indicator (English)"), max_length=300, blank=True)
    definition_th = models.TextField(_("definition (Thai)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices,
                            default=Kind.QUANTITATIVE)
    min_value = models.DecimalField(_("lowest plausible value"), **NUMBER, null=True, blank=True)
    max_value = models.DecimalField(_("highest plausible value"), **NUMBER, null=True, blank=True)
    cumulative = models.BooleanField(
        _("cumulative"), default=False,
        help_text=_("Each period reports its increment; the running total adds the approved "
                    "periods up."))
    disaggregation = models.JSONField(
        _("disaggregation"), default=dict, blank=True,
        help_text=_('Dimensions and their categories, e.g. {"gender": ["women", "men"]}.'))

    name = Localized("name")
    definition = Localized("definition")

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def is_quantitative(self):
        return self.kind == Kind.QUANTITATIVE

    def categories(self):
        """The value cells of the indicator: "" (the total), then "dimension:category"."""
        from apps.monitoring.rules import categories_of

        return categories_of(self.disaggregation)

    def clean(self):
        from apps.monitoring.rules import check_disaggregation

        super().clean()
        problem = check_disaggregation(self.disaggregation)
        if problem:
            raise ValidationError({"disaggregation": problem})
        if self.kind == Kind.QUALITATIVE and self.disaggregation:
            raise ValidationError({"disaggregation": _("A qualitative indicator has no "
                                                       "disaggregation.")})


class LibraryIndicator(IndicatorFields):
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE,
                                related_name="indicator_library", verbose_name=_("network"))
    code = models.CharField(_("code"), max_length=30)

    class Meta:
        ordering = ["code"]
        verbose_name = _("library indicator")
        verbose_name_plural = _("indicator library")
        constraints = [
            models.UniqueConstraint(fields=["network", "code"], name="monitoring_library_code"),
            _thai_required("name"), _range_ok(),
        ]


class CityRecordQuerySet(CityScopedQuerySet):
    """Framework records: the city's readers read them; the pilot team reads its pilot's."""

    team_path = None  # path to the Pilot, for records a pilot team also reads

    def visible_to(self, user):
        visible = super().visible_to(user)
        if self.team_path and user.is_authenticated:
            visible = visible | self.filter(
                **{f"{self.team_path}__proposal__proponent": user})
        return visible


class CriterionQuerySet(CityScopedQuerySet):
    def start_from_sld3(self, city):
        """Copy the criteria and indicators agreed at the city's SLD 3 into its framework (the
        criteria by name; indicators not copied before). Returns the number of indicators
        added. Codes are SLD3-1, SLD3-2, ... (unique in the city, editable afterwards)."""
        from apps.dialogues.models import Dialogue

        dialogue = Dialogue.objects.for_sld(city, 3)
        if dialogue is None:
            return 0
        with transaction.atomic():
            criteria = {c.name_th: c for c in self.filter(city=city)}
            done = set(Indicator.objects.filter(city=city, sld_indicator__isnull=False)
                       .values_list("sld_indicator_id", flat=True))
            codes = set(Indicator.objects.filter(city=city).values_list("code", flat=True))
            added, number = [], 0
            for agreed in dialogue.indicators.all():
                number += 1
                if agreed.pk in done:
                    continue
                criterion = criteria.get(agreed.criterion_th)
                if criterion is None:
                    criterion = criteria[agreed.criterion_th] = self.create(
                        city=city, dialogue=dialogue, name_th=agreed.criterion_th,
                        name_en=agreed.criterion_en, order=len(criteria))
                code = f"SLD3-{number}"
                while code in codes:
                    code += "a"
                codes.add(code)
                added.append(Indicator(city=city, criterion=criterion, sld_indicator=agreed,
                                       code=code, name_th=agreed.name_th,
                                       name_en=agreed.name_en, unit=agreed.unit,
                                       order=agreed.order))
            Indicator.objects.bulk_create(added)
        return len(added)


class Criterion(models.Model):
    city = models.ForeignKey("networks.City", on_delete=models.CASCADE,
                             related_name="me_criteria", verbose_name=_("city"))
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="me_criteria",
                                 verbose_name=_("agreed at"))
    name_th = models.CharField(_("criterion (Thai)"), max_length=300)
    name_en = models.CharField(_("criterion (English)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CriterionQuerySet.as_manager()

    name = Localized("name")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [_thai_required("name")]

    def __str__(self):
        return self.name


class IndicatorQuerySet(CityRecordQuerySet):
    team_path = "pilot"

    def pick_from_library(self, criterion, library_indicators):
        """Add library indicators to the city's framework under `criterion`, keeping their
        code (unique in the city: ones already there are skipped). Returns those added."""
        city = criterion.city
        have = set(self.filter(city=city).values_list("code", flat=True))
        fields = ["name_th", "name_en", "definition_th", "definition_en", "unit", "kind",
                  "min_value", "max_value", "cumulative", "disaggregation"]
        added = [Indicator(city=city, criterion=criterion, library=item, code=item.code,
                           **{f: getattr(item, f) for f in fields})
                 for item in library_indicators if item.code not in have]
        return Indicator.objects.bulk_create(added)


class Indicator(IndicatorFields):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered or imported")
        PARTICIPANTS = "participants", _("Participants at the pilot's events")
        WOMEN_SHARE = "women_share", _("Share of women among participants")
        VULNERABLE = "vulnerable", _("Participants from vulnerable groups")

    city = models.ForeignKey("networks.City", on_delete=models.CASCADE,
                             related_name="me_indicators", verbose_name=_("city"))
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT,
                                  related_name="indicators", verbose_name=_("criterion"))
    pilot = models.ForeignKey("pilots.Pilot", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="me_indicators", verbose_name=_("pilot project"),
                              help_text=_("Empty for a city-wide indicator."))
    library = models.ForeignKey(LibraryIndicator, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="uses",
                                verbose_name=_("library indicator"))
    sld_indicator = models.ForeignKey("dialogues.Indicator", on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="me_indicators",
                                      verbose_name=_("agreed at SLD 3 as"))
    code = models.CharField(_("code"), max_length=30,
                            help_text=_("Short and unique in the city; imports name it."))
    baseline = models.DecimalField(_("baseline"), **NUMBER, null=True, blank=True)
    baseline_text = models.CharField(_("baseline (text)"), max_length=300, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices,
                                 default=Frequency.QUARTERLY)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    reporter = models.CharField(_("reported by"), max_length=200, blank=True)
    source = models.CharField(_("values from"), max_length=12, choices=Source.choices,
                              default=Source.MANUAL)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["criterion__order", "criterion_id", "order", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="monitoring_indicator_code"),
            _thai_required("name"), _range_ok(),
        ]

    @property
    def is_manual(self):
        return self.source == self.Source.MANUAL


class Period(models.Model):
    city = models.ForeignKey("networks.City", on_delete=models.CASCADE,
                             related_name="me_periods", verbose_name=_("city"))
    label_th = models.CharField(_("label (Thai)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    locked = models.BooleanField(_("locked"), default=False,
                                 help_text=_("A locked period takes no more values."))

    objects = CityScopedQuerySet.as_manager()

    label = Localized("label")

    class Meta:
        ordering = ["start"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["city", "start"], name="monitoring_period_start"),
            models.CheckConstraint(condition=Q(end__gte=F("start")),
                                   name="monitoring_period_order"),
            _thai_required("label"),
        ]

    def __str__(self):
        return self.label


class TargetQuerySet(CityScopedQuerySet):
    city_path = "indicator__city"


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(_("target"), **NUMBER)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["period__start"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"],
                                               name="monitoring_target_once")]


class ReportQuerySet(CityRecordQuerySet):
    team_path = "pilot"


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")

    city = models.ForeignKey("networks.City", on_delete=models.CASCADE,
                             related_name="me_reports", verbose_name=_("city"))
    pilot = models.ForeignKey("pilots.Pilot", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="me_reports", verbose_name=_("pilot project"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports",
                               verbose_name=_("period"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    locked = models.BooleanField(_("locked"), default=False)
    comment = models.TextField(_("return comment"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["period__start", "pilot_id", "pk"]
        verbose_name = _("indicator report")
        verbose_name_plural = _("indicator reports")
        constraints = [
            # (city, NULL, period) would never clash in a plain unique constraint.
            models.UniqueConstraint(fields=["city", "pilot", "period"],
                                    condition=Q(pilot__isnull=False),
                                    name="monitoring_report_pilot_once"),
            models.UniqueConstraint(fields=["city", "period"], condition=Q(pilot__isnull=True),
                                    name="monitoring_report_city_once"),
            models.CheckConstraint(condition=Q(locked=False) | Q(status="approved"),
                                   name="monitoring_report_locked_approved"),
        ]

    def __str__(self):
        who = self.pilot.title if self.pilot_id else gettext("city-wide")
        return f"{self.period} · {who}"

    # -- who may do what -----------------------------------------------------------------
    def is_open(self):
        """Values may change: a draft or returned, unlocked report of an unlocked period."""
        return (self.status in (self.Status.DRAFT, self.Status.RETURNED) and not self.locked
                and not self.period.locked)

    def can_write(self, user):
        """May enter values and submit: the city's editors and, for a pilot's report, the team."""
        if scope_of(user).can_edit_city(self.city):
            return True
        return self.pilot_id is not None and self.pilot.is_team(user)

    def can_review(self, user):
        return scope_of(user).can_edit_city(self.city)

    def indicators(self):
        """The indicators this report holds, with their criterion."""
        return (Indicator.objects.filter(city_id=self.city_id, pilot_id=self.pilot_id)
                .select_related("criterion"))

    # -- workflow (each a transaction with its history row) -------------------------------
    def _move(self, user, to, note="", **fields):
        with transaction.atomic():
            current = Report.objects.select_for_update().get(pk=self.pk)
            ReportChange.objects.create(report=self, by=user, from_status=current.status,
                                        to_status=to, comment=note)
            self.status = to
            for name, value in fields.items():
                setattr(self, name, value)
            self.save(update_fields=["status", *fields])

    def submit(self, user):
        if not self.is_open():
            raise ValidationError(_("Only a draft or returned report can be submitted."))
        self._move(user, self.Status.SUBMITTED, submitted_by=user, submitted_at=timezone.now())

    def return_(self, user, comment):
        comment = (comment or "").strip()
        if self.status != self.Status.SUBMITTED or self.locked:
            raise ValidationError(_("Only a submitted report can be returned."))
        if not comment:
            raise ValidationError({"comment": _("Say what needs changing.")})
        self._move(user, self.Status.RETURNED, comment, comment=comment, reviewed_by=user,
                   reviewed_at=timezone.now())

    def approve(self, user):
        if self.status != self.Status.SUBMITTED or self.locked:
            raise ValidationError(_("Only a submitted report can be approved."))
        self._move(user, self.Status.APPROVED, reviewed_by=user, reviewed_at=timezone.now())

    def lock(self, user):
        if self.status != self.Status.APPROVED or self.locked:
            raise ValidationError(_("Only an approved, unlocked report can be locked."))
        self._move(user, self.Status.APPROVED, gettext("Locked"), locked=True)

    # -- values ----------------------------------------------------------------------------
    def save_values(self, cells, user=None):
        """Check and store the cells {(indicator_id, category): (raw, note)} of the entry form.
        Returns {(indicator_id, category): message}; nothing is saved if any is not empty.
        Blank cells without a note delete the value."""
        from apps.monitoring.rules import ValueChecker, message

        if not self.is_open():
            return {(None, ""): gettext("This report takes no more values.")}
        indicators = {i.pk: i for i in self.indicators()}
        checker = ValueChecker(indicators.values())
        keep, errors = [], {}
        for (indicator_id, category), (raw, note) in cells.items():
            indicator = indicators.get(indicator_id)
            if indicator is None or not indicator.is_manual:
                continue
            note = (note or "").strip()
            if not str(raw).strip() and not note:
                continue  # a blank cell: no value
            number, text, error = checker.check(indicator, category, raw, note)
            if error:
                errors[(indicator_id, category)] = message(error)
            else:
                keep.append(Value(report=self, indicator=indicator, category=category,
                                  number=number, text=text, note=note))
        for _group, indicator_id, _row, error in checker.sum_errors():
            errors.setdefault((indicator_id, ""), message(error))
        if errors:
            return errors
        posted = {i for i, _category in cells if i in indicators and indicators[i].is_manual}
        with transaction.atomic():
            # The form posts whole rows of the grid: its rows replace what was there.
            self.values.filter(indicator_id__in=posted).delete()
            Value.objects.bulk_create(keep)
        return {}


class ReportChange(models.Model):
    """Append-only: who moved a report from which status to which, and why."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=10, choices=Report.Status.choices)
    to_status = models.CharField(max_length=10, choices=Report.Status.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Report history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Report history is append-only.")


class ValueQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(report__status=Report.Status.APPROVED)

    def running_totals(self, indicator, category="", pilot=None):
        """The indicator's approved values in period order, each with `running_total`: the sum
        of the approved values of its period and every earlier one (a cumulative indicator's
        progress). One query."""
        return (self.approved()
                .filter(indicator=indicator, category=category, report__pilot=pilot,
                        number__isnull=False)
                .select_related("report__period")
                .annotate(running_total=Window(Sum("number"),
                                               order_by=F("report__period__start").asc()))
                .order_by("report__period__start"))


class Value(models.Model):
    # The natural key is the primary key: one index to maintain when a million values are
    # imported (a surrogate id and its index would double the database's work; see
    # apps.monitoring.imports). Lookups by report lead with it; values are never referenced.
    pk = models.CompositePrimaryKey("report", "indicator", "category")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values",
                               db_index=False)
    # No index of its own: deleting an indicator (rare) scans; reading goes through reports.
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values",
                                  db_index=False)
    category = models.CharField(_("category"), max_length=100, blank=True)
    number = models.DecimalField(_("value"), **NUMBER, null=True, blank=True)
    text = models.TextField(_("value (text)"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator_id", "category"]


class ValueImport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Checking and saving")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Refused: nothing was saved")
        FAILED = "failed", _("Stopped by an error")

    city = models.ForeignKey("networks.City", on_delete=models.CASCADE,
                             related_name="me_imports")
    pilot = models.ForeignKey("pilots.Pilot", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="+", verbose_name=_("pilot project"))
    file = models.FileField(upload_to="monitoring/imports/")
    filename = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_saved = models.PositiveIntegerField(default=0)
    # [{"row": n, "column": "value", "message": English msgid, "params": {...}}], first 1000.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = CityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    @property
    def is_active(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def progress(self):
        if self.status in (self.Status.DONE, self.Status.REFUSED, self.Status.FAILED):
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0

    def error_messages(self):
        """The bad rows in the reader's language."""
        from apps.monitoring.rules import translate_error

        return [translate_error(e) for e in self.errors]
