from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.scope import scope_of
from apps.core.access import access, require_city_edit
from apps.core.concurrency import Conflict, conflict_response
from apps.dialogues.forms import (
    RECORD_FORMS, ActionStatusForm, BallotForm, DialogueForm, VoteOpenForm,
)
from apps.dialogues.maps import risk_area_map
from apps.dialogues.models import (
    RECORD_MODELS, Dialogue, DialogueChange, FollowUpAction, ItemKind, item_kinds_for,
    sld_plan_activities,
)
from apps.dialogues.votes import Ballot, Vote, tally
from apps.networks.models import City
from apps.people.models import Person
from apps.progress.forms import apply_or_report
from apps.progress.models import CityActivity


# -- lookups ----------------------------------------------------------------------------------
def _sld(slug, number):
    """The city and its activity for SLD `number`; 404 when the city has no such SLD."""
    city = get_object_or_404(City.objects.select_related("network"), slug=slug)
    activities = sld_plan_activities(city.network.plan_id)
    if not 1 <= number <= len(activities):
        raise Http404(_("This city has no SLD %(number)s.") % {"number": number})
    activity = (CityActivity.objects.filter(city=city, plan_activity=activities[number - 1])
                .select_related("plan_activity").first())
    if activity is None:
        raise Http404(_("This city has no SLD %(number)s.") % {"number": number})
    activity.city = city
    return city, activity


def _attach(dialogue, activity, number):
    dialogue.city_activity = activity
    dialogue.sld_number = number
    return dialogue


def _dialogue(request, slug, n):
    """The dialogue if the user may read it; 404 otherwise (never reveal that it exists)."""
    _city, activity = _sld(slug, n)
    dialogue = Dialogue.objects.visible_to(request.user).filter(city_activity=activity).first()
    if dialogue is None:
        raise Http404(_("This dialogue does not exist or is not published."))
    return _attach(dialogue, activity, n)


def _editable(request, slug, n):
    dialogue = _dialogue(request, slug, n)
    require_city_edit(request, dialogue.city)
    return dialogue


def _vote(dialogue, pk):
    return get_object_or_404(Vote.objects.filter(dialogue=dialogue).with_turnout(), pk=pk)


def _page_url(dialogue, anchor=""):
    url = reverse("dialogues:dialogue", args=[dialogue.city.slug, dialogue.number])
    return f"{url}#{anchor}" if anchor else url


# -- the dialogue page ------------------------------------------------------------------------
def _page(request, dialogue, bound=None):
    """The dialogue page; `bound` is a form with errors to show open in its section."""
    scope = scope_of(request.user)
    city = dialogue.city
    can_edit = scope.can_edit_city(city)
    personal = scope.can_read_city(city)
    today = timezone.localdate()
    number = dialogue.number

    items = list(dialogue.items.all())
    kinds = item_kinds_for(number)
    kinds += [k for k in ItemKind if k not in kinds and any(i.kind == k for i in items)]
    item_sections = [(kind, [i for i in items if i.kind == kind]) for kind in kinds]
    areas = list(dialogue.areas.all())
    actions = list(dialogue.actions.select_related("owner__organisation"))
    for action in actions:
        action.overdue = action.is_overdue(today)
        action.owner_display = action.owner_label(personal)
    votes = list(dialogue.votes.with_turnout())
    results = tally([v for v in votes if v.results_visible(request.user, city)])
    own_ballots = set()
    if request.user.is_authenticated:
        own_ballots = set(Ballot.objects.filter(vote__in=votes, person__user=request.user)
                          .values_list("vote_id", flat=True))
    for vote in votes:
        vote.result_rows = results.get(vote.pk)
        vote.voted = vote.pk in own_ballots

    forms = {}
    if can_edit:
        forms = {name: form(dialogue=dialogue) for name, form in RECORD_FORMS.items()}
    if bound is not None:
        forms[bound.record] = bound
    risks = list(dialogue.risks.all())
    groups = list(dialogue.groups.all())
    nominations = list(dialogue.nominations.select_related("organisation"))
    indicators = list(dialogue.indicators.all())
    present = {"risks": risks, "groups": groups, "areas": areas, "nominations": nominations,
               "indicators": indicators}
    # A section shows when this SLD collects it, or when it holds records anyway.
    sections = {name: dialogue.collects(name) or bool(rows) for name, rows in present.items()}
    if bound is not None and bound.output:
        sections[bound.output] = True  # a refused form shows where it says why
    event = None
    if dialogue.event_id:
        from apps.events.models import Event

        event = Event.objects.visible_to(request.user).filter(pk=dialogue.event_id).first()
    return render(request, "dialogues/dialogue.html", {
        "dialogue": dialogue,
        "event": event,
        "city": city,
        "activity": dialogue.city_activity,
        "plan_activity": dialogue.city_activity.plan_activity,
        "number": number,
        "item_sections": item_sections,
        "risks": risks,
        "groups": groups,
        "areas": areas,
        # Drawn when there are areas; editors also draw new ones on it (boundary alone).
        "map": risk_area_map(city, areas),
        "nominations": nominations,
        "indicators": indicators,
        "actions": actions,
        "overdue_count": sum(1 for a in actions if a.overdue),
        "votes": votes,
        "sections": sections,
        "forms": forms,
        "bound": bound and bound.record,
        "status_form": ActionStatusForm(),
        "can_edit": can_edit,
        "can_read_private": personal,
        "history": dialogue.changes.select_related("by")[:50] if personal else None,
    })


@access("public")
def dialogue_detail(request, slug, n):
    city, activity = _sld(slug, n)
    dialogue = Dialogue.objects.visible_to(request.user).filter(city_activity=activity).first()
    if dialogue is None:
        # Nothing recorded yet: the city's editors start the record, others find nothing.
        if scope_of(request.user).can_edit_city(city) \
                and not Dialogue.objects.filter(city_activity=activity).exists():
            return redirect("dialogues:edit", slug=slug, n=n)
        raise Http404(_("This dialogue does not exist or is not published."))
    return _page(request, _attach(dialogue, activity, n))


@access("city-edit")
@require_http_methods(["GET", "POST"])
def edit(request, slug, n):
    city, activity = _sld(slug, n)
    existing = Dialogue.objects.filter(city_activity=activity).first()
    scope = scope_of(request.user)
    if not (scope.can_read_city(city) or (existing and existing.published)):
        raise Http404(_("This dialogue does not exist or is not published."))
    require_city_edit(request, city)
    dialogue = _attach(existing or Dialogue(city_activity=activity), activity, n)
    form = DialogueForm(request.POST or None, instance=dialogue)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                created = dialogue.pk is None
                form.save()
                dialogue.log(request.user, DialogueChange.Action.CREATE if created
                             else DialogueChange.Action.EDIT)
        except Conflict as error:
            conflict = error
            form.show_conflict(conflict)
            dialogue.refresh_from_db()
        else:
            messages.success(request, _("Saved."))
            return redirect(_page_url(dialogue))
    response = render(request, "dialogues/edit.html", {
        "dialogue": dialogue, "city": city, "plan_activity": activity.plan_activity,
        "number": n, "form": form, "is_new": dialogue.pk is None,
    })
    return conflict_response(response) if conflict else response


@access("city-edit")
@require_POST
def publish(request, slug, n):
    dialogue = _editable(request, slug, n)
    published = request.POST.get("published") == "1"
    dialogue.set_published(request.user, published)
    messages.success(request, _("Published.") if published else _("Unpublished."))
    return redirect(_page_url(dialogue))


@access("city-edit")
@require_POST
def add_record(request, slug, n, record):
    dialogue = _editable(request, slug, n)
    form = RECORD_FORMS[record](request.POST, request.FILES, dialogue=dialogue)
    form.record = record
    if form.is_valid():
        label = capfirst(form.instance._meta.verbose_name)
        with transaction.atomic():
            saved = form.save()
            dialogue.log(request.user, DialogueChange.Action.ADD, f"{label}: {saved}")
        messages.success(request, _("%(what)s added.") % {"what": label})
        return redirect(_page_url(dialogue, record))
    return _page(request, dialogue, bound=form)


@access("city-edit")
@require_POST
def remove_record(request, slug, n, record, pk):
    dialogue = _editable(request, slug, n)
    row = get_object_or_404(RECORD_MODELS[record], dialogue=dialogue, pk=pk)
    label = capfirst(row._meta.verbose_name)
    with transaction.atomic():
        dialogue.log(request.user, DialogueChange.Action.REMOVE, f"{label}: {row}")
        row.delete()
    messages.success(request, _("%(what)s removed.") % {"what": label})
    return redirect(_page_url(dialogue, record))


@access("city-edit")
@require_POST
def action_status(request, slug, n, pk):
    dialogue = _editable(request, slug, n)
    action = get_object_or_404(FollowUpAction.objects.select_related("dialogue"),
                               dialogue=dialogue, pk=pk)
    action.dialogue = dialogue
    form = ActionStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        if form.cleaned_data["action"] == "complete":
            action.complete(request.user, on=form.cleaned_data.get("on"))
            messages.success(request, _("Marked done."))
        else:
            action.reopen(request.user)
            messages.success(request, _("Reopened."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_page_url(dialogue, "action"))


# -- votes --------------------------------------------------------------------------------
@access("city-edit")
@require_http_methods(["GET", "POST"])
def vote_open(request, slug, n):
    dialogue = _editable(request, slug, n)
    form = VoteOpenForm(request.POST or None, dialogue=dialogue,
                        initial={"held_on": dialogue.date or timezone.localdate()})
    opened = []
    if request.method == "POST" and form.is_valid() and apply_or_report(
            form, lambda: opened.append(form.open(dialogue, request.user))):
        messages.success(request, _("The vote is open."))
        return redirect("dialogues:vote", slug=slug, n=n, pk=opened[0].pk)
    return render(request, "dialogues/vote_open.html", {
        "dialogue": dialogue, "city": dialogue.city, "number": n, "form": form,
    })


def _voter(user):
    """The Person the signed-in user is, if their account is linked to one."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


@access("login")
def vote_detail(request, slug, n, pk):
    dialogue = _dialogue(request, slug, n)
    vote = _vote(dialogue, pk)
    city = dialogue.city
    can_edit = scope_of(request.user).can_edit_city(city)
    options = list(vote.options.all())
    by_id = {option.pk: option for option in options}
    me = _voter(request.user)
    is_member = vote.is_member(me)
    own = None
    if me is not None:
        own = Ballot.objects.filter(vote=vote, person=me).prefetch_related("entries").first()
    form = None
    if is_member:
        form = BallotForm(vote=vote, options=options,
                          ballot_entries=own.entries.all() if own else None)
    context = {
        "dialogue": dialogue, "city": city, "number": n, "vote": vote,
        "options": options, "me": me, "is_member": is_member, "own": own,
        "own_rows": [(by_id[e.option_id], e) for e in own.entries.all()] if own else [],
        "form": form, "voter": me, "can_edit": can_edit,
        "results": vote.results() if vote.results_visible(request.user, city) else None,
    }
    if can_edit:
        # Ballots are private to the organisers: who voted, and how.
        ballots = list(vote.ballots.select_related("person", "recorded_by")
                       .prefetch_related("entries__option"))
        voted = {b.person_id for b in ballots}
        memberships = list(vote.memberships())
        context.update(ballots=ballots, electorate=memberships,
                       not_voted=[m for m in memberships if m.person_id not in voted])
    return render(request, "dialogues/vote.html", context)


@access("login")
@require_http_methods(["GET", "POST"])
def ballot(request, slug, n, pk, person):
    """A member's ballot: the member casts or changes it; the organisers may enter it from a
    paper ballot. Anyone else may not touch it."""
    dialogue = _dialogue(request, slug, n)
    vote = _vote(dialogue, pk)
    voter = get_object_or_404(Person.objects.select_related("organisation"),
                              city=dialogue.city, pk=person)
    if voter.user_id != request.user.pk:
        require_city_edit(request, dialogue.city)
    existing = Ballot.objects.filter(vote=vote, person=voter).prefetch_related("entries").first()
    options = list(vote.options.all())
    form = BallotForm(request.POST or None, vote=vote, options=options,
                      ballot_entries=existing.entries.all() if existing else None)
    if request.method == "POST" and form.is_valid() and apply_or_report(
            form, lambda: vote.cast(voter, request.user, form.values())):
        if voter.user_id == request.user.pk:
            messages.success(request, _("Your ballot is saved."))
        else:
            messages.success(request, _("Ballot of %(person)s saved.") % {"person": voter})
        return redirect("dialogues:vote", slug=slug, n=n, pk=vote.pk)
    return render(request, "dialogues/ballot.html", {
        "dialogue": dialogue, "city": dialogue.city, "number": n, "vote": vote,
        "voter": voter, "own": voter.user_id == request.user.pk, "form": form,
        "existing": existing, "is_member": vote.is_member(voter),
    })


@access("city-edit")
@require_POST
def vote_close(request, slug, n, pk):
    dialogue = _editable(request, slug, n)
    vote = _vote(dialogue, pk)
    try:
        vote.close(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The vote is closed; the results are final."))
    return redirect("dialogues:vote", slug=slug, n=n, pk=vote.pk)
