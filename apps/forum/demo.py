"""Demo data for forum, safe to run twice."""


def seed_forum(network):
    """Called by seed_demo after the good-practice library is seeded."""
