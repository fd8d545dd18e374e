"""Panels other apps add to the city page, without the city page knowing them.

An app with `apps/<app>/panels.py` defining `city_panel(request, city)` (returning a dict of
template context, or None to show nothing) and `CITY_PANEL_TEMPLATE` gets a section on the
city page. Each panel must load its data in a fixed number of queries.
"""
import importlib
from functools import cache
from importlib.util import find_spec

from django.apps import apps


@cache
def panel_modules():
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("apps.") and find_spec(f"{config.name}.panels"):
            module = importlib.import_module(f"{config.name}.panels")
            if hasattr(module, "city_panel"):  # this module itself has none
                modules.append(module)
    return modules


def city_panels(request, city):
    """(template name, context) for every app panel that has something to show."""
    panels = []
    for module in panel_modules():
        context = module.city_panel(request, city)
        if context is not None:
            panels.append((module.CITY_PANEL_TEMPLATE, context))
    return panels
