"""Demo data for practices, safe to run twice."""


def seed_practices(network):
    """Called by seed_demo after the pilots are seeded."""
