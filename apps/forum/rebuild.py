"""Built syntheses rebuild themselves when their data changes.

Whenever a record that feeds a synthesis is saved or deleted (see `input_signature`), what it
hangs from is noted, and once the transaction commits every DONE synthesis of its network whose
signature no longer matches is queued for one rebuild. Three rules keep this
cheap and single:

- one callback per changed parent (assessment, dialogue, pilot, city...) per transaction,
  however many records a form or an import saves (the pending on-commit callbacks are looked
  at before adding another), and no query before the commit;
- children of an unpublished assessment, dialogue or pilot are not inputs: after the commit,
  one small query finds the network of a published parent, or nothing;
- a synthesis is claimed by a conditional UPDATE (DONE -> QUEUED), so two transactions that
  commit at once queue it once; one already queued or building is left alone.

Bulk paths that send no signals (imports with bulk_create, COPY, queryset.update) are caught
when the synthesis page is viewed (`refresh_if_stale`). The old files stay downloadable while
the new ones are built (apps.forum.tasks.build replaces them only at the end).
"""
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from apps.forum.models import ForumSynthesis


class _Refresh:
    """The on-commit callback for one changed parent (recognisable, so it is added once)."""

    def __init__(self, key):
        self.key = key
        self.ran = False  # run callbacks stay listed in tests' captured transactions

    def __call__(self):
        self.ran = True
        network_id = network_of(*self.key)
        if network_id is not None:
            refresh_network(network_id)


def schedule(key, using=None):
    """Note a change under `key` (kind, id): a city, an assessment, a dialogue, a pilot...
    No query here: the network is found once the transaction has committed, so saving an
    input costs its own queries only (other apps' query counts stay as they were)."""
    if key[1] is None:
        return
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
            isinstance(callback, _Refresh) and callback.key == key and not callback.ran
            for _sids, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_Refresh(key), using=using)


def claim(synthesis_id):
    """DONE (or stuck: its worker died) -> QUEUED for this synthesis if nobody else did it
    first."""
    from django.utils import timezone

    ready = Q(status=ForumSynthesis.Status.DONE) | ForumSynthesis.stuck_q()
    return ForumSynthesis.objects.filter(ready, pk=synthesis_id).update(
        status=ForumSynthesis.Status.QUEUED, progress=0, updated_at=timezone.now()) == 1


def refresh_network(network_id):
    """Queue one rebuild per DONE synthesis of the network built from other data than there
    is now. One query when the network has no built synthesis; the signature otherwise."""
    from apps.forum.synthesis import input_signature
    from apps.forum.tasks import build_synthesis_task

    built = list(ForumSynthesis.objects.filter(
        Q(status=ForumSynthesis.Status.DONE) | ForumSynthesis.stuck_q(), network_id=network_id)
        .values_list("pk", "signature"))
    if not built:
        return []
    current = input_signature(network_id)
    queued = [pk for pk, signature in built if signature != current and claim(pk)]
    for pk in queued:
        build_synthesis_task.enqueue(pk)
    return queued


def refresh_if_stale(synthesis):
    """The synthesis page's check: a DONE synthesis whose data changed without a signal is
    queued now (built once the request's transaction commits). True when this call queued
    it; either way it is no longer stale-and-waiting afterwards (queued by this call or by
    whoever claimed it first)."""
    if synthesis.status != ForumSynthesis.Status.DONE or not synthesis.is_stale():
        return False
    if not claim(synthesis.pk):
        return False
    from apps.forum.tasks import build_synthesis_task

    synthesis.status, synthesis.progress = ForumSynthesis.Status.QUEUED, 0
    pk = synthesis.pk
    transaction.on_commit(lambda: build_synthesis_task.enqueue(pk))
    return True


# -- which network a changed record belongs to ---------------------------------------------------
def network_of(kind, pk):
    """The network whose synthesis reads records under (kind, pk), or None when they are not
    an input: children of an unpublished assessment, dialogue or pilot. One query."""
    from apps.assessments.models import Assessment
    from apps.dialogues.models import Dialogue
    from apps.monitoring.models import Indicator
    from apps.networks.models import City
    from apps.pilots.models import Pilot, PilotComponent
    from apps.progress.models import CityActivity

    if kind == "network":
        return pk
    rows = {
        "city": lambda: City.objects.filter(pk=pk).values_list("network_id"),
        "assessment": lambda: Assessment.objects.filter(pk=pk, published=True)
        .values_list("city__network_id"),
        "city_activity": lambda: CityActivity.objects.filter(pk=pk)
        .values_list("city__network_id"),
        "dialogue": lambda: Dialogue.objects.filter(pk=pk, published=True)
        .values_list("city_activity__city__network_id"),
        "pilot": lambda: Pilot.objects.filter(pk=pk, published=True)
        .values_list("city__network_id"),
        "indicator": lambda: Indicator.objects.filter(pk=pk, pilot__published=True)
        .values_list("city__network_id"),
        "component": lambda: PilotComponent.objects.filter(pk=pk, pilot__published=True)
        .values_list("pilot__city__network_id"),
    }[kind]().first()
    return rows[0] if rows else None


def inputs():
    """(model, the (kind, id) its records hang from) for every model input_signature reads.
    Deleting a parent deletes its children first, while the parent still exists; a parent's
    own change (published or not) is keyed by its city. Values of indicators are not here:
    they count once their report is approved (Report), and they are written in bulk (the
    page's check catches imports). City-wide monitoring (no pilot) is no input."""
    from apps.assessments.models import Assessment, RiskArea, RiskRating, ScopeGroup
    from apps.dialogues.models import Dialogue, DialogueItem
    from apps.forum.models import StakeholderPosition
    from apps.monitoring.models import Indicator, Report, Target
    from apps.pilots.models import Milestone, Pilot, PilotComponent

    return [
        (Assessment, lambda i: ("city", i.city_id)),
        (RiskRating, lambda i: ("assessment", i.assessment_id)),
        (ScopeGroup, lambda i: ("assessment", i.assessment_id)),
        (RiskArea, lambda i: ("assessment", i.assessment_id)),
        (Dialogue, lambda i: ("city_activity", i.city_activity_id)),
        (DialogueItem, lambda i: ("dialogue", i.dialogue_id)),
        (Pilot, lambda i: ("city", i.city_id)),
        (Report, lambda i: ("pilot", i.pilot_id)),
        (Indicator, lambda i: ("pilot", i.pilot_id)),
        (Target, lambda i: ("indicator", i.indicator_id)),
        (StakeholderPosition, lambda i: ("network", i.network_id)),
        # A pilot's progress (%) comes from its workplan.
        (PilotComponent, lambda i: ("pilot", i.pilot_id)),
        (Milestone, lambda i: ("component", i.component_id)),
    ]


def connect():
    for model, key_of in inputs():
        def changed(sender, instance, using=None, raw=False, _key_of=key_of, **kwargs):
            if raw:  # fixtures being loaded
                return
            schedule(_key_of(instance), using=using)
        post_save.connect(changed, sender=model, weak=False,
                          dispatch_uid=f"forum-rebuild-save-{model._meta.label}")
        post_delete.connect(changed, sender=model, weak=False,
                            dispatch_uid=f"forum-rebuild-delete-{model._meta.label}")
