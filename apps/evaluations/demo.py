"""Demo data for evaluations, safe to run twice."""


def seed_evaluations(network):
    """Called by seed_demo after the pilots are seeded."""
