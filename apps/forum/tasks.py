"""Building a synthesis in the background (the tasks worker; immediately in tests), with its
progress in percent for the progress page to poll."""
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django_tasks import task

logger = logging.getLogger(__name__)
FILE_FIELDS = ("pdf", "docx", "xlsx")


def _step(synthesis, progress, **fields):
    from apps.forum.models import ForumSynthesis

    ForumSynthesis.objects.filter(pk=synthesis.pk).update(progress=progress,
                                                          updated_at=timezone.now(), **fields)


def build(synthesis):
    """Collect, render and store the three files; the signature is taken first, so data that
    changes while the build runs marks the result stale rather than being silently missed."""
    from apps.events.pdf import html_to_pdf
    from apps.forum import synthesis as content_of
    from apps.forum.pictures import rasterise
    from apps.forum.models import ForumSynthesis

    _step(synthesis, 5, status=ForumSynthesis.Status.RUNNING, error="")
    try:
        signature = content_of.input_signature(synthesis.network)
        recommendations = list(synthesis.recommendations.select_related(
            "city", "risk", "pilot", "indicator"))
        with translation.override("th"):
            content = content_of.collect(synthesis.network, recommendations)
            _step(synthesis, 30)
            html = content_of.render_html(content, synthesis)
            xlsx = content_of.to_xlsx(content)
            figures = content_of.figures(content)
        _step(synthesis, 40)
        pdf = html_to_pdf(html)
        _step(synthesis, 70)
        # The PDF's charts and maps, drawn as pictures for Word (no query while Chromium runs).
        pictures = rasterise(figures)
        with translation.override("th"):
            docx = content_of.to_docx(content, synthesis, pictures)
        _step(synthesis, 90)
        # The old files stay downloadable while this runs: the new ones are stored under new
        # names, the row points at them, and only then are the old ones removed.
        old_files = [getattr(synthesis, name).name for name in FILE_FIELDS
                     if getattr(synthesis, name)]
        for name, data in (("pdf", pdf), ("docx", docx), ("xlsx", xlsx)):
            getattr(synthesis, name).save(f"synthesis-{synthesis.pk}.{name}", ContentFile(data),
                                          save=False)
        synthesis.status, synthesis.progress = ForumSynthesis.Status.DONE, 100
        synthesis.signature, synthesis.built_at = signature, timezone.now()
        synthesis.save(update_fields=["pdf", "docx", "xlsx", "status", "progress", "signature",
                                      "built_at"])
        storage = synthesis.pdf.storage
        for name in old_files:
            if name not in {getattr(synthesis, f).name for f in FILE_FIELDS}:
                storage.delete(name)
    except Exception as error:  # reported on the page; the worker goes on with other tasks
        logger.exception("forum synthesis %s failed", synthesis.pk)
        _step(synthesis, 0, status=ForumSynthesis.Status.FAILED, error=str(error)[:500])
        return ForumSynthesis.Status.FAILED
    return synthesis.status


@task()
def build_synthesis_task(synthesis_id):
    from apps.forum.models import ForumSynthesis

    synthesis = ForumSynthesis.objects.select_related("network").filter(pk=synthesis_id).first()
    if synthesis is None or synthesis.status != ForumSynthesis.Status.QUEUED:
        return None  # deleted meanwhile, or delivered twice
    return build(synthesis)


def enqueue(synthesis):
    """Mark queued and queue once committed (before that the worker could not see the row).
    A synthesis already queued or building is left alone (a conditional UPDATE, so two
    requests at once queue it once), unless it is stuck; False then."""
    from apps.forum.models import ForumSynthesis

    # Not busy, or busy with no sign of life for ForumSynthesis.STUCK_AFTER (its worker died).
    free = ~Q(status__in=ForumSynthesis.BUSY) | ForumSynthesis.stuck_q()
    claimed = ForumSynthesis.objects.filter(free, pk=synthesis.pk).update(
        status=ForumSynthesis.Status.QUEUED, progress=0, updated_at=timezone.now(), error="")
    if not claimed:
        return False
    synthesis.status, synthesis.progress = ForumSynthesis.Status.QUEUED, 0
    pk = synthesis.pk
    transaction.on_commit(lambda: build_synthesis_task.enqueue(pk))
    return True
