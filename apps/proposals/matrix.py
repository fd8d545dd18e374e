"""Calls, proposals, evaluation, selection and the funder's decision in the central
permission matrices (tests/).

prepare() gives each target city a published call that has closed, with one rule, two
criteria and one submitted, eligible proposal, scored and shortlisted. In the own city (A1)
the proposal is `proponent`'s and `expert` is the call's evaluator (declared, submitted); in
the other cities both are people of that city. Each proposal is approved by the funder, so
each city has a pilot (unpublished).

Kinds beyond the central ones (see expected() below):
- "proposal-read": the dossier. The proponent of A1; the city's coordinators and the
  national coordinator; A1's evaluator (`expert`); funder reviewers of network A (the
  proposals are shortlisted). Others 404, as for a missing proposal.
- "proposal-own": the proponent only; other readers of the proposal 403, others 404.
- "evaluator-call" / "evaluator-proposal": the call's evaluator (`expert` in A1); on a call
  (published) everyone else signed in gets 403; on a proposal, readers 403, others 404.
- "selection": the ranking and its exports: coordinators and the national coordinator,
  the evaluator who submitted, funders (the shortlist is recorded); others 403.
- "funder-call" / "funder-proposal": funder reviewers of network A and superusers.
- "login-proponent": proposing to a published call: the city's proponents; others 403.
- "manage-proposal": a step on a proposal for the call's managers (screening); the
  proposal's other readers 403, others 404.
- "own-score": correcting a submitted score: its own evaluator (`expert` in A1); 404 for
  everyone else, the coordinator included, as for a missing score.
- "manage-call": a step on a call for its managers (weights, shortlist); others signed in
  403 (the call is published).
"""
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment
from apps.core.testing import PASSWORD
from apps.people.models import Organisation, Person

PROPONENT_OWN = {"proponent": {"own"}}
EVALUATOR = {"expert": {"own"}}
FUNDER = {"funder": {"own", "sibling"}, "admin": {"own", "sibling", "foreign"}}
MANAGE = {"national": {"own", "sibling"}, "coordinator": {"own"}, "outsider": {"sibling"},
          "stranger": {"foreign"}, "admin": {"own", "sibling", "foreign"}}


def _in(table, role, target):
    return target in table.get(role, set())


def proposal_readable(role, target):
    return any(_in(t, role, target) for t in (PROPONENT_OWN, EVALUATOR, FUNDER, MANAGE))


def expected(kind, role, target):
    """The status for this app's kinds (None: not one of ours)."""
    if kind not in ("proposal-read", "proposal-own", "evaluator-call", "evaluator-proposal",
                    "selection", "funder-call", "funder-proposal", "login-proponent",
                    "manage-proposal", "manage-call", "own-score"):
        return None
    if role == "anonymous":
        return 302
    readable = proposal_readable(role, target)
    if kind == "proposal-read":
        return 200 if readable else 404
    if kind == "login-proponent":  # proposing to a published call: the city's proponents
        return "ok" if _in(PROPONENT_OWN, role, target) else 403
    if kind == "manage-call":  # a step on a (published) call for its managers
        return "ok" if _in(MANAGE, role, target) else 403
    if kind == "manage-proposal":  # screening: the call's managers
        return "ok" if _in(MANAGE, role, target) else (403 if readable else 404)
    if kind == "proposal-own":
        return "ok" if _in(PROPONENT_OWN, role, target) else (403 if readable else 404)
    if kind == "evaluator-call":
        return "ok" if _in(EVALUATOR, role, target) else 403
    if kind == "evaluator-proposal":
        return "ok" if _in(EVALUATOR, role, target) else (403 if readable else 404)
    if kind == "selection":
        allowed = any(_in(t, role, target) for t in (MANAGE, EVALUATOR, FUNDER))
        return "ok" if allowed else 403
    if kind == "own-score":  # correcting a score: its evaluator only, 404 for anyone else
        return "ok" if _in(EVALUATOR, role, target) else 404
    if kind == "funder-call":
        return "ok" if _in(FUNDER, role, target) else 403
    if kind == "funder-proposal":
        return "ok" if _in(FUNDER, role, target) else (403 if readable else 404)
    raise AssertionError(kind)


# Pages: url name -> [(method, kind, data)]. Each part of the app adds its own below.
PAGE_SPECS = {
    # calls and proposals (views/calls.py, views/proposals.py)
    "proposals:calls": [("get", "public", None)],
    "proposals:call-new": [("get", "city-edit-public", None)],
    "proposals:call": [("get", "public", None)],
    "proposals:call-edit": [("get", "city-edit-public", None)],
    "proposals:call-publish": [("post", "city-edit-public", {"published": "1"})],
    "proposals:history": [("get", "selection", None)],
    "proposals:proposal-new": [("post", "login-proponent", {})],
    "proposals:mine": [("get", "login", None)],
    "proposals:proposal": [("get", "proposal-read", None)],
    "proposals:proposal-edit": [("get", "proposal-own", None)],
    "proposals:proposal-submit": [("post", "proposal-own", {})],
    "proposals:proposal-withdraw": [("post", "proposal-own", {})],
    "proposals:proposal-attach": [("post", "proposal-own", {"title": "x"})],
    "proposals:attachment": [("get", "proposal-read", None)],
    "proposals:screen": [("get", "manage-proposal", None)],
    # evaluation (views/evaluation.py)
    "proposals:evaluate": [("get", "evaluator-call", None)],
    "proposals:declare": [("post", "evaluator-call", {})],
    "proposals:submit-scores": [("post", "evaluator-call", {})],
    "proposals:progress": [("get", "manage-call", None)],
    "proposals:score": [("get", "evaluator-proposal", None), ("post", "evaluator-proposal", {})],
    "proposals:correct-score": [("post", "own-score", {"value": "", "reason": ""})],
    # selection (views/selection.py)
    "proposals:ranking": [("get", "selection", None)],
    "proposals:weights": [("post", "manage-call", {"method": "topsis"})],
    "proposals:shortlist": [("get", "manage-call", None)],
    "proposals:review": [("get", "funder-call", None)],
    "proposals:decide": [("post", "funder-proposal", {})],
    "proposals:correct-decision": [("post", "funder-proposal", {})],
    # exports (views/exports.py)
    "proposals:ranking-xlsx": [("get", "selection", None)],
    "proposals:ranking-csv": [("get", "selection", None)],
    "proposals:selection-report": [("get", "selection", None)],
    "proposals:dossier-pdf": [("get", "proposal-read", None)],
}


def page_kwargs(name, world, target):
    if not (name.startswith("proposals:") or name == "pilots:detail"):
        return None  # the other pilot pages: apps/pilots/matrix.py
    city, objects = world.cities[target], world.objects[target]
    call, proposal = objects["call"], objects["proposal"]
    if name in ("proposals:calls", "proposals:call-new"):
        return {"slug": city.slug}
    if name == "proposals:mine":
        return {}
    if name == "proposals:attachment":
        return {"pk": proposal.pk, "file_pk": objects["proposal_attachment"].pk}
    if name == "proposals:correct-score":
        return {"pk": objects["score"].pk}
    if name == "proposals:correct-decision":
        return {"pk": objects["decision"].pk}
    if name == "pilots:detail":
        return {"pk": objects["pilot"].pk}
    if name in PROPOSAL_PAGES:
        return {"pk": proposal.pk}
    return {"pk": call.pk}


PROPOSAL_PAGES = {"proposals:proposal", "proposals:proposal-edit", "proposals:proposal-submit",
                  "proposals:proposal-withdraw", "proposals:proposal-attach",
                  "proposals:screen", "proposals:score", "proposals:decide",
                  "proposals:dossier-pdf"}


def prepare(world):
    from django.core.files.base import ContentFile

    from apps.events.models import Event
    from apps.progress.models import CityActivity
    from apps.proposals.models import (
        BudgetLine, Call, Conflict, Criterion, EligibilityCheck, EligibilityRule, Evaluator,
        Proposal, ProposalAttachment, ProposalIndicator, Score, Shortlist, ShortlistEntry, decide,
    )

    User = get_user_model()
    now = timezone.now()
    for target, city in world.cities.items():
        objects = world.objects[target]
        assessment = objects["assessment"]
        if target == "own":
            proponent, evaluator_user = world.user("proponent"), world.user("expert")
            organisation = world.organisation
        else:
            proponent = User.objects.create_user(f"proponent-{target}", password=PASSWORD)
            RoleAssignment.objects.create(user=proponent, role=Role.PROPONENT, city=city)
            evaluator_user = User.objects.create_user(f"evaluator-{target}", password=PASSWORD)
            RoleAssignment.objects.create(user=evaluator_user, role=Role.EXPERT, city=city)
            organisation = Organisation.objects.create(name_th=f"มูลนิธิ {target}", kind="ngo",
                                                       city=city)
        Person.objects.get_or_create(user=proponent, defaults={
            "full_name_th": f"ผู้เสนอ {target}", "city": city, "organisation": organisation})
        call = Call.objects.create(
            city=city, title_th=f"เปิดรับข้อเสนอ {target}", budget_ceiling=Decimal("500000"),
            opens_at=now - dt.timedelta(days=60), closes_at=now - dt.timedelta(days=30),
            published=True)
        call.risks.set(assessment.risks.all())
        rule = EligibilityRule.objects.create(call=call, text_th="เป็นหน่วยงานในพื้นที่")
        criteria = [Criterion.objects.create(call=call, order=i, name_th=f"เกณฑ์ {i}",
                                             weight=i) for i in (1, 2)]
        proposal = Proposal.objects.create(
            call=call, proponent=proponent, organisation=organisation,
            title_th=f"โครงการ {target}", problem_th="น้ำท่วม", status=Proposal.Status.SUBMITTED,
            submitted_at=now - dt.timedelta(days=40), eligibility=Proposal.Eligibility.ELIGIBLE)
        proposal.risks.set(assessment.risks.all())
        BudgetLine.objects.create(proposal=proposal, item="ค่าวัสดุ", amount=Decimal("200000"))
        ProposalIndicator.objects.create(proposal=proposal, name="ครัวเรือน", target="100")
        EligibilityCheck.objects.create(proposal=proposal, rule=rule, eligible=True)
        attachment = ProposalAttachment(proposal=proposal, title="แผนที่", kind="pdf", size=8)
        attachment.file.save("map.pdf", ContentFile(b"%PDF-1.4"), save=False)
        attachment.save()
        evaluator = Evaluator.objects.create(call=call, user=evaluator_user,
                                             declared_at=now - dt.timedelta(days=20),
                                             submitted_at=now - dt.timedelta(days=10))
        Conflict.objects.create(evaluator=evaluator, proposal=proposal, conflicted=False)
        scores = [Score.objects.create(evaluator=evaluator, proposal=proposal, criterion=c,
                                       value=4) for c in criteria]
        activity = CityActivity.objects.get(city=city, plan_activity__number=3)
        event = Event(city_activity=activity, title_th=f"ประชุมคัดเลือก {target}",
                      starts_at=now - dt.timedelta(days=5), ends_at=now - dt.timedelta(days=5) + dt.timedelta(hours=3))
        event.create(None)
        shortlist = Shortlist.objects.create(call=call, event=event, method=call.method,
                                             weights={}, ranking=[])
        ShortlistEntry.objects.create(shortlist=shortlist, proposal=proposal, rank=1, total=0.75)
        decision = decide(proposal, world.user("funder") if target != "foreign" else
                          world.user("stranger"), "approved", budget=Decimal("150000"))
        objects.update(call=call, proposal=proposal, proposal_attachment=attachment, score=scores[0],
                       decision=decision, pilot=proposal.pilot, evaluator=evaluator,
                       selection_event=event)


def fingerprint():
    from apps.pilots.models import Pilot
    from apps.proposals.models import (
        Call, CallChange, Conflict, Criterion, Decision, EligibilityCheck, Evaluator, Proposal,
        ProposalAttachment, Score, Shortlist,
    )

    return (
        sorted(Call.objects.values_list("pk", "title_th", "published", "method")),
        sorted(Criterion.objects.values_list("pk", "weight")),
        sorted(Proposal.objects.values_list("pk", "status", "eligibility", "title_th")),
        sorted(EligibilityCheck.objects.values_list("pk", "eligible")),
        sorted(Evaluator.objects.values_list("pk", "declared_at", "submitted_at")),
        sorted(Conflict.objects.values_list("pk", "conflicted")),
        sorted(Score.objects.values_list("pk", "value")),
        Shortlist.objects.count(), Decision.objects.count(), CallChange.objects.count(),
        ProposalAttachment.objects.count(), sorted(Pilot.objects.values_list("pk", "status")),
    )


# -- the API (apps/proposals/api.py) ---------------------------------------------------------
# The world's calls are published, so every caller lists and reads them. Proposals and
# rankings need a signed-in caller: anonymous gets 401 where the pages redirect to the login.
API_SPECS = {
    ("get", "/api/calls"): ("list", "call"),
    ("get", "/api/calls/{call_id}"): ("public", None),
    ("get", "/api/calls/{call_id}/ranking"): ("selection", None),
    ("get", "/api/proposals"): ("login-list", None),
    ("get", "/api/proposals/{proposal_id}"): ("proposal-read", None),
    # The evaluator of the world's calls has submitted and the shortlist is recorded, so even
    # the evaluator is refused (400, by the rules) after passing the access checks.
    ("post", "/api/proposals/{proposal_id}/scores"): (
        "evaluator-scores", {"scores": []}),
}


def api_path(path, world, target):
    if "{call_id}" not in path and "{proposal_id}" not in path:
        return None
    objects = world.objects[target]
    return (path.replace("{call_id}", str(objects["call"].pk))
            .replace("{proposal_id}", str(objects["proposal"].pk)))


def api_expected(kind, role, target):
    """API statuses for this app's kinds (None: not ours): expected() with 401 for anonymous."""
    if kind == "login-list":
        return 401 if role == "anonymous" else 200
    if kind == "evaluator-scores":
        if role == "anonymous":
            return 401
        if _in(EVALUATOR, role, target):
            return 400
        return 403 if proposal_readable(role, target) else 404
    if kind in ("selection", "proposal-read"):
        return 401 if role == "anonymous" else expected(kind, role, target)
    return None


def listed_for(what, role, target):
    """Whether the target city's item is listed for the role (None: not one of our lists)."""
    if what == "call":
        return True  # published
    if what == "proposal":
        return proposal_readable(role, target)
    return None


def listed(payload, what, world, target):
    if what not in ("call", "proposal"):
        return None
    items = payload["items"] if isinstance(payload, dict) else payload
    return any(item["id"] == world.objects[target][what].pk for item in items)
