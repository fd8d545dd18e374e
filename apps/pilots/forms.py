"""Forms of a pilot's implementation tracking: workplan, spending, reports, review."""
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy as _

from apps.core.forms import LocalDateField, StyledFormMixin
from apps.core.images import reencode_image
from apps.pilots.models import (
    Expense, Milestone, Pilot, PilotBudgetLine, PilotComponent, ProgressReport,
)
from apps.studies.files import sniff

PHOTOS_PER_REPORT = 10


class ScheduleForm(StyledFormMixin, forms.ModelForm):
    """The implementation period (spending is compared with the time gone by) and status."""

    start_date = LocalDateField(label=_("start date"))
    end_date = LocalDateField(label=_("end date"))

    class Meta:
        model = Pilot
        fields = ["start_date", "end_date", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Cancelling follows the funder's decision (a correction), not this form.
        self.fields["status"].choices = [c for c in Pilot.Status.choices
                                         if c[0] != Pilot.Status.CANCELLED]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", gettext("The end date must be after the start date."))
        return data


class ComponentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PilotComponent
        fields = ["title_th", "title_en", "weight"]


class MilestoneForm(StyledFormMixin, forms.ModelForm):
    planned_start = LocalDateField(label=_("planned start"), required=False)
    planned_end = LocalDateField(label=_("planned end"), required=False)

    class Meta:
        model = Milestone
        fields = ["component", "title_th", "title_en", "planned_start", "planned_end",
                  "status", "percent", "weight"]

    def __init__(self, *args, pilot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = PilotComponent.objects.filter(pilot=pilot)


def clean_receipt(upload):
    """A receipt is a PDF (checked from its first bytes) or a photo (re-encoded)."""
    name = upload.name.rsplit("/", 1)[-1]
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(gettext("“%(name)s” is larger than %(mb)s MB.") % {
            "name": name, "mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)})
    upload.seek(0)
    kind = sniff(upload.read(16), upload)
    upload.seek(0)
    if kind == "pdf":
        return upload, "application/pdf"
    if kind in ("png", "jpeg", "webp"):
        clean = reencode_image(upload)
        return clean, clean.content_type
    raise ValidationError(gettext("“%(name)s” is not a PDF or a JPEG, PNG or WebP image.")
                          % {"name": name})


class ExpenseForm(StyledFormMixin, forms.ModelForm):
    date = LocalDateField(label=_("date"))

    class Meta:
        model = Expense
        fields = ["line", "amount", "date", "description", "receipt"]

    def __init__(self, *args, pilot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = PilotBudgetLine.objects.filter(pilot=pilot)
        self.fields["receipt"].help_text = _("PDF or photo; photos are re-encoded.")

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError(gettext("The amount must be more than zero."))
        return amount

    def clean_receipt(self):
        upload = self.cleaned_data.get("receipt")
        if not upload or not hasattr(upload, "size"):
            return upload
        clean, content_type = clean_receipt(upload)
        self.instance.receipt_type = content_type
        return clean


class ReportForm(StyledFormMixin, forms.ModelForm):
    period_end = LocalDateField(label=_("end of the period"), required=False)
    photo = forms.FileField(label=_("photo"), required=False,
                            help_text=_("JPEG, PNG or WebP; re-encoded without its metadata."))
    caption = forms.CharField(label=_("caption"), max_length=300, required=False)

    class Meta:
        model = ProgressReport
        fields = ["period", "period_end", "narrative_th", "narrative_en", "percent", "issues"]
        widgets = {"narrative_th": forms.Textarea(attrs={"rows": 5}),
                   "narrative_en": forms.Textarea(attrs={"rows": 5}),
                   "issues": forms.Textarea(attrs={"rows": 3})}

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if self.instance.pk and self.instance.photos.count() >= PHOTOS_PER_REPORT:
            raise ValidationError(gettext("A report has at most %(n)s photos.")
                                  % {"n": PHOTOS_PER_REPORT})
        return reencode_image(upload)


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("decision"), widget=forms.RadioSelect, choices=[
        ("accept", _("Accept the report")), ("return", _("Return it to the team"))])
    comment = forms.CharField(label=_("comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when the report is returned."))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", gettext(
                "Say what should change: a returned report needs a comment."))
        return data
