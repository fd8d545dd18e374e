"""The ranking, weights, shortlist and funder-decision pages (views/selection.py)."""
import datetime as dt
import random
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.core.testing import PASSWORD, make_world
from apps.events.models import Event
from apps.pilots.models import Pilot
from apps.progress.models import CityActivity
from apps.proposals.models import (
    Decision, Evaluator, Proposal, Score, Shortlist, decide,
)
from apps.proposals.testing import (
    make_call, make_evaluator, make_organisation, make_proposal, make_user, score_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def login(client, world, role):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=role, password=PASSWORD)
    return client


def selection_event(city, number=10, title="ประชุมคัดเลือกโครงการ"):
    """An event of plan activity `number` (the test plan has four activities: its fourth is
    renumbered 10, the selection meeting's activity in the real plan)."""
    from apps.plans.models import PlanActivity

    PlanActivity.objects.filter(number=4).update(number=10)
    activity = CityActivity.objects.get(city=city, plan_activity__number=number)
    start = timezone.now() - dt.timedelta(days=2)
    event = Event(city_activity=activity, title_th=title, starts_at=start,
                  ends_at=start + dt.timedelta(hours=3))
    event.create(None)
    return event


# Scores (criterion 1, criterion 2) of three evaluators on criteria weighted 1 and 2 (1-5).
# Normalised consensus and totals (w = 1/3, 2/3):
#   Alpha  c1 (1, 1, 0) -> .667, c2 1   -> .889  rank 1; evaluator 3's 1 on c1 is an outlier
#   Bravo  .75, .75                     -> .75   rank 2
#   Delta  .5, .75                      -> .667  } tied with Charlie; Delta and Echo are equal
#   Echo   .5, .75                      -> .667  } on every criterion: rank =3
#   Charlie 1, .5                       -> .667  rank 5: behind on criterion 2, the heaviest
SCORES = {
    "Alpha": [[5, 5], [5, 5], [1, 5]],
    "Bravo": [[4, 4]] * 3,
    "Charlie": [[5, 3]] * 3,
    "Delta": [[3, 4]] * 3,
    "Echo": [[3, 4]] * 3,
}


@pytest.fixture
def scored(world):
    """A closed call with five proposals scored by three evaluators (expert first)."""
    call = make_call(world.city, open=False, quota=1)
    org = make_organisation(world.city, "Foundation")
    proposals = {title: make_proposal(call, world.user("proponent"), org, title=title)
                 for title in SCORES}
    users = [world.user("expert"), make_user("ev2", world.city, Role.EXPERT),
             make_user("ev3", world.city, Role.EXPERT)]
    evaluators = [make_evaluator(call, u) for u in users]
    for k, evaluator in enumerate(evaluators):
        score_all(evaluator, {p.pk: SCORES[title][k] for title, p in proposals.items()})
    return call, proposals, evaluators


def table_titles(content):
    table = content.split('class="table ranking-table"')[1].split("</table>")[0]
    return re.findall(r'<a href="/proposals/\d+/">([^<]+)</a>', table)


def test_ranking_shows_ties_outliers_and_swap_margins(client, world, scored):
    call, proposals, _evaluators = scored
    response = login(client, world, "coordinator").get(reverse("proposals:ranking", args=[call.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert table_titles(content) == ["Alpha", "Bravo", "Delta", "Echo", "Charlie"]
    ranks = [r["rank"] for r in response.context["rows"]]
    assert ranks == [1, 2, 3, 3, 5]
    assert "=3" in content
    # The tie and how it was broken.
    assert "Delta, Echo, Charlie have the same total (0.6667)." in content
    assert "Echo is placed ahead of Charlie on Criterion 2" in content
    assert "Delta and Echo are also equal on every weighted criterion, so they share rank 3." \
        in content
    # Evaluator 3's outlying 1 on Alpha's criterion 1, named.
    outliers = response.context["outliers"]
    assert [(o["evaluator"].user.username, o["proposal"].title, o["criterion"].name, o["score"])
            for o in outliers] == [("ev3", "Alpha", "Criterion 1", 1.0)]
    assert "spread-large" in content
    # Swap margins: a change of -1.67 (-83.3%) in criterion 2's weight draws Bravo level with
    # Alpha; nothing single can put Delta ahead of Bravo.
    assert ("Bravo would draw level with Alpha if the weight of Criterion 2 changed by -1.67 "
            "(-83.3%)") in content
    assert "No change to a single weight can put Delta ahead of Bravo." in content
    assert 'id="ranking-chart"' in content and "proposals/ranking.js" in content
    assert "<script>" not in content.replace('<script id="ranking-chart"', "")
    for name in ("ranking-xlsx", "ranking-csv", "selection-report"):
        assert reverse(f"proposals:{name}", args=[call.pk]) in content


def test_topsis_switch_changes_the_label_and_the_totals(client, world, scored):
    call, _proposals, _evaluators = scored
    login(client, world, "coordinator")
    url = reverse("proposals:ranking", args=[call.pk])
    weighted = client.get(url).content.decode()
    assert "Weighted sum of normalised scores" in weighted
    response = client.get(url + "?method=topsis")
    content = response.content.decode()
    assert "TOPSIS (closeness to the ideal proposal)" in content.split("</h1>")[1].split("</p>")[0]
    expected = call.ranking(method="topsis")
    assert table_titles(content) == [expected.proposals[i].title for i in expected.order]
    # TOPSIS closeness of Alpha (hand-computed: 0.738) instead of its weighted sum 0.889.
    first = response.context["rows"][0]
    assert first["proposal"].title == "Alpha" and round(first["total"], 3) == 0.738
    assert "Computed on the weighted-sum order" in content


def test_incomplete_proposal_is_explained(client, world):
    call = make_call(world.city, open=False)
    org = make_organisation(world.city, "Foundation")
    full = make_proposal(call, world.user("proponent"), org, title="Full")
    make_proposal(call, world.user("proponent"), org, title="Unscored")
    evaluator = make_evaluator(call, world.user("expert"))
    evaluator.declare({p.pk: (p.pk != full.pk, "") for p in call.proposals.eligible()})
    evaluator.score(full, {c.pk: (4, "") for c in call.criteria.all()})
    evaluator.submit()
    content = login(client, world, "coordinator").get(
        reverse("proposals:ranking", args=[call.pk])).content.decode()
    assert "Unscored has no score on Criterion 1, Criterion 2, so it has no total" in content


def test_proponent_and_member_reach_neither_ranking_nor_review(client, world, scored):
    call, _proposals, _evaluators = scored
    for role in ("proponent", "member"):
        login(client, world, role)
        assert client.get(reverse("proposals:ranking", args=[call.pk])).status_code == 403
        assert client.get(reverse("proposals:review", args=[call.pk])).status_code == 403
        assert client.post(reverse("proposals:weights", args=[call.pk]),
                           {"method": "topsis"}).status_code == 403
        client.logout()
    # The evaluator who submitted reads the ranking, individual outliers included.
    response = login(client, world, "expert").get(reverse("proposals:ranking", args=[call.pk]))
    assert response.status_code == 200 and response.context["outliers"]
    # Funders: only once the shortlist is recorded.
    login(client, world, "funder")
    assert client.get(reverse("proposals:ranking", args=[call.pk])).status_code == 403


# -- weights ------------------------------------------------------------------------------
@pytest.fixture
def three_criteria(world):
    call = make_call(world.city, open=False, criteria=((1, 1, 5), (1, 1, 5), (1, 1, 5)))
    return call, list(call.criteria.all())


def test_ahp_weights_are_applied_with_their_consistency_ratio(client, world, three_criteria):
    call, criteria = three_criteria
    login(client, world, "coordinator")
    # 1 is 3x as important as 2, 2 is 3x as important as 3, 1 is 9x as important as 3: consistent.
    response = client.post(reverse("proposals:weights", args=[call.pk]),
                           {"ahp": "1", "p0_1": "3", "p1_2": "3", "p0_2": "9"}, follow=True)
    assert response.status_code == 200
    weights = [c.weight for c in call.criteria.all()]
    assert weights == [Decimal("69.23"), Decimal("23.08"), Decimal("7.69")]
    call.refresh_from_db()
    assert call.ahp_consistency == pytest.approx(0, abs=1e-9)
    assert call.ahp_judgements == {"0,1": 3.0, "1,2": 3.0, "0,2": 9.0}
    content = response.content.decode()
    assert "Weights derived by AHP and applied (consistency ratio 0.00)" in content
    assert "consistency ratio 0.000" in content
    # The form remembers the judgements.
    assert re.search(r'<option value="9" selected>', content)


def test_inconsistent_ahp_judgements_are_refused_and_nothing_changes(client, world,
                                                                    three_criteria):
    call, criteria = three_criteria
    login(client, world, "coordinator")
    changes = call.changes.count()
    response = client.post(reverse("proposals:weights", args=[call.pk]),
                           {"ahp": "1", "p0_1": "9", "p1_2": "9", "p0_2": "1/9"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "not consistent enough: the consistency ratio is" in content
    assert "the weights were not changed" in content
    assert response.context["ahp_result"]["ratio"] > 0.1
    assert [c.weight for c in call.criteria.all()] == [1, 1, 1]
    call.refresh_from_db()
    assert call.ahp_consistency is None and call.ahp_judgements is None
    assert call.changes.count() == changes


def test_direct_weights_and_method(client, world, three_criteria):
    call, criteria = three_criteria
    login(client, world, "coordinator")
    url = reverse("proposals:weights", args=[call.pk])
    data = {f"w{c.pk}": w for c, w in zip(criteria, ("2", "1", "0"))}
    assert client.post(url, data).status_code == 302
    assert [c.weight for c in call.criteria.all()] == [2, 1, 0]
    response = client.post(url, {f"w{c.pk}": "0" for c in criteria})
    assert "At least one criterion must have a weight above zero." in response.content.decode()
    assert [c.weight for c in call.criteria.all()] == [2, 1, 0]
    assert client.post(url, {"method": "topsis"}).status_code == 302
    call.refresh_from_db()
    assert call.method == "topsis"


# -- shortlist ------------------------------------------------------------------------------
def test_shortlist_recorded_via_the_page_with_the_meeting(client, world, scored):
    call, proposals, _evaluators = scored
    other = selection_event(world.city, number=3, title="ประชุมอื่น")
    meeting = selection_event(world.city)
    login(client, world, "coordinator")
    url = reverse("proposals:shortlist", args=[call.pk])
    response = client.get(url)
    form = response.context["form"]
    # Activity 10's meeting first; the top quota + 1 (quota 1) ticked.
    assert list(form.fields["event"].queryset)[:2] == [meeting, other]
    assert form["proposals"].initial == [proposals["Alpha"].pk, proposals["Bravo"].pk]
    # No proposal chosen: the form says so and nothing is recorded.
    response = client.post(url, {"event": meeting.pk})
    assert "Choose at least one proposal." in response.content.decode()
    assert not Shortlist.objects.exists()
    response = client.post(url, {"event": meeting.pk, "note_th": "ที่ประชุมเห็นชอบ",
                                 "proposals": [proposals["Alpha"].pk, proposals["Bravo"].pk]})
    assert response.status_code == 302
    shortlist = Shortlist.objects.get(call=call)
    assert shortlist.event == meeting and shortlist.note_th == "ที่ประชุมเห็นชอบ"
    assert sorted(e.proposal.title for e in shortlist.entries.all()) == ["Alpha", "Bravo"]
    # The ranking page now shows the frozen ranking; no more weight forms.
    response = client.get(reverse("proposals:ranking", args=[call.pk]))
    content = response.content.decode()
    assert "The shortlist's ranking (frozen)" in content and "ประชุมคัดเลือกโครงการ" in content
    assert "weights_form" not in response.context and not response.context["frozen_changed"]
    # A score corrected afterwards: the page says the current totals differ.
    score = Score.objects.get(evaluator__user__username="ev2", proposal=proposals["Bravo"],
                              criterion__order=1)
    score.correct(world.user("coordinator"), 1, "", "typo")
    content = client.get(reverse("proposals:ranking", args=[call.pk])).content.decode()
    assert "Scores were corrected after the shortlist was recorded" in content
    assert client.get(url).context["recorded"] == shortlist


def test_shortlist_waits_for_every_evaluator(client, world):
    call = make_call(world.city, open=False)
    org = make_organisation(world.city, "Foundation")
    proposal = make_proposal(call, world.user("proponent"), org, title="Only")
    make_evaluator(call, world.user("expert"))
    meeting = selection_event(world.city)
    response = login(client, world, "coordinator").post(
        reverse("proposals:shortlist", args=[call.pk]),
        {"event": meeting.pk, "proposals": [proposal.pk]})
    assert "Waiting for the scores of: expert." in response.content.decode()
    assert not Shortlist.objects.exists()


# -- the funder ------------------------------------------------------------------------------
@pytest.fixture
def shortlisted(world, scored):
    call, proposals, _evaluators = scored
    call.record_shortlist(world.user("coordinator"), selection_event(world.city),
                          [proposals["Alpha"], proposals["Bravo"], proposals["Delta"]])
    return call, proposals


def decide_data(proposal, **values):
    return {f"p{proposal.pk}-{k}": v for k, v in values.items()}


def test_review_before_the_shortlist_says_nothing_to_review(client, world, scored):
    call, _proposals, _evaluators = scored
    response = login(client, world, "funder").get(reverse("proposals:review", args=[call.pk]))
    assert response.status_code == 200
    assert "Nothing to review yet" in response.content.decode()


def test_funder_approves_within_quota_and_ceiling_and_rejects_with_reason(client, world,
                                                                        shortlisted):
    call, proposals = shortlisted
    alpha, bravo, delta = proposals["Alpha"], proposals["Bravo"], proposals["Delta"]
    login(client, world, "funder")
    review = client.get(reverse("proposals:review", args=[call.pk])).content.decode()
    assert "0 of 1 pilots approved" in review
    assert reverse("proposals:proposal", args=[alpha.pk]) in review
    # Over the ceiling (500,000): refused, nothing recorded.
    response = client.post(reverse("proposals:decide", args=[alpha.pk]),
                           decide_data(alpha, outcome="approved", approved_budget="600000"))
    assert "above the call&#x27;s ceiling of 500,000.00 THB" in response.content.decode()
    assert not Decision.objects.exists()
    # Rejection without a reason: refused.
    response = client.post(reverse("proposals:decide", args=[bravo.pk]),
                           decide_data(bravo, outcome="rejected"))
    assert "Give the reason for the rejection." in response.content.decode()
    # Approval: a pilot.
    response = client.post(reverse("proposals:decide", args=[alpha.pk]),
                           decide_data(alpha, outcome="approved", approved_budget="150000",
                                       conditions_th="รายงานทุกไตรมาส"), follow=True)
    assert "is approved: it is now a pilot project" in response.content.decode()
    pilot = Pilot.objects.get(proposal=alpha)
    assert pilot.approved_budget == 150000 and pilot.conditions_th == "รายงานทุกไตรมาส"
    assert "1 of 1 pilots approved" in response.content.decode()
    # The quota (1) is reached.
    response = client.post(reverse("proposals:decide", args=[bravo.pk]),
                           decide_data(bravo, outcome="approved", approved_budget="100000"))
    assert "The city&#x27;s quota of 1 pilots is reached" in response.content.decode()
    assert not Decision.objects.filter(proposal=bravo).exists()
    response = client.post(reverse("proposals:decide", args=[delta.pk]),
                           decide_data(delta, outcome="rejected", reason_th="งบซ้ำซ้อน"))
    assert response.status_code == 302
    assert Decision.objects.get(proposal=delta).outcome == "rejected"


def test_a_proposal_off_the_shortlist_cannot_be_decided(client, world, shortlisted):
    call, proposals = shortlisted
    echo = proposals["Echo"]
    url = reverse("proposals:decide", args=[echo.pk])
    data = decide_data(echo, outcome="approved", approved_budget="100000")
    # The funder does not even read it; a superuser does, and is refused by the rule.
    assert login(client, world, "funder").post(url, data).status_code == 404
    get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    client.login(username="admin", password=PASSWORD)
    response = client.post(url, data)
    assert "Only proposals on the selection meeting&#x27;s shortlist can be decided." \
        in response.content.decode()
    assert not Decision.objects.exists()


def test_a_decision_is_corrected_by_a_linked_record(client, world, shortlisted):
    call, proposals = shortlisted
    alpha = proposals["Alpha"]
    first = decide(alpha, world.user("funder"), "approved", budget=Decimal("150000"))
    login(client, world, "funder")
    url = reverse("proposals:correct-decision", args=[first.pk])
    prefix = f"d{first.pk}-"
    response = client.post(url, {prefix + "outcome": "rejected", prefix + "reason_th": "ซ้ำ"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = client.post(url, {prefix + "outcome": "rejected", prefix + "reason_th": "ซ้ำซ้อน",
                                 prefix + "correction_reason": "พบข้อมูลใหม่"}, follow=True)
    content = response.content.decode()
    assert "The correction is recorded" in content
    new = Decision.objects.get(corrects=first)
    assert new.outcome == "rejected" and new.correction_reason == "พบข้อมูลใหม่"
    assert Pilot.objects.get(proposal=alpha).status == Pilot.Status.CANCELLED
    assert 'class="superseded"' in content and "พบข้อมูลใหม่" in content
    # The corrected decision itself can no longer be corrected.
    response = client.post(url, {prefix + "outcome": "approved", prefix + "approved_budget": "1",
                                 prefix + "correction_reason": "x"})
    assert "Only the current decision can be corrected." in response.content.decode()


def test_member_cannot_decide(client, world, shortlisted):
    call, proposals = shortlisted
    alpha = proposals["Alpha"]
    data = decide_data(alpha, outcome="approved", approved_budget="100000")
    assert login(client, world, "coordinator").post(
        reverse("proposals:decide", args=[alpha.pk]), data).status_code == 403
    client.logout()
    assert login(client, world, "member").post(
        reverse("proposals:decide", args=[alpha.pk]), data).status_code == 404
    assert not Decision.objects.exists()


# -- query counts ---------------------------------------------------------------------------
def bulk_call(world, n_evaluators, n_proposals, seed):
    """A closed call with evaluators who all submitted and scored every proposal."""
    rng = random.Random(seed)
    call = make_call(world.city, open=False, criteria=((1, 1, 5), (2, 1, 5), (1, 0, 10)))
    criteria = list(call.criteria.all())
    org = make_organisation(world.city, f"Org {seed}")
    now = timezone.now()
    Proposal.objects.bulk_create(
        Proposal(call=call, proponent=world.user("proponent"), organisation=org,
                 title_th=f"โครงการ {seed}-{i}", problem_th="น้ำท่วม",
                 status=Proposal.Status.SUBMITTED, submitted_at=now,
                 eligibility=Proposal.Eligibility.ELIGIBLE) for i in range(n_proposals))
    proposals = list(call.proposals.all())
    User = get_user_model()
    User.objects.bulk_create(User(username=f"e{seed}-{i}") for i in range(n_evaluators))
    users = User.objects.filter(username__startswith=f"e{seed}-")
    Evaluator.objects.bulk_create(Evaluator(call=call, user=u, declared_at=now, submitted_at=now)
                                  for u in users)
    Score.objects.bulk_create(
        (Score(evaluator=e, proposal=p, criterion=c,
               value=rng.randint(c.scale_min, c.scale_max))
         for e in call.evaluators.all() for p in proposals for c in criteria),
        batch_size=5000)
    return call


def test_ranking_page_queries_do_not_grow_with_proposals_and_evaluators(client, world):
    small = bulk_call(world, 10, 20, seed=1)
    large = bulk_call(world, 60, 300, seed=2)
    login(client, world, "coordinator")
    counts = []
    for call in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("proposals:ranking", args=[call.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(response.context["rows"]) == 300
    assert counts[0] == counts[1], counts


def test_review_page_queries_do_not_grow_with_the_shortlist(client, world):
    counts = []
    login(client, world, "funder")
    for seed, n in ((3, 3), (4, 12)):
        call = bulk_call(world, 4, n, seed=seed)
        call.record_shortlist(world.user("coordinator"), selection_event(world.city),
                              list(call.proposals.all()))
        for proposal in list(call.proposals.all())[:2]:
            decide(proposal, world.user("funder"), "rejected", reason_th="ไม่ผ่าน")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("proposals:review", args=[call.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
