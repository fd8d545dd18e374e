"""Demo data for monitoring, safe to run twice."""


def seed_monitoring(network):
    """Called by seed_demo after the pilots are seeded."""
