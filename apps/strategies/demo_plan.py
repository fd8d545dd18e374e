"""The demo's development plan (imported from demo_data/chiang-rai-plan.csv through the same
importer users run) with two interventions mapped, and a funder proposal."""
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

PLAN = Path(__file__).parent / "demo_data" / "chiang-rai-plan.csv"


def seed_plan_and_proposal(strategy, by):
    from apps.strategies.devplan import import_plan

    upload = SimpleUploadedFile(PLAN.name, PLAN.read_bytes())
    plan = import_plan(strategy.city, upload, "แผนพัฒนาท้องถิ่น (พ.ศ. 2566-2570) เทศบาลนครเชียงราย",
                       2023, 2027, by)
    items = {i.code: i for i in plan.items.all()}
    interventions = list(strategy.interventions.order_by("order"))
    interventions[0].plan_items.add(items["1.1.1"])  # drains
    interventions[4].plan_items.add(items["2.1.1"])  # clean-air rooms
    try:
        from apps.strategies.funding import seed_proposal
    except ImportError:
        return
    seed_proposal(interventions[1], by)
