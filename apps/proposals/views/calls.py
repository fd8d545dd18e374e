"""The call for proposals: the city's list, the call page, its set-up by the city's
coordinators (criteria, rules, evaluators), publication and the audit trail."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import access, require_city_edit
from apps.core.concurrency import Conflict, conflict_response
from apps.networks.models import City
from apps.proposals.access import (
    call_for, can_manage, can_read_ranking, is_funder, require_manage, require_ranking,
)
from apps.proposals.forms import CallForm, CriterionFormSet, PublishForm
from apps.proposals.models import CallChange, Call, EligibilityRule, Evaluator, Proposal, Score


@access("public")
def city_calls(request, slug):
    city = get_object_or_404(City.objects.select_related("network"), slug=slug)
    calls = (Call.objects.visible_to(request.user).filter(city=city).with_counts()
             .select_related("shortlist_record"))
    return render(request, "proposals/calls.html", {
        "city": city, "calls": calls,
        "can_manage": can_manage(request.user, _stub_call(city)),
    })


def _stub_call(city):
    return Call(city=city)


@access("public")
def detail(request, pk):
    call = call_for(request, pk)
    user = request.user
    manage = can_manage(user, call)
    context = {
        "call": call, "city": call.city, "can_manage": manage,
        "rules": list(call.rules.all()), "criteria": list(call.criteria.all()),
        "risks": list(call.risks.all()), "groups": list(call.groups.all()),
        "areas": list(call.areas.all()), "phase": call.phase(),
        "accepting": call.accepting(), "is_proponent": call.is_proponent(user),
        "evaluator": call.evaluator_for(user), "is_funder": is_funder(user, call),
        "can_rank": can_read_ranking(user, call),
    }
    if user.is_authenticated:
        context["mine"] = list(call.proposals.filter(proponent=user))
    if manage:
        context["proposals"] = list(
            call.proposals.submitted().select_related("organisation")
            .prefetch_related("budget_lines"))
    return render(request, "proposals/call.html", context)


@access("city-edit")
def new_call(request, slug):
    city = get_object_or_404(City.objects.select_related("network"), slug=slug)
    require_city_edit(request, city)
    return _edit(request, Call(city=city, created_by=request.user))


@access("city-edit")
def edit(request, pk):
    call = call_for(request, pk)
    require_manage(request, call)
    return _edit(request, call)


def _edit(request, call):
    creating = call.pk is None
    scored = not creating and Score.objects.filter(criterion__call=call).exists()
    form = CallForm(request.POST or None, instance=call, city=call.city)
    criteria = CriterionFormSet(request.POST or None, instance=call, prefix="criteria")
    conflict = None
    if request.method == "POST":
        criteria_ok = scored or criteria.is_valid()
        if form.is_valid() and criteria_ok:
            try:
                with transaction.atomic():
                    call = form.save()
                    if not scored:
                        criteria.instance = call
                        criteria.save()
                    _save_rules(call, form.cleaned_data["rules_text"])
                    _save_evaluators(request, call, form.cleaned_data["evaluators"])
                    call.log(request.user, CallChange.Action.CREATE if creating
                             else CallChange.Action.EDIT)
            except Conflict as error:
                conflict = error
                form.show_conflict(conflict)
                call.refresh_from_db()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The call is saved."))
                return redirect("proposals:call", call.pk)
    response = render(request, "proposals/call_form.html", {
        "form": form, "criteria": criteria, "call": call, "city": call.city,
        "creating": creating, "scored": scored,
    })
    return conflict_response(response) if conflict else response


def _save_rules(call, rules):
    existing = list(call.rules.all())
    if [(r.text_th, r.text_en) for r in existing] == rules:
        return
    if call.proposals.filter(checks__isnull=False).exists():
        raise ValidationError(_("Proposals have been screened against these rules: they can no "
                                "longer change."))
    call.rules.all().delete()
    EligibilityRule.objects.bulk_create(
        EligibilityRule(call=call, order=order, text_th=th, text_en=en)
        for order, (th, en) in enumerate(rules, 1))


def _save_evaluators(request, call, users):
    wanted = {u.pk: u for u in users}
    current = {e.user_id: e for e in call.evaluators.all()}
    for user_id, evaluator in current.items():
        if user_id not in wanted:
            if evaluator.declared_at:
                raise ValidationError(_("%(name)s has already declared conflicts and cannot be "
                                        "removed.") % {"name": evaluator.display_name})
            evaluator.delete()
    added = []
    for user_id, user in wanted.items():
        if user_id not in current:
            person = getattr(user, "person", None)
            Evaluator.objects.create(call=call, user=user,
                                     organisation_id=person.organisation_id if person else None)
            added.append(user.username)
    if added:
        call.log(request.user, CallChange.Action.ASSIGN, after={"evaluators": added})


@access("city-edit")
@require_POST
def publish(request, pk):
    call = call_for(request, pk)
    require_manage(request, call)
    form = PublishForm(request.POST)
    published = form.is_valid() and form.cleaned_data["published"]
    if published != call.published:
        with transaction.atomic():
            call.published = published
            call.save(update_fields=["published"])
            call.log(request.user, CallChange.Action.PUBLISH, after={"published": published})
    messages.success(request, _("The call is published.") if published
                     else _("The call is no longer published."))
    return redirect("proposals:call", call.pk)


@access("selection")
def history(request, pk):
    call = call_for(request, pk)
    require_ranking(request, call)
    changes = (call.changes.select_related("by", "proposal")[:500])
    return render(request, "proposals/history.html", {
        "call": call, "city": call.city, "changes": changes,
        "statuses": dict(Proposal.Status.choices),
    })
