"""Demo records of the assessments app for the demo network of apps.demo."""


def seed_assessments(network):
    """Add the demo records; a second run changes nothing."""
