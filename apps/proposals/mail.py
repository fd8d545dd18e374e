"""Email to proponents: the screening result with the reasons, in the proponent's language,
sent only after the transaction commits (models schedule these with transaction.on_commit).
"""
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.events.mail import deliver, site_url


def _language(user):
    person = getattr(user, "person", None)
    if person is not None and person.city_id and person.city.country != "TH":
        return "en"
    return "th"


def screened(proposal_id):
    from apps.proposals.models import Proposal

    proposal = (Proposal.objects.select_related("call__city", "proponent__person__city")
                .get(pk=proposal_id))
    user = proposal.proponent
    if not user.email:
        return 0
    lang = _language(user)
    with translation.override(lang):
        checks = list(proposal.checks.select_related("rule").order_by("rule__order", "rule__pk"))
        context = {"proposal": proposal, "call": proposal.call, "checks": checks, "lang": lang,
                   "url": site_url(reverse("proposals:proposal", args=[proposal.pk]))}
        subject = " ".join(render_to_string("proposals/email/screened_subject.txt",
                                            context).split())
        body = render_to_string("proposals/email/screened_body.txt", context)
    return deliver([EmailMessage(subject, body, to=[user.email])])
