"""Building a synthesis in the background (the tasks worker; immediately in tests), with its
progress in percent for the progress page to poll."""
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

logger = logging.getLogger(__name__)


def _step(synthesis, progress, **fields):
    from apps.forum.models import ForumSynthesis

    ForumSynthesis.objects.filter(pk=synthesis.pk).update(progress=progress, **fields)


def build(synthesis):
    """Collect, render and store the three files; the signature is taken first, so data that
    changes while the build runs marks the result stale rather than being silently missed."""
    from apps.events.pdf import html_to_pdf
    from apps.forum import synthesis as content_of
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
            docx = content_of.to_docx(content, synthesis)
        _step(synthesis, 50)
        pdf = html_to_pdf(html)
        _step(synthesis, 90)
        for name, data in (("pdf", pdf), ("docx", docx), ("xlsx", xlsx)):
            old = getattr(synthesis, name)
            if old:
                old.delete(save=False)
            getattr(synthesis, name).save(f"synthesis-{synthesis.pk}.{name}", ContentFile(data),
                                          save=False)
        synthesis.status, synthesis.progress = ForumSynthesis.Status.DONE, 100
        synthesis.signature, synthesis.built_at = signature, timezone.now()
        synthesis.save(update_fields=["pdf", "docx", "xlsx", "status", "progress", "signature",
                                      "built_at"])
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
    """Mark queued and queue once committed (before that the worker could not see the row)."""
    from apps.forum.models import ForumSynthesis

    ForumSynthesis.objects.filter(pk=synthesis.pk).update(
        status=ForumSynthesis.Status.QUEUED, progress=0)
    synthesis.status, synthesis.progress = ForumSynthesis.Status.QUEUED, 0
    transaction.on_commit(lambda: build_synthesis_task.enqueue(synthesis.pk))
