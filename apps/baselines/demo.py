"""Demo records of the baselines app for the demo network of apps.demo."""


def seed_baselines(network):
    """Add the demo records; a second run changes nothing."""
