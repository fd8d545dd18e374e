"""Demo records of the studies app for the demo network of apps.demo."""


def seed_studies(network):
    """Add the demo records; a second run changes nothing."""
