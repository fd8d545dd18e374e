"""Pages of the national forum synthesis. Building, rebuilding, publishing and writing the
recommendations are the network's national coordinator's; a synthesis is read by them and,
once published, by everyone. Anyone else gets 404 for an unpublished synthesis (like a missing
page), including other networks' coordinators."""
from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.scope import scope_of
from apps.core.access import access
from apps.forum.forms import RecommendationForm, StakeholderForm, SynthesisForm
from apps.forum.models import ForumSynthesis, PolicyRecommendation, StakeholderPosition
from apps.forum.rebuild import refresh_if_stale
from apps.forum.tasks import enqueue
from apps.networks.models import Network

FILES = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _network_admin(request, slug):
    network = get_object_or_404(Network, slug=slug)
    if not scope_of(request.user).can_admin_network(network):
        raise Http404(_("This page does not exist."))
    return network


def _synthesis(request, pk, admin=False):
    synthesis = (ForumSynthesis.objects.visible_to(request.user).select_related("network")
                 .filter(pk=pk).first())
    if synthesis is None:
        raise Http404(_("This synthesis does not exist or is not published."))
    if admin and not synthesis.can_admin(request.user):
        raise Http404(_("This synthesis does not exist or is not published."))
    return synthesis


@access("public")
def synthesis_list(request, slug):
    network = get_object_or_404(Network, slug=slug)
    rows = ForumSynthesis.objects.visible_to(request.user).filter(network=network)
    return render(request, "forum/list.html", {
        "network": network, "syntheses": rows,
        "can_admin": scope_of(request.user).can_admin_network(network),
        "form": SynthesisForm()})


@access("login")
@require_POST
def synthesis_new(request, slug):
    network = _network_admin(request, slug)
    form = SynthesisForm(request.POST)
    if not form.is_valid():
        return render(request, "forum/list.html", {
            "network": network, "can_admin": True, "form": form,
            "syntheses": ForumSynthesis.objects.filter(network=network)}, status=400)
    with transaction.atomic():
        synthesis = form.save(commit=False)
        synthesis.network, synthesis.created_by = network, request.user
        synthesis.save()
        enqueue(synthesis)
    return redirect("forum:detail", synthesis.pk)


@access("public")
def detail(request, pk):
    synthesis = _synthesis(request, pk)
    can_admin = synthesis.can_admin(request.user)
    # Data changed by paths that send no signal (bulk imports): rebuilt now, old files kept.
    # Stale and DONE is never left waiting: queued here (or by whoever claimed it first).
    refresh_if_stale(synthesis)
    return render(request, "forum/detail.html", {
        "synthesis": synthesis, "can_admin": can_admin, "stale": False,
        "stuck": synthesis.is_stuck(),
        "recommendations": synthesis.recommendations.select_related(
            "city", "risk", "pilot", "indicator"),
        "form": RecommendationForm(network=synthesis.network) if can_admin else None})


@access("public")
def progress(request, pk):
    synthesis = _synthesis(request, pk)
    return JsonResponse({"status": synthesis.status, "progress": synthesis.progress,
                         "label": synthesis.get_status_display(), "error": synthesis.error})


@access("public")
def download(request, pk, kind):
    synthesis = _synthesis(request, pk)
    stored = getattr(synthesis, kind, None) if kind in FILES else None
    if not stored:
        raise Http404(_("This file has not been built yet."))
    return FileResponse(stored.open("rb"), content_type=FILES[kind],
                        as_attachment=kind != "pdf",
                        filename=f"forum-synthesis-{synthesis.pk}.{kind}")


@access("login")
@require_POST
def rebuild(request, pk):
    synthesis = _synthesis(request, pk, admin=True)
    with transaction.atomic():
        queued = enqueue(synthesis)
    if not queued:
        messages.info(request, _("The synthesis is already being built."))
    return redirect("forum:detail", synthesis.pk)


@access("login")
@require_POST
def publish(request, pk):
    synthesis = _synthesis(request, pk, admin=True)
    wanted = request.POST.get("published") == "1"
    if wanted and synthesis.status != ForumSynthesis.Status.DONE:
        messages.error(request, _("Build the synthesis before publishing it."))
    else:
        ForumSynthesis.objects.filter(pk=synthesis.pk).update(published=wanted)
        messages.success(request, _("Published.") if wanted else _("Unpublished."))
    return redirect("forum:detail", synthesis.pk)


def _update_documents(synthesis):
    """Recommendations are the synthesis' own data (not in its input signature): a built
    synthesis is rebuilt with them; one not built yet or failed waits for its build."""
    if synthesis.status == ForumSynthesis.Status.DONE:
        enqueue(synthesis)


@access("login")
@require_POST
def recommendation_add(request, pk):
    synthesis = _synthesis(request, pk, admin=True)
    form = RecommendationForm(request.POST, network=synthesis.network)
    if not form.is_valid():
        return render(request, "forum/detail.html", {
            "synthesis": synthesis, "can_admin": True, "stale": synthesis.is_stale(),
            "recommendations": synthesis.recommendations.all(), "form": form}, status=400)
    with transaction.atomic():
        row = form.save(commit=False)
        row.synthesis = synthesis
        last = synthesis.recommendations.aggregate(top=Max("order"))["top"]
        row.order = 1 if last is None else last + 1
        row.save()
        _update_documents(synthesis)
    messages.success(request, _("Recommendation added; the documents are being updated to "
                                "include it."))
    return redirect(reverse("forum:detail", args=[synthesis.pk]) + "#recommendations")


@access("login")
@require_POST
def recommendation_remove(request, pk, row):
    synthesis = _synthesis(request, pk, admin=True)
    with transaction.atomic():
        get_object_or_404(PolicyRecommendation, synthesis=synthesis, pk=row).delete()
        _update_documents(synthesis)
    return redirect(reverse("forum:detail", args=[synthesis.pk]) + "#recommendations")


@access("login")
def stakeholder_page(request, slug):
    """The network's stakeholder analysis: the chart, defaults and overrides (national
    coordinator only; the published synthesis carries it to everyone else)."""
    from apps.forum import stakeholders

    network = _network_admin(request, slug)
    form = None
    if request.method == "POST":
        form = StakeholderForm(request.POST)
        people = {s.organisation.pk: s for s in stakeholders.analyse(network)}
        if form.is_valid() and form.cleaned_data["organisation"] in people:
            data = form.cleaned_data
            StakeholderPosition.objects.update_or_create(
                network=network, organisation_id=data["organisation"],
                defaults={"influence": data["influence"], "interest": data["interest"],
                          "role_th": data["role_th"], "role_en": data["role_en"],
                          "changed_by": request.user, "changed_at": timezone.now()})
            messages.success(request, _("Saved."))
            return redirect("forum:stakeholders", network.slug)
        if form.is_valid():
            form.add_error(None, _("This organisation is not part of the network."))
    people = stakeholders.analyse(network)
    return render(request, "forum/stakeholders.html", {
        "network": network, "stakeholders": people, "form": form,
        "chart": stakeholders.chart_data(people)})
