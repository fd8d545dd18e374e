"""The national forum synthesis (activity 14): the cities' results brought together for policy makers, stakeholder analysis and policy recommendations, as PDF, DOCX and XLSX."""
from django.db import models  # noqa: F401
