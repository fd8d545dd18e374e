"""Stakeholder analysis: the organisations of the network placed by influence and interest.

Defaults come from participation, on 1-5 scales relative to the most active organisation:
- interest: events attended (checked in), working-group memberships, proposals submitted;
- influence: leading roles in working groups (chair, secretary), pilots led (twice
  a proposal), and being a government body.
The national coordinator may override either value (StakeholderPosition keeps who and when).
Five queries whatever the number of organisations.
"""
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.events.models import Registration
from apps.forum.models import StakeholderPosition
from apps.people.models import Membership, Organisation
from apps.pilots.models import Pilot
from apps.proposals.models import Proposal

LEADING = ("chair", "secretary")


@dataclass
class Stakeholder:
    organisation: Organisation
    influence_default: int
    interest_default: int
    position: StakeholderPosition | None

    @property
    def influence(self):
        p = self.position
        return p.influence if p and p.influence else self.influence_default

    @property
    def interest(self):
        p = self.position
        return p.interest if p and p.interest else self.interest_default

    @property
    def overridden(self):
        return bool(self.position and (self.position.influence or self.position.interest))

    @property
    def role(self):
        return self.position.role if self.position else ""


def _scale(raw, top):
    return 1 + round(4 * raw / top) if top else 1


def _counts(queryset, key):
    return Counter(dict(queryset.values_list(key).annotate(n=Count("pk")).order_by()))


def analyse(network):
    members = Membership.objects.filter(group__city__network=network, end=None,
                                        person__organisation__isnull=False)
    organisations = list(Organisation.objects.filter(
        Q(city__network=network) | Q(people__memberships__in=members)).distinct()
        .order_by("name_th"))
    key = "person__organisation"
    attended = _counts(Registration.objects.filter(
        checked_in_at__isnull=False, person__organisation__in=organisations)
        .filter(Q(event__network=network) | Q(event__city_activity__city__network=network)), key)
    memberships = _counts(members, key)
    leading = _counts(members.filter(role__in=LEADING), key)
    proposals = _counts(Proposal.objects.filter(call__city__network=network,
                                                organisation__in=organisations), "organisation")
    pilots = _counts(Pilot.objects.filter(city__network=network,
                                          proposal__organisation__in=organisations),
                     "proposal__organisation")
    positions = {p.organisation_id: p for p in
                 StakeholderPosition.objects.filter(network=network)}
    interest_raw = {o.pk: attended[o.pk] + memberships[o.pk] + proposals[o.pk]
                    for o in organisations}
    influence_raw = {o.pk: 2 * leading[o.pk] + 2 * pilots[o.pk]
                     + (2 if o.kind == "government" else 0) for o in organisations}
    top_interest = max(interest_raw.values(), default=0)
    top_influence = max(influence_raw.values(), default=0)
    return [Stakeholder(o, _scale(influence_raw[o.pk], top_influence),
                        _scale(interest_raw[o.pk], top_interest), positions.get(o.pk))
            for o in organisations]


def chart_data(stakeholders):
    """For the Chart.js bubble chart (json_script)."""
    return [{"x": s.interest, "y": s.influence, "r": 6, "label": s.organisation.name}
            for s in stakeholders]


def chart_svg(stakeholders, size=300):
    """The same grid for the PDF: interest across, influence up, one dot per organisation."""
    if not stakeholders:
        return ""
    pad, step = 30, (size - 40) / 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size + 160} {size}" '
           f'width="{size + 160}" height="{size}" class="forum-stakeholders">',
           f'<rect x="{pad}" y="10" width="{size - 40}" height="{size - 40}" fill="#f4f7fa" '
           f'stroke="#99a"/>',
           f'<line x1="{pad + 2 * step}" y1="10" x2="{pad + 2 * step}" y2="{size - 30}" '
           f'stroke="#cbd"/><line x1="{pad}" y1="{10 + 2 * step}" x2="{size - 10}" '
           f'y2="{10 + 2 * step}" stroke="#cbd"/>']
    seen = Counter()
    for s in stakeholders:
        x = pad + (s.interest - 1) * step
        y = 10 + (5 - s.influence) * step
        seen[(s.interest, s.influence)] += 1
        dy = 11 * (seen[(s.interest, s.influence)] - 1)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#0f6b5c"/>'
                   f'<text x="{x + 7:.1f}" y="{y + 4 + dy:.1f}" font-size="9" '
                   f'font-family="Loma, \'Noto Sans Thai\', sans-serif">'
                   f'{escape(s.organisation.name)}</text>')
    font = "font-family=\"Loma, 'Noto Sans Thai', sans-serif\" font-size=\"10\""
    out.append(f'<text x="{pad + 2 * step:.0f}" y="{size - 12}" text-anchor="middle" {font}>'
               f'{escape(_("Interest"))} (1-5) →</text>'
               f'<text transform="translate(14 {10 + 2 * step:.0f}) rotate(-90)" '
               f'text-anchor="middle" {font}>{escape(_("Influence"))} (1-5) →</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # nosec B308, B703 - numbers and escape()d text only
