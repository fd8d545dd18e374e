"""Demo data for strategies, safe to run twice."""


def seed_strategies(network):
    """Called by seed_demo after the good-practice library is seeded."""
