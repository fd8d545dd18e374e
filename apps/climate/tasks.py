"""Background work: analyses run in the tasks worker (`make run` starts it), so a page is never
held up by decades of data. Views create the Analysis row and call `enqueue(analysis)`."""
from django.db import transaction
from django_tasks import task


@task()
def run_analysis_task(analysis_id):
    from apps.climate.models import Analysis

    analysis = (Analysis.objects.select_related("station__city").filter(pk=analysis_id)
                .first())
    if analysis is None or analysis.status != Analysis.Status.QUEUED:
        return None  # deleted meanwhile, or already run (a task delivered twice)
    analysis.run()
    return analysis.status


def enqueue(analysis):
    """Queue the analysis once the transaction that created it has committed (before that the
    worker could not see the row)."""
    transaction.on_commit(lambda: run_analysis_task.enqueue(analysis.pk))


def start_analysis(station, user, **parameters):
    """Create a queued analysis of `station` and queue it; returns the Analysis."""
    from apps.climate.models import Analysis

    with transaction.atomic():
        analysis = Analysis.objects.create(station=station, created_by=user, **parameters)
        enqueue(analysis)
    return analysis
