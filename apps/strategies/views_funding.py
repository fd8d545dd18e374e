"""Proposals to other funders: generated from an intervention, edited, exported as DOCX and
PDF (visibility checked first: 404 for what the user may not read), submissions tracked."""
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.scope import scope_of
from apps.core.access import access, require_city_edit
from apps.strategies.forms_funding import ProposalForm, SubmissionForm
from apps.strategies.funding import generate, logframe_header, sections, to_docx
from apps.strategies.funding_models import FunderProposal
from apps.strategies.models import Intervention
from apps.strategies.views import editable_strategy, strategy_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _proposal(request, slug, pk):
    strategy = strategy_for(request, slug)  # 404 when the strategy is not readable
    if strategy.pk is None:
        raise Http404(_("This proposal does not exist."))
    proposal = get_object_or_404(
        FunderProposal.objects.filter(intervention__strategy=strategy)
        .select_related("intervention").prefetch_related("submissions", "me_indicators"), pk=pk)
    proposal.intervention.strategy = strategy
    return proposal


def _url(proposal):
    return reverse("strategies:proposal", args=[proposal.intervention.strategy.city.slug,
                                                proposal.pk])


def _lang(request):
    return "en" if request.GET.get("lang") == "en" else "th"


@access("city-edit")
@require_POST
def proposal_generate(request, slug, pk):
    from apps.monitoring.models import Indicator

    strategy = editable_strategy(request, slug)
    intervention = get_object_or_404(Intervention, strategy=strategy, pk=pk)
    indicators = Indicator.objects.filter(city=strategy.city,
                                          pk__in=request.POST.getlist("indicators"))
    proposal = generate(intervention, request.user, indicators)
    messages.success(request, _("Proposal generated; edit it before sending."))
    return redirect(_url(proposal))


@access("public")
def proposal(request, slug, pk):
    proposal = _proposal(request, slug, pk)
    lang = _lang(request)
    can_edit = scope_of(request.user).can_edit_city(proposal.intervention.strategy.city)
    return render(request, "strategies/proposal.html", {
        "city": proposal.intervention.strategy.city, "proposal": proposal, "lang": lang,
        "sections": sections(proposal, lang), "header": logframe_header(lang),
        "rows": proposal.logframe_rows(lang), "can_edit": can_edit,
        "submission_form": SubmissionForm() if can_edit else None,
    })


@access("city-edit")
@require_http_methods(["GET", "POST"])
def proposal_edit(request, slug, pk):
    proposal = _proposal(request, slug, pk)
    require_city_edit(request, proposal.intervention.strategy.city)
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Proposal saved."))
        return redirect(_url(proposal))
    return render(request, "strategies/proposal_form.html", {
        "city": proposal.intervention.strategy.city, "proposal": proposal, "form": form,
    }, status=400 if form.errors else 200)


@access("city-edit")
@require_POST
def submission_add(request, slug, pk):
    proposal = _proposal(request, slug, pk)
    require_city_edit(request, proposal.intervention.strategy.city)
    form = SubmissionForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            submission = form.save(commit=False)
            submission.proposal = proposal
            submission.save()
        messages.success(request, _("Submission recorded."))
    else:
        messages.error(request, " ".join(f"{form.fields[k].label}: {' '.join(v)}"
                                         if k in form.fields else " ".join(v)
                                         for k, v in form.errors.items()))
    return redirect(_url(proposal))


@access("public")
def proposal_docx(request, slug, pk):
    proposal = _proposal(request, slug, pk)
    lang = _lang(request)
    response = HttpResponse(to_docx(proposal, lang), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="proposal-{proposal.pk}-{lang}.docx"'
    return response


@access("public")
def proposal_pdf(request, slug, pk):
    from apps.events.pdf import html_to_pdf

    proposal = _proposal(request, slug, pk)
    lang = _lang(request)
    html = render_to_string("strategies/proposal_print.html", {
        "proposal": proposal, "lang": lang, "sections": sections(proposal, lang),
        "header": logframe_header(lang), "rows": proposal.logframe_rows(lang),
        "title": proposal.title_en if lang == "en" and proposal.title_en else proposal.title_th,
    })
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="proposal-{proposal.pk}-{lang}.pdf"'
    return response
