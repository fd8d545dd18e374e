"""Demo pilot projects, safe to run twice."""


def seed_pilots(network):
    """Called by seed_demo after the calls for proposals are seeded."""
