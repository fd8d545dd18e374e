"""Pages: the city's impact chains (graph, chains, gaps, editing forms) and its sector studies
(list, a study with its rounds, the compare page, the forms).

Visibility is the assessment's: a published assessment is public, an unpublished one is for
the city's team and the national coordinator (404 to anyone else, like a missing page). Editing
is assessment work ("city-assess": coordinators, the city's experts, the national coordinator).
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.scope import scope_of
from apps.assessments.models import Assessment, RiskRating
from apps.core.access import access, require_city_assess
from apps.networks.models import City
from apps.studies import svg
from apps.studies.diff import compare as compare_rounds
from apps.studies.files import content_type
from apps.studies.forms import AttachmentForm, LinkForm, NodeForm, StudyForm, VersionForm
from apps.studies.models import (
    ImpactGraph, ImpactLink, ImpactNode, SectorStudy, StudyAttachment, StudyVersion,
)


# -- lookups ----------------------------------------------------------------------------------
def _city(slug):
    return get_object_or_404(City.objects.select_related("network"), slug=slug)


def _assessment(request, slug, *, create=False):
    """The city's assessment if the user may read it, else 404. Assessors of a city that has
    none yet get an unsaved one to look at, and a saved one (`create`) when they add to it."""
    city = _city(slug)
    assessment = (Assessment.objects.visible_to(request.user).filter(city=city)
                  .select_related("city__network").first())
    if assessment is None:
        if not (scope_of(request.user).can_assess_city(city)
                and not Assessment.objects.filter(city=city).exists()):
            raise Http404(_("This assessment does not exist or is not published."))
        if create:
            assessment = Assessment.objects.start(city, request.user)
        else:
            assessment = Assessment(city=city)
    assessment.city = city
    return assessment


def _assessable(request, slug, create=False):
    assessment = _assessment(request, slug, create=False)
    require_city_assess(request, assessment.city)
    if create and assessment.pk is None:
        assessment = Assessment.objects.start(assessment.city, request.user)
    return assessment


def _study(request, slug, pk):
    assessment = _assessment(request, slug)
    if assessment.pk is None:
        raise Http404(_("This study does not exist."))
    study = get_object_or_404(
        SectorStudy.objects.filter(assessment=assessment).select_related("lead", "issue")
        .prefetch_related("experts"), pk=pk)
    study.assessment = assessment
    return study


def _editable_study(request, slug, pk):
    study = _study(request, slug, pk)
    require_city_assess(request, study.assessment.city)
    return study


def _rounds(study):
    """Every round of the study, with what it links, in four queries."""
    return list(study.versions.order_by("round").select_related("signed_by", "created_by")
                .prefetch_related(
                    Prefetch("risks", RiskRating.objects.order_by("-score", "hazard", "system")),
                    Prefetch("nodes", ImpactNode.objects.order_by("order", "pk")),
                    "attachments"))


def _chains_url(city):
    return reverse("studies:chains", args=[city.slug])


def _study_url(study, round_=None):
    url = reverse("studies:study", args=[study.assessment.city.slug, study.pk])
    return f"{url}?round={round_}" if round_ else url


# -- impact chains ----------------------------------------------------------------------------
def _graph(assessment):
    if assessment.pk is None:
        return ImpactGraph(assessment, [], [])
    return ImpactNode.objects.graph(assessment)


def _chains_page(request, assessment, node_form=None, link_form=None, status=200):
    city = assessment.city
    can_assess = scope_of(request.user).can_assess_city(city)
    impact_graph = _graph(assessment)
    forms = {}
    if can_assess:
        forms = {
            "node": node_form or NodeForm(assessment=assessment),
            "link": link_form or LinkForm(assessment=assessment, nodes=impact_graph.nodes),
        }
    return render(request, "studies/chains.html", {
        "city": city, "assessment": assessment, "graph": impact_graph,
        "svg": svg.render(impact_graph, title=_("Impact chains of %(city)s") % {"city": city}),
        "can_assess": can_assess, "forms": forms,
        "bound": "node" if node_form is not None else "link" if link_form is not None else "",
    }, status=status)


@access("public")
def chains(request, slug):
    return _chains_page(request, _assessment(request, slug))


@access("public")
def chains_svg(request, slug):
    """The drawing alone, for printing or embedding in a report."""
    assessment = _assessment(request, slug)
    impact_graph = _graph(assessment)
    markup = svg.render(impact_graph) or (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    return HttpResponse(markup, content_type="image/svg+xml; charset=utf-8")


@access("city-assess")
@require_POST
def node_add(request, slug):
    assessment = _assessable(request, slug)
    new = assessment.pk is None
    with transaction.atomic():
        if new:
            assessment = _assessable(request, slug, create=True)
        form = NodeForm(request.POST, assessment=assessment)
        if form.is_valid():
            node = form.save(commit=False)
            node.created_by = request.user
            node.save()
            messages.success(request, _("Added “%(node)s”.") % {"node": node.text})
            return redirect(_chains_url(assessment.city) + "#graph")
        transaction.set_rollback(True)  # nothing half-saved, not even a new assessment
    if new:
        assessment.pk = None
    return _chains_page(request, assessment, node_form=form)


@access("city-assess")
@require_POST
def link_add(request, slug):
    assessment = _assessable(request, slug)
    if assessment.pk is None:
        raise Http404(_("Add nodes before linking them."))
    form = LinkForm(request.POST, assessment=assessment,
                    nodes=list(ImpactNode.objects.filter(assessment=assessment)))
    if form.is_valid():
        try:
            link = ImpactLink.connect(form.cleaned_data["from_node"], form.cleaned_data["to_node"],
                                      request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Linked “%(from)s” to “%(to)s”.")
                             % {"from": link.from_node.text, "to": link.to_node.text})
            return redirect(_chains_url(assessment.city) + "#graph")
    return _chains_page(request, assessment, link_form=form)


@access("city-assess")
@require_POST
def node_remove(request, slug, pk):
    assessment = _assessable(request, slug)
    node = get_object_or_404(ImpactNode, assessment=assessment, pk=pk) \
        if assessment.pk else None
    if node is None:
        raise Http404
    if node.study_versions.filter(status=StudyVersion.Status.SIGNED).exists():
        messages.error(request, _("“%(node)s” is part of a signed-off study round and stays.")
                       % {"node": node.text})
    else:
        node.delete()
        messages.success(request, _("Removed “%(node)s” and its links.") % {"node": node.text})
    return redirect(_chains_url(assessment.city) + "#nodes")


@access("city-assess")
@require_POST
def link_remove(request, slug, pk):
    assessment = _assessable(request, slug)
    link = get_object_or_404(ImpactLink.objects.select_related("from_node", "to_node"),
                             from_node__assessment=assessment, pk=pk) \
        if assessment.pk else None
    if link is None:
        raise Http404
    link.delete()
    messages.success(request, _("Removed the link “%(from)s” → “%(to)s”.")
                     % {"from": link.from_node.text, "to": link.to_node.text})
    return redirect(_chains_url(assessment.city) + "#links")


# -- studies ----------------------------------------------------------------------------------
@access("public")
def study_list(request, slug):
    assessment = _assessment(request, slug)
    studies = []
    if assessment.pk:
        studies = list(SectorStudy.objects.filter(assessment=assessment).with_latest()
                       .select_related("lead", "issue"))
    return render(request, "studies/list.html", {
        "city": assessment.city, "assessment": assessment, "studies": studies,
        "can_assess": scope_of(request.user).can_assess_city(assessment.city),
    })


@access("city-assess")
@require_http_methods(["GET", "POST"])
def study_new(request, slug):
    assessment = _assessable(request, slug)
    form = None
    if request.method == "POST":
        with transaction.atomic():
            if assessment.pk is None:
                assessment = _assessable(request, slug, create=True)
            form = StudyForm(request.POST, assessment=assessment)
            if form.is_valid():
                study = form.save(commit=False)
                study.created_by = request.user
                study.save()
                form.save_m2m()
                study.start(request.user)
                messages.success(request, _("Study created: write round 1."))
                return redirect(reverse("studies:edit", args=[slug, study.pk]))
            transaction.set_rollback(True)
    form = form or StudyForm(assessment=assessment)
    return render(request, "studies/study_form.html", {
        "city": assessment.city, "form": form, "study": None})


@access("city-assess")
@require_http_methods(["GET", "POST"])
def study_settings(request, slug, pk):
    study = _editable_study(request, slug, pk)
    form = StudyForm(request.POST or None, instance=study, assessment=study.assessment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(_study_url(study))
    return render(request, "studies/study_form.html", {
        "city": study.assessment.city, "form": form, "study": study})


@access("public")
def study_detail(request, slug, pk):
    study = _study(request, slug, pk)
    rounds = _rounds(study)
    if not rounds:
        raise Http404(_("This study has no rounds yet."))
    wanted = request.GET.get("round")
    current = rounds[-1]
    if wanted and wanted.isdigit():
        current = next((r for r in rounds if r.round == int(wanted)), None)
        if current is None:
            raise Http404(_("This study has no round %(round)s.") % {"round": wanted})
    impact_graph = ImpactNode.objects.graph(study.assessment)
    linked = {n.pk for n in current.nodes.all()}
    city = study.assessment.city
    can_assess = scope_of(request.user).can_assess_city(city)
    return render(request, "studies/study.html", {
        "city": city, "study": study, "rounds": rounds, "current": current,
        "latest": rounds[-1], "chains": impact_graph.chains_through(linked),
        "can_assess": can_assess,
        "attachment_form": AttachmentForm(version=current)
        if can_assess and not current.is_signed else None,
    })


@access("city-assess")
@require_http_methods(["GET", "POST"])
def study_edit(request, slug, pk):
    """Write the open round; after a sign-off, saving starts the next round (a copy): the
    signed round is never touched. Looking at the form changes nothing."""
    study = _editable_study(request, slug, pk)
    latest = study.versions.order_by("-round").first()
    if latest is None:
        latest = study.start(request.user)
    if request.method == "POST":
        with transaction.atomic():
            version = study.draft_for_edit(request.user)
            form = VersionForm(request.POST, instance=version, assessment=study.assessment)
            if form.is_valid():
                form.save()
                messages.success(request, _("Round %(round)s saved.") % {"round": version.round})
                return redirect(_study_url(study))
            transaction.set_rollback(True)
        form.instance = latest
    else:
        form = VersionForm(instance=latest, assessment=study.assessment)
    return render(request, "studies/version_form.html", {
        "city": study.assessment.city, "study": study, "form": form, "latest": latest,
        "next_round": latest.round + 1 if latest.is_signed else latest.round,
    })


def _round(study, number):
    return get_object_or_404(StudyVersion, study=study, round=number)


@access("city-assess")
@require_POST
def sign_off(request, slug, pk, n):
    study = _editable_study(request, slug, pk)
    version = _round(study, n)
    try:
        version.sign_off(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Round %(round)s signed off.") % {"round": n})
    return redirect(_study_url(study, n))


@access("city-assess")
@require_POST
def attachment_add(request, slug, pk, n):
    study = _editable_study(request, slug, pk)
    version = _round(study, n)
    form = AttachmentForm(request.POST, request.FILES, version=version)
    if form.is_valid():
        attachment = form.save(commit=False)
        attachment.uploaded_by = request.user
        attachment.save()
        messages.success(request, _("Attached “%(title)s”.") % {"title": attachment.title})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_study_url(study, n) + "#attachments")


@access("city-assess")
@require_POST
def attachment_remove(request, slug, pk, attachment):
    study = _editable_study(request, slug, pk)
    item = get_object_or_404(StudyAttachment.objects.select_related("version"),
                             version__study=study, pk=attachment)
    try:
        item.delete()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed “%(title)s”.") % {"title": item.title})
    return redirect(_study_url(study, item.version.round) + "#attachments")


@access("public")
def attachment_file(request, slug, pk, attachment):
    """Files go through the same visibility check as their study."""
    study = _study(request, slug, pk)
    item = get_object_or_404(StudyAttachment, version__study=study, pk=attachment)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename,
                            content_type=content_type(item.file_type))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access("public")
def compare(request, slug, pk):
    study = _study(request, slug, pk)
    rounds = _rounds(study)
    if len(rounds) < 2:
        raise Http404(_("This study has only one round."))
    numbers = {r.round: r for r in rounds}

    def pick(name, default):
        value = request.GET.get(name, "")
        return numbers.get(int(value)) if value.isdigit() else default

    a, b = pick("a", rounds[-2]), pick("b", rounds[-1])
    if a is None or b is None:
        raise Http404(_("This study has no such round."))
    return render(request, "studies/compare.html", {
        "city": study.assessment.city, "study": study, "rounds": rounds, "a": a, "b": b,
        "diff": compare_rounds(a, b),
    })
