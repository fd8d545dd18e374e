"""Built syntheses rebuild themselves when their data changes.

Whenever a record that feeds a synthesis is saved or deleted (see `input_signature`), the
network it belongs to is noted, and once the transaction commits every DONE synthesis of that
network whose signature no longer matches is queued for one rebuild. Three rules keep this
cheap and single:

- one callback per network per transaction, however many records a form or an import saves
  (the pending on-commit callbacks are looked at before adding another);
- children of an unpublished assessment, dialogue or pilot are not inputs: nothing is noted
  for them (one small query finds the network of a published parent, or nothing);
- a synthesis is claimed by a conditional UPDATE (DONE -> QUEUED), so two transactions that
  commit at once queue it once; one already queued or building is left alone.

Bulk paths that send no signals (imports with bulk_create, COPY, queryset.update) are caught
when the synthesis page is viewed (`refresh_if_stale`). The old files stay downloadable while
the new ones are built (apps.forum.tasks.build replaces them only at the end).
"""
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from apps.forum.models import ForumSynthesis


class _Refresh:
    """The on-commit callback for one network (recognisable, so it is added once)."""

    def __init__(self, network_id):
        self.network_id = network_id
        self.ran = False  # run callbacks stay listed in tests' captured transactions

    def __call__(self):
        self.ran = True
        refresh_network(self.network_id)


def schedule(network_id, using=None):
    if network_id is None:
        return
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
            isinstance(callback, _Refresh) and callback.network_id == network_id
            and not callback.ran for _sids, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_Refresh(network_id), using=using)


def claim(synthesis_id):
    """DONE -> QUEUED for this synthesis if nobody else did it first."""
    return ForumSynthesis.objects.filter(pk=synthesis_id, status=ForumSynthesis.Status.DONE) \
        .update(status=ForumSynthesis.Status.QUEUED, progress=0) == 1


def refresh_network(network_id):
    """Queue one rebuild per DONE synthesis of the network built from other data than there
    is now. One query when the network has no built synthesis; the signature otherwise."""
    from apps.forum.synthesis import input_signature
    from apps.forum.tasks import build_synthesis_task

    built = list(ForumSynthesis.objects.filter(network_id=network_id,
                                               status=ForumSynthesis.Status.DONE)
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
    queued now (built once the request's transaction commits). True when it was queued."""
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
def _first(queryset):
    return queryset.first()


def _of_city(instance):
    from apps.networks.models import City

    return _first(City.objects.filter(pk=instance.city_id).values_list("network_id", flat=True))


def _of_assessment_record(instance):
    from apps.assessments.models import Assessment

    return _first(Assessment.objects.filter(pk=instance.assessment_id, published=True)
                  .values_list("city__network_id", flat=True))


def _of_dialogue(instance):
    from apps.progress.models import CityActivity

    return _first(CityActivity.objects.filter(pk=instance.city_activity_id)
                  .values_list("city__network_id", flat=True))


def _of_dialogue_item(instance):
    from apps.dialogues.models import Dialogue

    return _first(Dialogue.objects.filter(pk=instance.dialogue_id, published=True)
                  .values_list("city_activity__city__network_id", flat=True))


def _of_published_pilot(pilot_id):
    from apps.pilots.models import Pilot

    if pilot_id is None:
        return None  # city-wide monitoring does not go into the synthesis
    return _first(Pilot.objects.filter(pk=pilot_id, published=True)
                  .values_list("city__network_id", flat=True))


def _of_target(instance):
    from apps.monitoring.models import Indicator

    return _first(Indicator.objects.filter(pk=instance.indicator_id, pilot__published=True)
                  .values_list("city__network_id", flat=True))


def inputs():
    """(model, how to find its network) for every model input_signature reads. Values of
    indicators are not here: they count once their report is approved (Report) and are
    written in bulk (the page's check catches imports)."""
    from apps.assessments.models import Assessment, RiskArea, RiskRating, ScopeGroup
    from apps.dialogues.models import Dialogue, DialogueItem
    from apps.forum.models import StakeholderPosition
    from apps.monitoring.models import Indicator, Report, Target
    from apps.pilots.models import Pilot

    return [
        (Assessment, _of_city),
        (RiskRating, _of_assessment_record),
        (ScopeGroup, _of_assessment_record),
        (RiskArea, _of_assessment_record),
        (Dialogue, _of_dialogue),
        (DialogueItem, _of_dialogue_item),
        (Pilot, _of_city),
        (Report, lambda i: _of_published_pilot(i.pilot_id)),
        (Indicator, lambda i: _of_published_pilot(i.pilot_id)),
        (Target, _of_target),
        (StakeholderPosition, lambda i: i.network_id),
    ]


def connect():
    for model, network_of in inputs():
        def changed(sender, instance, using=None, raw=False, _network_of=network_of, **kwargs):
            if raw:  # fixtures being loaded
                return
            schedule(_network_of(instance), using=using)
        post_save.connect(changed, sender=model, weak=False,
                          dispatch_uid=f"forum-rebuild-save-{model._meta.label}")
        post_delete.connect(changed, sender=model, weak=False,
                            dispatch_uid=f"forum-rebuild-delete-{model._meta.label}")
