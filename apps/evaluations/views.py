"""Pages: a city's expert evaluations (list, one evaluation, its print), the forms that write
them one row at a time, the workflow (sign-off, reopening, publication) and the city's
recommendations for its development strategy.

Unpublished evaluations are for the city's team and the national coordinator (404 to anyone
else, like a missing page). Writing them is assessment work ("city-assess": the city's experts
and coordinators, the national coordinator); publishing is the city's decision ("city-edit");
reopening a signed-off one is the national coordinator's alone.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.scope import scope_of
from apps.assessments.models import RiskRating
from apps.core.access import access, require_city_assess, require_city_edit
from apps.evaluations.forms import (
    PART_FORMS, PART_MODELS, EvaluationForm, FindingForm, OutcomeForm, QuestionForm,
    RecommendationForm, ReopenForm,
)
from apps.evaluations.models import Evaluation, Target, recommendations_for_strategy
from apps.events import pdf
from apps.networks.models import City


# -- lookups ----------------------------------------------------------------------------------
def _city(slug):
    return get_object_or_404(City.objects.select_related("network"), slug=slug)


def _evaluation(request, slug, pk, detail=False):
    city = _city(slug)
    rows = Evaluation.objects.visible_to(request.user).filter(city=city)
    if detail:
        rows = rows.for_detail()
    evaluation = rows.select_related("pilot").filter(pk=pk).first()
    if evaluation is None:
        raise Http404(_("This evaluation does not exist or is not published."))
    evaluation.city = city
    return evaluation


def _assessable(request, slug, pk):
    evaluation = _evaluation(request, slug, pk)
    require_city_assess(request, evaluation.city)
    return evaluation


def _url(evaluation, anchor=""):
    url = reverse("evaluations:detail", args=[evaluation.city.slug, evaluation.pk])
    return f"{url}#{anchor}" if anchor else url


def _error(request, error):
    messages.error(request, " ".join(error.messages))


# -- list and strategy ------------------------------------------------------------------------
@access("public")
def evaluation_list(request, slug):
    city = _city(slug)
    evaluations = list(Evaluation.objects.visible_to(request.user).filter(city=city)
                       .select_related("pilot", "signed_off_by"))
    return render(request, "evaluations/list.html", {
        "city": city, "evaluations": evaluations,
        "can_assess": scope_of(request.user).can_assess_city(city),
    })


@access("public")
def strategy(request, slug):
    """What the city's signed-off evaluations recommend for its development strategy and plan."""
    city = _city(slug)
    rows = list(recommendations_for_strategy(city, request.user))
    groups = [(t, [r for r in rows if r.target == t]) for t in (Target.STRATEGY, Target.PLAN)]
    return render(request, "evaluations/strategy.html", {
        "city": city, "groups": groups, "count": len(rows)})


# -- one evaluation ---------------------------------------------------------------------------
def _detail_page(request, evaluation, bound=None, status=200):
    city = evaluation.city
    who = scope_of(request.user)
    can_assess = who.can_assess_city(city)
    questions = list(evaluation.questions.all())
    forms = {}
    if can_assess and not evaluation.is_signed:
        risks = list(RiskRating.objects.filter(assessment__city=city))
        forms = {
            "question": QuestionForm(evaluation=evaluation),
            "finding": FindingForm(evaluation=evaluation, questions=questions),
            "outcome": OutcomeForm(evaluation=evaluation, risks=risks),
            "recommendation": RecommendationForm(evaluation=evaluation),
        }
        if bound is not None:
            forms[bound[0]] = bound[1]
    return render(request, "evaluations/detail.html", {
        "city": city, "evaluation": evaluation, "questions": questions,
        "outcomes": list(evaluation.outcomes.all()),
        "recommendations": evaluation.recommendations_by_target(),
        "changes": list(evaluation.changes.all()),
        "can_assess": can_assess, "can_edit": who.can_edit_city(city),
        "can_reopen": evaluation.is_signed and who.can_admin_network(city.network),
        "forms": forms, "bound": bound[0] if bound else "",
        "reopen_form": ReopenForm(),
    }, status=status)


@access("public")
def evaluation_detail(request, slug, pk):
    return _detail_page(request, _evaluation(request, slug, pk, detail=True))


@access("city-assess")
@require_http_methods(["GET", "POST"])
def evaluation_new(request, slug):
    city = _city(slug)
    if not scope_of(request.user).can_assess_city(city):
        # 404 before 403: the city's unpublished work stays unconfirmed to outsiders.
        if not scope_of(request.user).can_read_city(city):
            raise Http404
        raise PermissionDenied
    form = EvaluationForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            evaluation = form.save(commit=False)
            evaluation.created_by = request.user
            evaluation.save()
            form.save_m2m()
        messages.success(request, _("Evaluation created: add its questions."))
        return redirect(_url(evaluation, "questions"))
    return render(request, "evaluations/form.html", {
        "city": city, "form": form, "evaluation": None})


@access("city-assess")
@require_http_methods(["GET", "POST"])
def evaluation_edit(request, slug, pk):
    evaluation = _assessable(request, slug, pk)
    if evaluation.is_signed:
        messages.error(request, _("This evaluation is signed off and cannot change."))
        return redirect(_url(evaluation))
    form = EvaluationForm(request.POST or None, instance=evaluation, city=evaluation.city)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except ValidationError as error:  # signed off meanwhile
            _error(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect(_url(evaluation))
    return render(request, "evaluations/form.html", {
        "city": evaluation.city, "form": form, "evaluation": evaluation})


def _part_kind(kind):
    if kind not in PART_FORMS:
        raise Http404
    return kind


@access("city-assess")
@require_POST
def part_add(request, slug, pk, kind):
    """Add one question, finding, outcome or recommendation; on an error the page comes back
    with the form filled in and its message."""
    evaluation = _assessable(request, slug, pk)
    kind = _part_kind(kind)
    form = PART_FORMS[kind](request.POST, evaluation=evaluation)
    if form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Added."))
            return redirect(_url(evaluation, kind + "s"))
    if evaluation.is_signed:
        _error(request, ValidationError(form.non_field_errors()))
        return redirect(_url(evaluation))
    detailed = _evaluation(request, slug, pk, detail=True)
    return _detail_page(request, detailed, bound=(kind, form))


@access("city-assess")
@require_POST
def part_remove(request, slug, pk, kind, row):
    evaluation = _assessable(request, slug, pk)
    model = PART_MODELS[_part_kind(kind)]
    where = {"question__evaluation": evaluation} if kind == "finding" else {
        "evaluation": evaluation}
    item = get_object_or_404(model, pk=row, **where)
    if kind == "finding":
        item.question.evaluation = evaluation
    else:
        item.evaluation = evaluation
    try:
        item.delete()
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Removed."))
    return redirect(_url(evaluation, kind + "s"))


# -- the workflow -----------------------------------------------------------------------------
@access("city-assess")
@require_POST
def sign_off(request, slug, pk):
    evaluation = _assessable(request, slug, pk)
    try:
        evaluation.sign_off(request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Signed off: the evaluation is now read-only."))
    return redirect(_url(evaluation))


@access("network-admin")
@require_POST
def reopen(request, slug, pk):
    evaluation = _evaluation(request, slug, pk)
    if not scope_of(request.user).can_admin_network(evaluation.city.network):
        raise PermissionDenied
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the evaluation is reopened."))
        return redirect(_url(evaluation, "history"))
    try:
        evaluation.reopen(request.user, form.cleaned_data["note"])
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Reopened: the evaluation is a draft again."))
    return redirect(_url(evaluation, "history"))


@access("city-edit")
@require_POST
def publish(request, slug, pk):
    evaluation = _evaluation(request, slug, pk)
    require_city_edit(request, evaluation.city)
    wanted = request.POST.get("published") == "1"
    try:
        evaluation.set_published(request.user, wanted)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Published.") if wanted else _("Unpublished."))
    return redirect(_url(evaluation))


@access("public")
def print_pdf(request, slug, pk):
    evaluation = _evaluation(request, slug, pk, detail=True)
    asked = request.GET.get("lang")
    lang = asked if asked in ("th", "en") else (
        "en" if (translation.get_language() or "th").startswith("en") else "th")
    with translation.override(lang):
        html = render_to_string("evaluations/print/evaluation.html", {
            "evaluation": evaluation, "city": evaluation.city,
            "questions": list(evaluation.questions.all()),
            "outcomes": list(evaluation.outcomes.all()),
            "recommendations": evaluation.recommendations_by_target(),
            "lang": lang, "now": timezone.now()})
    response = HttpResponse(pdf.html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="evaluation-{evaluation.pk}-{lang}.pdf"'
    return response
