"""Expert evaluations of pilot projects (activity 13)."""
from django.db import models  # noqa: F401
