"""The proposals API (being written by the exports/API part)."""
from ninja import Router

router = Router(tags=["proposals"])
