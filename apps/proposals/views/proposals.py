"""The proponent's side: start, edit, submit and withdraw a proposal, attach files; the
dossier every allowed reader sees; the coordinator's screening."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import access, require
from apps.core.concurrency import Conflict, conflict_response
from apps.proposals.access import (
    call_for, can_manage, is_funder, proposal_for, require_manage, require_proponent,
)
from apps.proposals.forms import (
    ActivityFormSet, AttachmentForm, BudgetFormSet, IndicatorFormSet, ProposalForm,
    ScreeningForm,
)
from apps.proposals.models import CallChange, Proposal, ProposalAttachment


@access("login")
def mine(request):
    proposals = (Proposal.objects.filter(proponent=request.user)
                 .select_related("call__city", "organisation").order_by("-created_at"))
    return render(request, "proposals/mine.html", {"proposals": proposals})


@access("login")
@require_POST
def new(request, pk):
    """Start a draft for the signed-in proponent, on behalf of their organisation."""
    call = call_for(request, pk)
    require(call.is_proponent(request.user))
    if not call.accepting():
        messages.error(request, _("The call is not open for proposals."))
        return redirect("proposals:call", call.pk)
    person = getattr(request.user, "person", None)
    if person is None or person.organisation_id is None:
        messages.error(request, _("Your account is not linked to an organisation: ask the "
                                  "city's coordinator to record yours."))
        return redirect("proposals:call", call.pk)
    proposal = Proposal.objects.create(call=call, proponent=request.user,
                                       organisation_id=person.organisation_id,
                                       title_th=_("New proposal"))
    return redirect("proposals:proposal-edit", proposal.pk)


def _formsets(request, proposal):
    data = request.POST if request.method == "POST" else None
    return {
        "activities": ActivityFormSet(data, instance=proposal, prefix="activities"),
        "budget": BudgetFormSet(data, instance=proposal, prefix="budget"),
        "indicators": IndicatorFormSet(data, instance=proposal, prefix="indicators"),
    }


@access("proposal-own")
def edit(request, pk):
    proposal = proposal_for(request, pk)
    require_proponent(request, proposal)
    call = proposal.call
    form = ProposalForm(request.POST or None, instance=proposal, call=call)
    sets = _formsets(request, proposal)
    if request.method == "POST":
        try:
            proposal.require_editable(request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.is_valid() and all(s.is_valid() for s in sets.values()):
                try:
                    with transaction.atomic():
                        form.save()
                        for formset in sets.values():
                            formset.save()
                        if proposal.status == Proposal.Status.SUBMITTED:
                            # Drafts are the proponent's business; a revision of what the
                            # evaluators will read is part of the call's record.
                            call.log(request.user, CallChange.Action.REVISE, proposal,
                                     after={"changed": form.changed_data + [
                                         name for name, s in sets.items() if s.has_changed()]})
                except Conflict as error:
                    form.show_conflict(error)
                    proposal.refresh_from_db()
                    return conflict_response(_form_page(request, proposal, form, sets))
                if "submit" in request.POST:
                    try:
                        proposal.submit(request.user)
                    except ValidationError as error:
                        messages.error(request, " ".join(error.messages))
                        return redirect("proposals:proposal-edit", proposal.pk)
                    messages.success(request, _("Your proposal is submitted. You may still "
                                                "change or withdraw it until the call closes."))
                    return redirect("proposals:proposal", proposal.pk)
                messages.success(request, _("Draft saved."))
                return redirect("proposals:proposal-edit", proposal.pk)
    return _form_page(request, proposal, form, sets)


def _form_page(request, proposal, form, sets):
    call = proposal.call
    return render(request, "proposals/proposal_form.html", {
        "proposal": proposal, "call": call, "city": call.city, "form": form, **sets,
        "attachment_form": AttachmentForm(), "attachments": list(proposal.attachments.all()),
        "editable": proposal.editable(), "problems": proposal.problems(),
        "map_data": _map_data(call.city, proposal),
    })


def _map_data(city, proposal):
    from apps.assessments.models import RiskArea

    # The city's risk areas, as a backdrop to draw the project's area on.
    areas = RiskArea.objects.filter(assessment__city=city)
    return {
        "areas": {"type": "FeatureCollection", "features": [a.as_feature() for a in areas]},
        "boundary": city.boundary,
        "center": ([float(city.latitude), float(city.longitude)]
                   if city.latitude is not None and city.longitude is not None else None),
        "tiles": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION,
    }


@access("proposal-own")
@require_POST
def submit(request, pk):
    proposal = proposal_for(request, pk)
    require_proponent(request, proposal)
    try:
        proposal.submit(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("proposals:proposal-edit", proposal.pk)
    messages.success(request, _("Your proposal is submitted. You may still change or withdraw "
                                "it until the call closes."))
    return redirect("proposals:proposal", proposal.pk)


@access("proposal-own")
@require_POST
def withdraw(request, pk):
    proposal = proposal_for(request, pk)
    require_proponent(request, proposal)
    try:
        proposal.withdraw(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your proposal is withdrawn."))
    return redirect("proposals:proposal", proposal.pk)


@access("proposal-own")
@require_POST
def attach(request, pk):
    from apps.studies.files import check_upload

    proposal = proposal_for(request, pk)
    require_proponent(request, proposal)
    form = AttachmentForm(request.POST, request.FILES)
    try:
        proposal.require_editable(request.user)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        upload = form.cleaned_data["file"]
        kind, size = check_upload(upload)
        ProposalAttachment.objects.create(proposal=proposal, title=form.cleaned_data["title"],
                                          file=upload, kind=kind, size=size)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("File attached."))
    return redirect("proposals:proposal-edit", proposal.pk)


@access("login")
def attachment(request, pk, file_pk):
    proposal = proposal_for(request, pk)
    item = get_object_or_404(ProposalAttachment, pk=file_pk, proposal=proposal)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing.")) from None
    return FileResponse(handle, as_attachment=item.kind not in ("pdf", "png", "jpeg", "gif", "webp"),
                        filename=item.file.name.rsplit("/", 1)[-1])


@access("login")
def dossier(request, pk):
    proposal = proposal_for(request, pk)
    call = proposal.call
    user = request.user
    manage = can_manage(user, call)
    own = user.pk == proposal.proponent_id
    return render(request, "proposals/dossier.html", {
        "proposal": proposal, "call": call, "city": call.city, "own": own,
        "can_manage": manage, "is_funder": is_funder(user, call),
        "activities": list(proposal.activities.all()),
        "budget_lines": list(proposal.budget_lines.all()),
        "indicators": list(proposal.indicators.all()),
        "attachments": list(proposal.attachments.all()),
        "risks": list(proposal.risks.all()), "groups": list(proposal.groups.all()),
        "areas": list(proposal.areas.all()),
        "checks": list(proposal.checks.select_related("rule")) if (own or manage) else [],
        "decisions": list(proposal.decisions.select_related("decided_by"))
        if (own or manage or is_funder(user, call)) else [],
        "editable": own and proposal.editable(),
        "evaluator": call.evaluator_for(user),
    })


@access("city-edit")
def screen(request, pk):
    proposal = proposal_for(request, pk)
    call = proposal.call
    require_manage(request, call)
    rules = list(call.rules.all())
    checks = {c.rule_id: c for c in proposal.checks.all()}
    form = ScreeningForm(request.POST or None, rules=rules, checks=checks)
    if request.method == "POST" and form.is_valid():
        try:
            proposal.screen(request.user, form.answers())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Screening recorded; the proponent is told by email."))
            return redirect("proposals:call", call.pk)
    return render(request, "proposals/screen.html", {
        "proposal": proposal, "call": call, "city": call.city, "form": form,
    })
