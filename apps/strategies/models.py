"""Resilience strategies (activity 15): vision, strategic issues, interventions with their risks, groups and areas, prioritisation, gaps, versions and adoption; integration with the city development plan; proposals to other funders."""
from django.db import models  # noqa: F401
