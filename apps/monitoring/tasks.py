"""Background imports of reported values (the tasks worker runs them; the page polls progress).
Views create the ValueImport row and call `start_import`, like apps.climate.tasks."""
from django.db import transaction
from django_tasks import task


@task()
def run_import_task(job_id):
    from apps.monitoring.imports import run_import
    from apps.monitoring.models import ValueImport

    job = ValueImport.objects.select_related("city", "pilot").filter(pk=job_id).first()
    if job is None or job.status != ValueImport.Status.QUEUED:
        return None  # deleted meanwhile, or already run (a task delivered twice)
    return run_import(job)


def start_import(city, pilot, upload, user):
    """Store the upload, count its rows (for the progress bar) and queue the import once the
    row is committed (before that the worker could not see it). Returns the ValueImport."""
    from apps.monitoring.imports import count_rows
    from apps.monitoring.models import ValueImport

    name = upload.name.rsplit("/", 1)[-1]
    kind = "xlsx" if name.lower().endswith(".xlsx") else "csv"
    try:
        total = count_rows(upload, kind)
    except Exception:  # noqa: BLE001 - an unreadable file is reported by the import itself
        total = 0
    with transaction.atomic():
        job = ValueImport.objects.create(city=city, pilot=pilot, file=upload, filename=name,
                                         created_by=user, rows_total=total)
        transaction.on_commit(lambda: run_import_task.enqueue(job.pk))
    return job
