import json

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.concurrency import VersionedFormMixin
from apps.core.forms import LocalDateField, StyledFormMixin
from apps.core.geo import clean_polygon
from apps.dialogues.models import (
    Dialogue, DialogueItem, FollowUpAction, Indicator, ItemKind, Nomination, Risk, RiskArea,
    VulnerableGroup, item_kinds_for,
)
from apps.dialogues.votes import MAX_DOTS, Method
from apps.people.models import Organisation, Person

GEOJSON_MAX_BYTES = 5 * 1024 * 1024


class DialogueForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    date = LocalDateField(label=_("Date held"), required=False)

    class Meta:
        model = Dialogue
        fields = ["date", "event", "summary_th", "summary_en"]
        widgets = {"summary_th": forms.Textarea(attrs={"rows": 5}),
                   "summary_en": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.events.models import Event

        # Only the events of this SLD activity: the dialogue is what one of them concluded.
        events = Event.objects.filter(city_activity=self.instance.city_activity_id)
        self.fields["event"].queryset = events.order_by("starts_at")
        if not events.exists():
            del self.fields["event"]


class RecordForm(StyledFormMixin, forms.ModelForm):
    """A record added to a dialogue: it goes after the records already there."""

    def __init__(self, *args, dialogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.dialogue = dialogue
        self.instance.dialogue = dialogue

    output = None  # the SLD output this form adds, when not every SLD collects it

    def clean(self):
        data = super().clean()
        if self.output:
            self.dialogue.require_collects(self.output)
        return data

    def save(self, commit=True):
        if self.instance.pk is None:
            related = type(self.instance).objects.filter(dialogue=self.dialogue)
            self.instance.order = self.dialogue.next_order(related)
        return super().save(commit)


class ItemForm(RecordForm):
    class Meta:
        model = DialogueItem
        fields = ["kind", "text_th", "text_en"]
        widgets = {"text_th": forms.Textarea(attrs={"rows": 2}),
                   "text_en": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, dialogue, **kwargs):
        super().__init__(*args, dialogue=dialogue, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in item_kinds_for(dialogue.number)]


class RiskForm(RecordForm):
    output = "risks"

    class Meta:
        model = Risk
        fields = ["hazard", "description_th", "description_en"]
        widgets = {"description_th": forms.Textarea(attrs={"rows": 2}),
                   "description_en": forms.Textarea(attrs={"rows": 2})}


class GroupForm(RecordForm):
    output = "groups"

    class Meta:
        model = VulnerableGroup
        fields = ["name_th", "name_en", "description_th", "description_en"]
        widgets = {"description_th": forms.Textarea(attrs={"rows": 2}),
                   "description_en": forms.Textarea(attrs={"rows": 2})}


class AreaForm(RecordForm):
    """A risk area: GeoJSON pasted (drawn in any GIS or online editor) or a .geojson file."""

    geometry = forms.CharField(
        label=_("Area (GeoJSON)"), required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_("A GeoJSON Polygon or MultiPolygon in WGS 84 (longitude, latitude)."),
    )
    geometry_file = forms.FileField(
        label=_("or a GeoJSON file"), required=False,
        help_text=_("A .geojson file with one Polygon or MultiPolygon; replaces the text above."),
    )

    output = "areas"

    class Meta:
        model = RiskArea
        fields = ["name_th", "name_en", "hazard", "geometry"]

    def clean(self):
        data = super().clean()
        upload = data.get("geometry_file")
        text = data.get("geometry") or ""
        field = "geometry"
        if upload:
            field = "geometry_file"
            if upload.size > GEOJSON_MAX_BYTES:
                self.add_error(field, _("The file is larger than %(mb)s MB.")
                               % {"mb": GEOJSON_MAX_BYTES // (1024 * 1024)})
                return data
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error(field, _("The file is not UTF-8 text."))
                return data
        if not text.strip():
            self.add_error("geometry", _("Paste the area as GeoJSON or upload a file."))
            return data
        try:
            data["geometry"] = self.instance.geometry = clean_polygon(single_feature(text))
        except forms.ValidationError as error:
            self.add_error(field, error)
        return data

    def _post_clean(self):
        # The geometry is already checked above; do not let the model say it twice.
        if self.has_error("geometry") or self.has_error("geometry_file"):
            self._validate_unique = False
            return
        super()._post_clean()


def single_feature(text):
    """A FeatureCollection of one feature (what most editors save) is that feature; several
    areas in one file must be added one by one, each with its name and hazard."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return text  # clean_polygon says where the JSON breaks
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        features = value.get("features") or []
        if len(features) != 1:
            raise forms.ValidationError(
                _("The file holds %(count)s features; add one area at a time.")
                % {"count": len(features)}, code="features")
        return features[0]
    return value


class NominationForm(RecordForm):
    output = "nominations"

    class Meta:
        model = Nomination
        fields = ["organisation", "name", "topic_th", "topic_en"]

    def __init__(self, *args, dialogue, **kwargs):
        super().__init__(*args, dialogue=dialogue, **kwargs)
        city = dialogue.city_activity.city_id
        # The city's own organisations and national ones: never another city's.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(city=city) | Q(city__isnull=True))


class IndicatorForm(RecordForm):
    output = "indicators"

    class Meta:
        model = Indicator
        fields = ["criterion_th", "criterion_en", "name_th", "name_en", "unit"]


class ActionForm(RecordForm):
    due = LocalDateField(label=_("Due"), required=False)

    class Meta:
        model = FollowUpAction
        fields = ["text_th", "text_en", "owner", "owner_name", "due"]
        widgets = {"text_th": forms.Textarea(attrs={"rows": 2}),
                   "text_en": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, dialogue, **kwargs):
        super().__init__(*args, dialogue=dialogue, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(
            city=dialogue.city_activity.city_id)

    def save(self, commit=True):
        # Actions are ordered by due date; `order` is not theirs.
        return forms.ModelForm.save(self, commit)


RECORD_FORMS = {
    "item": ItemForm, "risk": RiskForm, "group": GroupForm, "area": AreaForm,
    "nomination": NominationForm, "indicator": IndicatorForm, "action": ActionForm,
}


class ActionStatusForm(StyledFormMixin, forms.Form):
    action = forms.ChoiceField(choices=[("complete", _("Mark done")), ("reopen", _("Reopen"))],
                               widget=forms.HiddenInput)
    on = LocalDateField(label=_("Done on"), required=False)


# -- votes --------------------------------------------------------------------------------
VOTABLE_KINDS = (ItemKind.NEED, ItemKind.ISSUE, ItemKind.STRATEGIC_ISSUE, ItemKind.GAP)


class VoteOpenForm(StyledFormMixin, forms.Form):
    title_th = forms.CharField(label=_("Question (Thai)"), max_length=300)
    title_en = forms.CharField(label=_("Question (English)"), max_length=300, required=False)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices,
                               widget=forms.RadioSelect, initial=Method.BORDA)
    dots = forms.IntegerField(
        label=_("Dots per voter"), required=False, min_value=1, max_value=MAX_DOTS,
        help_text=_("Dot voting only."),
    )
    held_on = LocalDateField(
        label=_("Vote date"), required=False,
        help_text=_("Members of the working group on this day may vote. Empty: the dialogue's "
                    "date, or today."),
    )
    show_live = forms.BooleanField(
        label=_("Show running totals to the city team before the vote closes"), required=False)
    options = forms.MultipleChoiceField(
        label=_("Options"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick at least two records of this dialogue to rank."),
    )

    def __init__(self, *args, dialogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {}
        groups = []
        risks = list(dialogue.risks.all())
        if risks:
            groups.append((_("Risks"), [
                (f"risk-{r.pk}", f"{r.get_hazard_display()}: {r.description}") for r in risks]))
            self.sources.update({f"risk-{r.pk}": r for r in risks})
        items = list(dialogue.items.filter(kind__in=VOTABLE_KINDS))
        for kind in VOTABLE_KINDS:
            rows = [item for item in items if item.kind == kind]
            if rows:
                groups.append((kind.label, [(f"item-{i.pk}", i.text) for i in rows]))
                self.sources.update({f"item-{i.pk}": i for i in rows})
        self.fields["options"].choices = groups
        for name in ("method", "options"):
            self.fields[name].widget.attrs.pop("class", None)

    def clean(self):
        data = super().clean()
        if data.get("method") == Method.DOTS and not data.get("dots"):
            self.add_error("dots", _("Say how many dots each voter has."))
        return data

    def open(self, dialogue, by):
        from apps.dialogues.votes import Vote

        data = self.cleaned_data
        return Vote.objects.open(
            dialogue, by, title_th=data["title_th"], title_en=data["title_en"],
            method=data["method"], dots=data.get("dots"), held_on=data.get("held_on"),
            show_live=data["show_live"],
            sources=[self.sources[value] for value in data["options"]],
        )


class BallotForm(forms.Form):
    """One field per option: a rank from a select box (Borda, works without JavaScript) or a
    number of dots. Whether the whole ballot is valid is the vote's rule (Vote.read_ballot)."""

    def __init__(self, *args, vote, options, ballot_entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote = vote
        current = {entry.option_id: entry for entry in ballot_entries or []}
        n = len(options)
        for option in options:
            entry = current.get(option.pk)
            name = f"option_{option.number}"
            if vote.is_borda:
                self.fields[name] = forms.TypedChoiceField(
                    label=option.label, required=False, coerce=int, empty_value=None,
                    choices=[("", "—")] + [(rank, rank) for rank in range(1, n + 1)],
                    initial=entry and entry.rank,
                )
            else:
                self.fields[name] = forms.IntegerField(
                    label=option.label, required=False,
                    initial=entry.points if entry else None,
                    widget=forms.NumberInput(attrs={"min": 0, "max": vote.dots,
                                                    "inputmode": "numeric"}),
                )
            self.fields[name].option = option
            self.fields[name].widget.attrs["class"] = "input"

    def values(self):
        return {field.option.number: self.cleaned_data.get(name)
                for name, field in self.fields.items()}
