"""Event pages: lists, the event page with its actions, invitations, registration, the
check-in page for the day and the printable sign-in sheet.

Reading follows Event.objects.visible_to (404 for what the user may not see); changing needs
the city's coordinators or the network's national coordinator (403 for readers). Participants
are personal data: only the event's own team sees the list.
"""
import mimetypes
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.scope import scope_of
from apps.core.access import access, require, require_city_edit, require_network_admin
from apps.core.concurrency import Conflict, conflict_response
from apps.events import pdf, services
from apps.events.forms import (
    AgendaItemForm, CancelForm, DeclareForm, DetailsForm, EventForm, HeldForm, InviteForm,
    MaterialForm, MoveForm, RegisterForm,
)
from apps.events.models import Event, Invitation, Material, Registration, VulnerableGroup
from apps.networks.models import City, Network
from apps.people.models import Person
from apps.progress.forms import apply_or_report
from apps.progress.models import CityActivity


# -- finding ----------------------------------------------------------------------------------
def _event(request, pk):
    """The event if the user may see it; 404 otherwise (never reveal that it exists)."""
    event = Event.objects.visible_to(request.user).with_related().with_counts().filter(
        pk=pk).first()
    if event is None:
        raise Http404(_("This event does not exist or is not published."))
    return event


def _editable(request, pk):
    event = _event(request, pk)
    require(event.can_edit(request.user))
    return event


def _own_person(user):
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("city").first()


def _back(request, event, anchor=""):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  request.is_secure()):
        return redirect(target)
    return redirect(reverse("events:detail", args=[event.pk]) + anchor)


def _report(request, error):
    messages.error(request, " ".join(error.messages))


# -- lists ------------------------------------------------------------------------------------
def _split(events):
    """Upcoming (soonest first) and past or finished (latest first), in one query."""
    now = timezone.now()
    rows = list(events.with_related().with_counts().order_by("starts_at", "id"))
    upcoming = [e for e in rows if e.status == Event.Status.SCHEDULED and e.ends_at >= now]
    past = [e for e in reversed(rows) if e not in upcoming]
    return upcoming, past


@access("public")
def city_list(request, slug):
    city = get_object_or_404(City.objects.select_related("network"), slug=slug)
    upcoming, past = _split(Event.objects.visible_to(request.user).for_city(city))
    can_edit = scope_of(request.user).can_edit_city(city)
    activities = (CityActivity.objects.visible_to(request.user).filter(
        city=city, plan_activity__plan=city.network.plan_id).select_related("plan_activity")
        .order_by("plan_activity__number") if can_edit else [])
    return render(request, "events/list.html", {
        "city": city, "network": city.network, "upcoming": upcoming, "past": past,
        "can_edit": can_edit, "activities": activities,
    })


@access("public")
def network_list(request, slug):
    network = get_object_or_404(Network, slug=slug)
    events = Event.objects.visible_to(request.user).in_network(network)
    upcoming, past = _split(events)
    return render(request, "events/list.html", {
        "network": network, "upcoming": upcoming, "past": past,
        "can_edit": scope_of(request.user).can_admin_network(network),
    })


# -- creating and editing ------------------------------------------------------------------------
def _create(request, event, back_url):
    event.apply_plan_defaults()
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        if apply_or_report(form, lambda: form.instance.create(request.user)):
            messages.success(request, _("Event created."))
            return redirect("events:detail", pk=form.instance.pk)
    return render(request, "events/form.html", {
        "form": form, "event": None, "parent": event.city_activity or event.network,
        "back_url": back_url, "title": _("New event"),
    })


@access("city-edit")
@require_http_methods(["GET", "POST"])
def create(request, slug, number):
    city = get_object_or_404(City.objects.select_related("network"), slug=slug)
    activity = (CityActivity.objects.visible_to(request.user)
                .filter(city=city, plan_activity__number=number,
                        plan_activity__plan=city.network.plan_id)
                .select_related("plan_activity", "city__network").first())
    if activity is None:
        raise Http404(_("This activity does not exist or is not published."))
    require_city_edit(request, city)
    return _create(request, Event(city_activity=activity),
                   reverse("progress:activity", args=[slug, number]))


@access("network-admin")
@require_http_methods(["GET", "POST"])
def network_create(request, slug):
    network = get_object_or_404(Network.objects.select_related("plan"), slug=slug)
    require_network_admin(request, network)
    return _create(request, Event(network=network),
                   reverse("events:network-list", args=[slug]))


@access("city-edit")
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    event = _editable(request, pk)
    form = DetailsForm(request.POST or None, instance=event, user=request.user)
    conflicts = []
    if request.method == "POST" and form.is_valid():
        promoted = []

        def save():
            try:
                promoted.extend(event.update_details(
                    request.user, expected_version=form.loaded_version, **form.changes()))
            except Conflict as conflict:
                conflicts.append(conflict)

        if apply_or_report(form, save) and not conflicts:
            messages.success(request, _("Saved."))
            if promoted:
                messages.success(request, _("%(count)s people moved off the waitlist.")
                                 % {"count": len(promoted)})
            return redirect("events:detail", pk=event.pk)
        if conflicts:
            form.show_conflict(conflicts[0])
    response = render(request, "events/form.html", {
        "form": form, "event": event, "title": _("Edit event"),
        "back_url": reverse("events:detail", args=[event.pk]),
    })
    return conflict_response(response) if conflicts else response


@access("city-edit")
@require_http_methods(["GET", "POST"])
def move(request, pk):
    event = _editable(request, pk)
    form = MoveForm(request.POST or None, initial={
        "starts_at": event.starts_at, "ends_at": event.ends_at,
        "place_th": event.place_th, "place_en": event.place_en})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_or_report(form, lambda: event.move(
                request.user, data["starts_at"], data["ends_at"], data["place_th"],
                data["place_en"])):
            messages.success(request, _("Event moved; everyone registered or invited is told."))
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/form.html", {
        "form": form, "event": event, "title": _("Move the event"),
        "back_url": reverse("events:detail", args=[event.pk]),
        "note": _("Everyone registered or invited gets an email and a calendar update."),
    })


@access("city-edit")
@require_POST
def cancel(request, pk):
    event = _editable(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid() and apply_or_report(
            form, lambda: event.cancel(request.user, form.cleaned_data["reason"])):
        messages.success(request, _("Event cancelled; everyone registered or invited is told."))
        return redirect("events:detail", pk=event.pk)
    return _page(request, event, cancel_form=form)


@access("city-edit")
@require_POST
def held(request, pk):
    event = _editable(request, pk)
    form = HeldForm(request.POST)
    if form.is_valid() and apply_or_report(
            form, lambda: event.mark_held(request.user, form.cleaned_data["minutes"])):
        messages.success(request, _("Marked held and recorded as evidence on the activity."))
        return redirect("events:detail", pk=event.pk)
    return _page(request, event, held_form=form)


@access("city-edit")
@require_POST
def publish(request, pk):
    event = _editable(request, pk)
    published = request.POST.get("published") == "1"
    event.set_published(request.user, published)
    messages.success(request, _("Published.") if published else _("Unpublished."))
    return redirect("events:detail", pk=event.pk)


@access("city-edit")
@require_POST
def agenda_add(request, pk):
    event = _editable(request, pk)
    form = AgendaItemForm(request.POST, user=request.user, event=event)
    if form.is_valid():
        form.save()
        messages.success(request, _("Agenda item added."))
        return redirect(reverse("events:detail", args=[event.pk]) + "#agenda")
    return _page(request, event, agenda_form=form)


@access("city-edit")
@require_POST
def agenda_delete(request, pk, item):
    event = _editable(request, pk)
    get_object_or_404(event.agenda, pk=item).delete()
    messages.success(request, _("Agenda item removed."))
    return redirect(reverse("events:detail", args=[event.pk]) + "#agenda")


@access("city-edit")
@require_POST
def material_add(request, pk):
    event = _editable(request, pk)
    form = MaterialForm(request.POST, request.FILES,
                        instance=Material(event=event, added_by=request.user))
    if form.is_valid():
        form.save()
        messages.success(request, _("Added."))
        return redirect(reverse("events:detail", args=[event.pk]) + "#materials")
    return _page(request, event, material_form=form)


@access("public")
def material_file(request, pk, item):
    """Files are served through the event's visibility check; photos show in the page."""
    event = _event(request, pk)
    material = get_object_or_404(event.materials.exclude(file=""), pk=item)
    name = material.file.name.rsplit("/", 1)[-1]
    return FileResponse(material.file.open("rb"), as_attachment=not material.is_image,
                        filename=name, content_type=mimetypes.guess_type(name)[0])


# -- the event page ------------------------------------------------------------------------------
@access("public")
def detail(request, pk):
    return _page(request, _event(request, pk))


def _page(request, event, **forms):
    user = request.user
    in_scope, can_edit = event.in_scope(user), event.can_edit(user)
    person = _own_person(user)
    mine = (Registration.objects.filter(event=event, person=person).active().first()
            if person else None)
    registrations = list(
        Registration.objects.visible_to(user).filter(event=event)
        .select_related("person__organisation", "person__city").order_by("position"))
    waitlist = [r for r in registrations if r.status == Registration.Status.WAITLISTED]
    context = {
        "event": event, "city": event.city, "network": event.owner_network,
        "in_scope": in_scope, "can_edit": can_edit,
        "agenda": event.agenda.select_related("speaker", "organisation"),
        "materials": event.materials.all(),
        "person": person, "mine": mine,
        "mine_rank": (event.registrations.waitlisted().filter(position__lte=mine.position).count()
                      if mine and mine.status == Registration.Status.WAITLISTED else None),
        "confirmed": [r for r in registrations if r.status == Registration.Status.CONFIRMED],
        "waitlist": waitlist,
        "cancelled": [r for r in registrations if r.status == Registration.Status.CANCELLED],
        "open": event.is_open(),
        "started": event.starts_at <= timezone.now(),
        "places_left": (None if event.capacity is None
                        else max(event.capacity - event.confirmed_count, 0)),
    }
    if in_scope:
        context["invitations"] = dict(
            event.invitations.order_by().values_list("status").annotate(n=Count("id")))
        context["stats"] = event.attendance_stats()
        context["history"] = event.changes.select_related("by")[:50]
    if can_edit:
        context.update({
            "register_form": forms.get("register_form") or RegisterForm(user=user, event=event),
            "cancel_form": forms.get("cancel_form") or CancelForm(),
            "held_form": forms.get("held_form") or HeldForm(),
            "agenda_form": forms.get("agenda_form") or AgendaItemForm(user=user, event=event),
            "material_form": forms.get("material_form") or MaterialForm(),
        })
    return render(request, "events/detail.html", context)


# -- invitations ---------------------------------------------------------------------------------
@access("city-edit")
@require_http_methods(["GET", "POST"])
def invite(request, pk):
    event = _editable(request, pk)
    form = InviteForm(request.POST or None, user=request.user, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.invite(event, form.invitees(), by=request.user,
                                     resend=form.cleaned_data["resend"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _(
                "Invited: %(new)s new, %(again)s sent again, %(same)s invited before."
            ) % {"new": len(result.invited), "again": len(result.resent),
                 "same": len(result.unchanged)})
            if result.without_email:
                messages.warning(request, _(
                    "No email address for: %(names)s. Add one on the people page, then "
                    "send again.") % {"names": ", ".join(
                        str(i.person) for i in result.without_email)})
            return redirect("events:invite", pk=event.pk)
    invitations = (event.invitations
                   .select_related("person__city", "person__organisation", "registration")
                   .order_by("status", "person__full_name_th"))
    return render(request, "events/invite.html", {
        "event": event, "form": form, "invitations": invitations,
    })


@access("public")
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The page behind the link in an invitation: the token is the invitee's key."""
    found = Invitation.objects.by_token(token)
    if found is None:
        raise Http404(_("This invitation link is not valid (a newer one may have been sent)."))
    found = (Invitation.objects.filter(pk=found.pk)
             .select_related("person__city", "registration").get())
    event = Event.objects.with_related().with_counts().get(pk=found.event_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if event.status != Event.Status.SCHEDULED:
                messages.error(request, _("This event is %(status)s; answers are closed.")
                               % {"status": event.get_status_display().lower()})
            elif action == "accept":
                registration = found.accept()
                if registration.status == Registration.Status.WAITLISTED:
                    messages.success(request, _(
                        "Thank you. The event is full: you are on the waitlist and will hear "
                        "from us if a place frees up."))
                else:
                    messages.success(request, _("Thank you, your place is confirmed."))
            elif action == "decline":
                found.decline()
                messages.success(request, _("Thank you for letting us know."))
        except ValidationError as error:
            _report(request, error)
        return redirect("events:invitation", token=token)
    # The invitee reads it in the language we wrote to them in, unless they chose another.
    lang = (translation.get_language()
            if settings.LANGUAGE_COOKIE_NAME in request.COOKIES else found.language)
    with translation.override(lang):
        registration = event.registrations.active().filter(person=found.person).first()
        return render(request, "events/invitation.html", {
            "invitation": found, "event": event, "registration": registration,
            "agenda": event.agenda.select_related("speaker", "organisation"),
            "open": event.is_open(), "token": token,
        })


# -- registration ----------------------------------------------------------------------------
@access("city-edit")
@require_POST
def register(request, pk):
    """A coordinator registers someone (walk-ins, phone calls, people without email)."""
    event = _editable(request, pk)
    form = RegisterForm(request.POST, user=request.user, event=event)
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            registration = event.register(
                person, by=request.user,
                vulnerable_group=form.cleaned_data.get("vulnerable_group", ""))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _status_message(registration, person))
            return redirect(reverse("events:detail", args=[event.pk]) + "#participants")
    return _page(request, event, register_form=form)


def _status_message(registration, person):
    if registration.status == Registration.Status.WAITLISTED:
        return _("%(person)s is on the waitlist.") % {"person": person}
    return _("%(person)s has a place.") % {"person": person}


@access("login")
@require_http_methods(["GET", "POST"])
def register_self(request, pk):
    """Register myself: for people whose account is linked to their person record."""
    event = _event(request, pk)
    person = _own_person(request.user)
    mine = (Registration.objects.filter(event=event, person=person).active().first()
            if person else None)
    declare = DeclareForm(request.POST or None)
    if request.method == "POST" and person is not None:
        group = declare.cleaned_data["vulnerable_group"] if declare.is_valid() else ""
        try:
            registration = event.register(person, by=request.user, vulnerable_group=group)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _status_message(registration, person))
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/register_self.html", {
        "event": event, "person": person, "mine": mine, "open": event.is_open(),
        "declare_form": declare,
    })


@access("city-edit")
@require_POST
def cancel_registration(request, pk):
    """Give up a place: the event's coordinators, or the person themself."""
    registration = get_object_or_404(
        Registration.objects.select_related("person__city", "event"), pk=pk)
    event = _event(request, registration.event_id)
    require(event.can_edit(request.user) or (
        request.user.is_authenticated and registration.person.user_id == request.user.pk))
    try:
        promoted = registration.cancel(by=request.user)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Registration of %(person)s cancelled.")
                         % {"person": registration.person})
        if promoted:
            messages.success(request, _("Now with a place: %(names)s.") % {
                "names": ", ".join(str(r.person) for r in promoted)})
    return _back(request, event, "#participants")


# -- the day: check-in and the sign-in sheet ----------------------------------------------------
@access("city-edit")
def check_in(request, pk):
    """A phone-friendly list of everyone with a place; each tick is one small POST."""
    event = _editable(request, pk)
    query = request.GET.get("q", "").strip()
    waiting_only = request.GET.get("waiting") == "1"
    rows = event.registrations.confirmed().select_related("person__organisation")
    if waiting_only:
        rows = rows.filter(checked_in_at__isnull=True)
    if query:
        rows = rows.filter(Q(person__full_name_th__icontains=query)
                           | Q(person__full_name_en__icontains=query))
    rows = list(rows.order_by("person__full_name_th"))
    return render(request, "events/check_in.html", {
        "event": event, "rows": rows, "q": query, "waiting_only": waiting_only,
        "checked": event.registrations.confirmed().checked_in().count(),
        "today": timezone.localdate(),
        "opens": timezone.localtime(event.starts_at).date(),
        "groups": DeclareForm.base_fields["vulnerable_group"].choices,
        "can_check_in": (event.status != Event.Status.CANCELLED
                         and timezone.localdate() >= timezone.localtime(event.starts_at).date()),
    })


@access("city-edit")
@require_POST
def check_in_person(request, pk, registration):
    event = _editable(request, pk)
    row = get_object_or_404(event.registrations.select_related("person"), pk=registration)
    try:
        with transaction.atomic():  # a refused check-in keeps no declaration either
            if "vulnerable_group" in request.POST:  # the row's select, declared at the door
                row.declare(request.POST["vulnerable_group"])
            if request.POST.get("declare"):
                messages.success(request, _("Saved for %(person)s.") % {"person": row.person})
            elif request.POST.get("undo"):
                row.undo_check_in()
                messages.success(request, _("Check-in of %(person)s undone.")
                                 % {"person": row.person})
            elif row.check_in(by=request.user):
                messages.success(request, _("%(person)s checked in.") % {"person": row.person})
    except ValidationError as error:
        _report(request, error)
    params = {name: request.POST.get(name, "").strip() for name in ("q", "waiting")}
    params = urlencode({name: value for name, value in params.items() if value})
    url = reverse("events:check-in", args=[event.pk])
    return redirect(url + (f"?{params}" if params else "") + f"#r{row.pk}")


BLANK_ROWS = 8  # for walk-ins, who sign by hand


@access("login")
def sign_in_sheet(request, pk):
    """The printable sign-in sheet (A4 PDF) in Thai or English. Printed by headless Chromium,
    whose PDFs keep Thai text exactly as typed when copied or searched."""
    event = _event(request, pk)
    require(event.in_scope(request.user))  # names of participants are personal data
    lang = request.GET.get("lang") if request.GET.get("lang") in ("th", "en") else (
        "en" if (translation.get_language() or "th").startswith("en") else "th")
    rows = event.registrations.confirmed().select_related("person__organisation")
    with translation.override(lang):
        rows = sorted(rows, key=lambda r: r.person.full_name)  # by the name as printed
        html = render_to_string("events/sign_in_sheet.html", {
            "event": event, "rows": rows, "blank_rows": range(BLANK_ROWS),
            "lang": lang, "starts": timezone.localtime(event.starts_at),
            "ends": timezone.localtime(event.ends_at),
            # Numbered for the sheet's optional column, where people write their own. What
            # someone declared earlier is not printed: the sheet passes from hand to hand.
            "groups": [str(label) for label in VulnerableGroup.labels],
        })
    response = HttpResponse(pdf.html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sign-in-{event.pk}-{lang}.pdf"'
    return response
