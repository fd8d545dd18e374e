"""The city page's section on the Shared Learning Dialogues: each SLD with its key outcomes
(top-ranked results of closed votes, numbers of risks, groups and areas), a map of all the
risk areas, and the follow-up actions that are overdue. Six queries, however much is recorded."""
from django.utils import timezone

from apps.accounts.scope import scope_of
from apps.dialogues.maps import risk_area_map
from apps.dialogues.models import Dialogue, FollowUpAction, RiskArea, sld_plan_activities
from apps.dialogues.votes import Vote, tally

CITY_PANEL_TEMPLATE = "dialogues/city_panel.html"
TOP = 3  # results shown per closed vote


def city_panel(request, city):
    user = request.user
    can_edit = scope_of(user).can_edit_city(city)
    activities = sld_plan_activities(city.network.plan_id)
    dialogues = list(
        Dialogue.objects.visible_to(user).filter(city_activity__city=city)
        .select_related("city_activity").with_counts()
    )
    # Partner cities run no SLDs; elsewhere visitors see a section once something is public.
    if not activities or not (dialogues or (can_edit and city.is_programme)):
        return None
    today = timezone.localdate()
    votes = list(Vote.objects.filter(dialogue__in=dialogues, status=Vote.Status.CLOSED)
                 .with_turnout().order_by("closed_at", "pk"))
    results = tally(votes)
    areas = list(RiskArea.objects.filter(dialogue__in=dialogues)
                 .order_by("dialogue__city_activity__plan_activity__number", "order", "pk"))
    overdue = list(FollowUpAction.objects.overdue(today).filter(dialogue__in=dialogues)
                   .select_related("dialogue__city_activity").order_by("due", "pk"))
    by_activity = {d.city_activity.plan_activity_id: d for d in dialogues}
    rows = []
    for number, activity in enumerate(activities, 1):
        dialogue = by_activity.get(activity.pk)
        if dialogue is not None:
            dialogue.sld_number = number
        outcomes = [(vote, results[vote.pk][:TOP]) for vote in votes
                    if dialogue is not None and vote.dialogue_id == dialogue.pk]
        rows.append({"number": number, "activity": activity, "dialogue": dialogue,
                     "outcomes": outcomes})
    numbers = {d.pk: d.sld_number for d in dialogues}
    for action in overdue:
        action.sld_number = numbers[action.dialogue_id]
        action.days_late = (today - action.due).days
    return {
        "rows": rows,
        "map": risk_area_map(city, areas, size=220, numbered=False) if areas else None,
        "area_count": len(areas),
        "overdue": overdue,
        "can_edit": can_edit and city.is_programme,
    }
