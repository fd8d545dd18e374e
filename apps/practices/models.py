"""The good-practice library (activity 13): lessons from pilots and evaluations, shared with the network and searched in Thai and English."""
from django.db import models  # noqa: F401
