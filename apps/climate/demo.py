"""Demo records of the climate app for the demo network of apps.demo."""


def seed_climate(network):
    """Add the demo records; a second run changes nothing."""
