"""M&E progress pages: the city's indicators against their targets, one indicator in detail,
the network's roll-up, and the button that refreshes participation indicators from event
attendance. The numbers come from apps.monitoring.progress (a fixed number of queries)."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.accounts.scope import scope_of
from apps.core.access import access, require_city_edit, require_network_admin
from apps.monitoring import participation, progress
from apps.monitoring.models import Indicator
from apps.networks.models import City, Network


def readable_city(request, slug):
    """The city if the user reads its unpublished data (reports are), else 404."""
    city = get_object_or_404(City.objects.select_related("network"), slug=slug)
    if not scope_of(request.user).can_read_city(city):
        raise Http404(_("This page does not exist."))
    return city


@access("login")
def city_progress(request, slug):
    city = readable_city(request, slug)
    data = progress.city_progress(city)
    return render(request, "monitoring/progress.html", {
        "city": city, "progress": data, "charts": data.charts(),
        "lights": progress.LIGHT_LABELS,
        # The button only where indicators are filled from attendance (no extra query).
        "can_refresh": scope_of(request.user).can_edit_city(city) and any(
            not row.indicator.is_manual for row in data.indicators),
    })


@access("login")
def indicator_progress(request, slug, pk):
    # The pilot team reads its pilot's indicators without reading the whole city.
    indicator = (Indicator.objects.visible_to(request.user)
                 .select_related("city__network", "criterion", "pilot")
                 .filter(pk=pk, city__slug=slug).first())
    if indicator is None:
        raise Http404(_("This indicator does not exist."))
    row, by_cell = progress.indicator_progress(indicator)
    categories = indicator.categories() if indicator.is_quantitative else [""]
    table = [{"point": point,
              "cells": [progress.number(by_cell.get((c, point.period.pk))) for c in categories]}
             for point in row.points]
    return render(request, "monitoring/progress_indicator.html", {
        "city": indicator.city, "indicator": indicator, "row": row, "table": table,
        "categories": [c.split(":", 1)[1] if c else _("Total") for c in categories],
        "charts": [row.chart()] if indicator.is_quantitative else [],
        "can_read_city": scope_of(request.user).can_read_city(indicator.city),
    })


@access("city-edit")
@require_POST
def refresh(request, slug):
    city = readable_city(request, slug)
    require_city_edit(request, city)
    result = participation.fill_city(city, by=request.user)
    messages.success(request, ngettext(
        "%(count)s value refreshed from event attendance.",
        "%(count)s values refreshed from event attendance.", result.values)
        % {"count": result.values})
    reasons = sorted({str(reason) for _indicator, reason in result.skipped})
    for reason in reasons:
        messages.warning(request, reason)
    return redirect("monitoring:progress", slug=city.slug)


@access("network-admin")
def network_progress(request, slug):
    network = get_object_or_404(Network, slug=slug)
    require_network_admin(request, network)
    data = progress.network_progress(network)
    return render(request, "monitoring/progress_network.html", {
        "network": network, "progress": data, "lights": progress.LIGHT_LABELS,
    })
