"""The demo's development plan and funder proposal (filled in as those features land)."""


def seed_plan_and_proposal(strategy, by):
    return None
