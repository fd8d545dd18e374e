"""Building blocks for the proposals tests: a closed or open call with criteria and rules,
proponents with proposals, evaluators. Times are relative to now, so the clock rules apply
as in real use (pass `open=True` for a call that still accepts proposals)."""
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment
from apps.assessments.models import Assessment, RiskRating, ScopeGroup
from apps.core.testing import PASSWORD
from apps.people.models import Organisation, Person
from apps.proposals.models import (
    BudgetLine, Call, Criterion, EligibilityRule, Evaluator, Proposal, ProposalIndicator,
)


def make_call(city, open=True, criteria=((1, 1, 5), (2, 1, 5)), quota=2, ceiling=500_000,
              rules=("เป็นหน่วยงานในพื้นที่",), published=True):
    """A call of `city` with criteria given as (weight, scale_min, scale_max)."""
    now = timezone.now()
    assessment, _ = Assessment.objects.get_or_create(city=city)
    risk, _ = RiskRating.objects.get_or_create(
        assessment=assessment, hazard="flood", system="drainage",
        defaults={"likelihood": 4, "consequence": 5, "justification_th": "ท่วมบ่อย"})
    ScopeGroup.objects.get_or_create(assessment=assessment, name_th="ชุมชนริมน้ำ")
    if open:
        opens, closes = now - dt.timedelta(days=10), now + dt.timedelta(days=10)
    else:
        opens, closes = now - dt.timedelta(days=30), now - dt.timedelta(days=1)
    call = Call.objects.create(city=city, title_th="เปิดรับข้อเสนอโครงการนำร่อง",
                               title_en="Call for pilot projects", opens_at=opens,
                               closes_at=closes, quota=quota, budget_ceiling=Decimal(ceiling),
                               published=published)
    call.risks.add(risk)
    for order, text in enumerate(rules, 1):
        EligibilityRule.objects.create(call=call, order=order, text_th=text)
    for order, (weight, low, high) in enumerate(criteria, 1):
        Criterion.objects.create(call=call, order=order, name_th=f"เกณฑ์ {order}",
                                 name_en=f"Criterion {order}", weight=weight, scale_min=low,
                                 scale_max=high)
    return call


def make_user(username, city, role=Role.PROPONENT, organisation=None):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    RoleAssignment.objects.create(user=user, role=role, city=city)
    if organisation is not None:
        Person.objects.create(full_name_th=f"คุณ {username}", city=city, user=user,
                              organisation=organisation)
    return user


def make_organisation(city, name):
    return Organisation.objects.create(name_th=name, kind="ngo", city=city)


def make_proposal(call, proponent, organisation, title="โครงการ", amount=200_000,
                  submitted=True, eligible=True):
    """A complete proposal; submitted and screened eligible unless told otherwise (the
    status is set directly, so this works on closed calls too)."""
    proposal = Proposal.objects.create(
        call=call, proponent=proponent, organisation=organisation, title_th=title,
        problem_th="น้ำท่วมขังในชุมชน")
    proposal.risks.set(call.risks.all())
    BudgetLine.objects.create(proposal=proposal, item="ค่าวัสดุ", amount=Decimal(amount))
    ProposalIndicator.objects.create(proposal=proposal, name="ครัวเรือนที่ได้ประโยชน์",
                                     unit="ครัวเรือน", target="100")
    if submitted:
        proposal.status = Proposal.Status.SUBMITTED
        proposal.submitted_at = timezone.now()
        if eligible:
            proposal.eligibility = Proposal.Eligibility.ELIGIBLE
        proposal.save()
    return proposal


def make_evaluator(call, user, organisation=None):
    return Evaluator.objects.create(call=call, user=user, organisation=organisation)


def score_all(evaluator, values, now=None):
    """Declare no conflicts (own organisation excepted, as the rule forces), score every
    proposal the evaluator may score with `values[proposal.pk]` (a list per criterion, or one
    number for all), and submit."""
    evaluator.declare({p.pk: (False, "") for p in evaluator.call.proposals.eligible()}, now=now)
    criteria = list(evaluator.call.criteria.all())
    for proposal in evaluator.to_score():
        value = values[proposal.pk]
        per = value if isinstance(value, (list, tuple)) else [value] * len(criteria)
        evaluator.score(proposal, {c.pk: (v, "") for c, v in zip(criteria, per)}, now=now)
    evaluator.submit(now=now)
