import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.concurrency import VersionedFormMixin
from apps.core.forms import LocalDateField, LocalDateInput, StyledFormMixin
from apps.events.models import AgendaItem, Event, Material, Registration, VulnerableGroup
from apps.events.services import network_people, organisation_people, working_group_people
from apps.networks.models import City
from apps.people.models import Organisation, Person

TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]  # 09:30, or 09.30 as Thai write it


class TimeInput(forms.TimeInput):
    """24-hour HH:MM as text. Not type="time": browsers show that in the device's own
    format (05:00 PM on many desktops), while programmes and invitations in Thailand write
    17:00 or 17.00 น.; the decimal keypad on phones has the dot."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": _("HH:MM"), "inputmode": "decimal", "maxlength": "5",
                 "size": "6", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs, format="%H:%M")


class LocalDateTimeWidget(forms.MultiWidget):
    template_name = "events/widgets/datetime.html"

    def __init__(self, attrs=None):
        super().__init__([LocalDateInput(), TimeInput()], attrs)

    def decompress(self, value):
        if value is None:
            return [None, None]
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return [value.date(), value.time().replace(second=0, microsecond=0)]


class LocalDateTimeField(forms.MultiValueField):
    """A date in the page's era (a Buddhist Era year in Thai) and a 24-hour time, read in
    the site's time zone (Bangkok) into an aware datetime."""

    widget = LocalDateTimeWidget

    def __init__(self, **kwargs):
        fields = (LocalDateField(), forms.TimeField(input_formats=TIME_FORMATS))
        super().__init__(fields, **kwargs)

    def compress(self, data_list):
        if not data_list or data_list[0] is None or data_list[1] is None:
            return None
        return timezone.make_aware(dt.datetime.combine(data_list[0], data_list[1]))


def _organisations(user, event):
    """National organisations and those of the event's cities, as far as the user sees."""
    cities = [event.city_activity.city_id] if event.city_activity_id else \
        event.network.cities.values("pk")
    return Organisation.objects.visible_to(user).filter(
        Q(city__isnull=True) | Q(city__in=cities)).select_related("city")


class EventForm(StyledFormMixin, forms.ModelForm):
    """A new event. Date, time and place change later through "Move", so that everyone
    registered hears of it."""

    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))
    registration_deadline = LocalDateTimeField(label=_("Registration deadline"), required=False,
                                               require_all_fields=False)

    class Meta:
        model = Event
        fields = ["title_th", "title_en", "description_th", "description_en", "starts_at",
                  "ends_at", "place_th", "place_en", "language", "organiser", "plan_activity",
                  "pilot", "capacity", "cap_per_city", "registration_deadline", "published"]
        widgets = {"description_th": forms.Textarea(attrs={"rows": 3}),
                   "description_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance
        self.fields["organiser"].queryset = _organisations(user, event)
        if event.network_id and event.network.plan_id:
            self.fields["plan_activity"].queryset = event.network.plan.activities.all()
            self.fields["plan_activity"].help_text = _(
                "Holding the event is then recorded on this activity of every city that "
                "took part.")
        else:
            self.fields.pop("plan_activity", None)
        if event.city_activity_id and "pilot" in self.fields:
            from apps.pilots.models import Pilot

            # The city's own pilots only (Event.clean refuses others too); a cancelled pilot
            # stays listed only for the event already linked to it.
            pilots = Pilot.objects.filter(city_id=event.city_activity.city_id)
            self.fields["pilot"].queryset = pilots.exclude(
                status=Pilot.Status.CANCELLED) | pilots.filter(pk=event.pilot_id or 0)
        else:
            self.fields.pop("pilot", None)

    def clean(self):
        data = super().clean()
        deadline, ends = data.get("registration_deadline"), data.get("ends_at")
        if deadline and ends and deadline > ends:
            self.add_error("registration_deadline",
                           _("Registration must close before the event ends."))
        return data


class DetailsForm(VersionedFormMixin, EventForm):
    """Editing an event that exists: everything but date, time, place and publishing."""

    class Meta(EventForm.Meta):
        fields = ["title_th", "title_en", "description_th", "description_en", "language",
                  "organiser", "pilot", "capacity", "cap_per_city", "registration_deadline"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields.pop(name, None)

    def _post_clean(self):
        pass  # the model's rules run in Event.update_details, under the event's lock

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields
                if name in self.fields}


class MoveForm(StyledFormMixin, forms.Form):
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))
    place_th = forms.CharField(label=_("place (Thai)"), max_length=300, required=False)
    place_en = forms.CharField(label=_("place (English)"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        return data


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(
        attrs={"rows": 2}), help_text=_("Sent to everyone registered or invited."))


class HeldForm(StyledFormMixin, forms.Form):
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(
        attrs={"rows": 4}), help_text=_("Recorded as evidence on the activity."))


class AgendaItemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["day", "time", "end_time", "title_th", "title_en", "speaker_name", "speaker",
                  "organisation"]
        widgets = {"time": TimeInput(), "end_time": TimeInput()}

    def __init__(self, *args, user, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event
        self.fields["time"].input_formats = TIME_FORMATS
        self.fields["end_time"].input_formats = TIME_FORMATS
        self.fields["speaker"].queryset = Person.objects.visible_to(user).select_related("city")
        self.fields["organisation"].queryset = Organisation.objects.visible_to(user)


class MaterialForm(StyledFormMixin, forms.ModelForm):
    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = Material
        fields = ["kind", "title", "file", "url"]


class RegisterForm(StyledFormMixin, forms.Form):
    """A coordinator registers someone: people they may see who are not registered yet."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    vulnerable_group = forms.ChoiceField(
        label=_("Vulnerable group (self-declared)"), required=False,
        choices=[("", _("Not declared"))] + VulnerableGroup.choices,
        help_text=_("Optional: only what the person says about themself."))

    def __init__(self, *args, user, event, **kwargs):
        super().__init__(*args, **kwargs)
        registered = Registration.objects.filter(event=event).active().values("person")
        self.fields["person"].queryset = (
            Person.objects.visible_to(user).exclude(pk__in=registered)
            .select_related("city").order_by("city__name_en", "full_name_th"))
        self.fields["person"].label_from_instance = lambda p: f"{p.full_name} ({p.city})"


class DeclareForm(forms.Form):
    """The self-declared vulnerable group, on the self-registration and check-in pages."""

    vulnerable_group = forms.ChoiceField(
        label=_("Vulnerable group (self-declared)"), required=False,
        choices=[("", _("Not declared"))] + VulnerableGroup.choices)


class InviteForm(StyledFormMixin, forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("People"), queryset=Person.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    groups = forms.ModelMultipleChoiceField(
        label=_("Core working groups (active members)"), queryset=City.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Everyone of these organisations"), queryset=Organisation.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple)
    whole_network = forms.BooleanField(
        label=_("The working groups of every city of the network"), required=False)
    resend = forms.BooleanField(
        label=_("Send a new link to those who have not answered yet"), required=False)

    def __init__(self, *args, user, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.event = user, event
        self.visible_people = Person.objects.visible_to(user)
        network = event.owner_network
        self.fields["people"].queryset = self.visible_people.filter(
            city__network=network).select_related("city", "organisation").order_by(
            "city__name_en", "full_name_th")
        self.fields["people"].label_from_instance = lambda p: f"{p.full_name} · {p.city}"
        cities = network.cities.all() if event.network_id else City.objects.filter(
            pk=event.city_activity.city_id)
        self.fields["groups"].queryset = cities.filter(
            pk__in=self.visible_people.values("city"))
        self.fields["groups"].label_from_instance = lambda c: str(c)
        self.fields["organisations"].queryset = _organisations(user, event)
        if not event.network_id:
            del self.fields["whole_network"]

    def clean(self):
        data = super().clean()
        if not (data.get("people") or data.get("groups") or data.get("organisations")
                or data.get("whole_network")):
            raise ValidationError(_("Choose whom to invite."))
        return data

    def invitees(self):
        """Everyone chosen, directly or through a group, limited to people the user sees."""
        data = self.cleaned_data
        chosen = Person.objects.filter(pk__in=[p.pk for p in data["people"]])
        if data["groups"]:
            chosen = chosen | working_group_people(data["groups"])
        for organisation in data["organisations"]:
            chosen = chosen | organisation_people(organisation)
        if data.get("whole_network"):
            chosen = chosen | network_people(self.event.network)
        return self.visible_people.filter(pk__in=chosen.values("pk")).select_related("city")
