from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.scope import scope_of
from apps.baselines.models import BaselineProfile
from apps.core.access import access, require_city_edit, require_network_admin
from apps.core.panels import city_panels
from apps.networks.forms import AdoptPlanForm, CityForm
from apps.networks.maps import boundary_svg
from apps.networks.models import City, Country, Network
from apps.networks.totals import NetworkTotals
from apps.people.models import WorkingGroup
from apps.progress.grid import ProgressGrid
from apps.progress.models import FINISHED, CityActivity
from apps.progress.timeline import Timeline

# Cities per dashboard page: a national network has thousands; the counts cover them all.
CITIES_PER_PAGE = 25


@access("public")
def home(request):
    networks = list(Network.objects.all()[:2])
    if len(networks) == 1:
        return redirect("networks:dashboard", slug=networks[0].slug)
    return render(request, "networks/home.html", {"networks": Network.objects.all()})


@access("public")
def dashboard(request, slug):
    network = get_object_or_404(Network.objects.select_related("plan", "coordinator"), slug=slug)
    # Cities running the plan first, then network partners, each by country and name.
    cities = network.cities.order_by("-participation", "country", "name_en", "pk")  # "programme" > "partner"
    countries = list(network.cities.order_by("country").values_list("country", flat=True)
                     .distinct())
    country = request.GET.get("country", "")
    if country:
        cities = cities.filter(country=country)
    page = Paginator(cities, CITIES_PER_PAGE).get_page(request.GET.get("page"))
    grid = ProgressGrid(page.object_list, network.plan, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    # Each programme city's baseline completeness (as far as the user may see it): one query.
    programme = [c for c in grid.cities if c.is_programme]
    baselines = BaselineProfile.objects.for_cities(programme, request.user)
    for c in programme:
        found = baselines.get(c.pk)
        c.baseline_completeness = found.completeness if found else None
    country_labels = dict(Country.choices)
    return render(request, "networks/dashboard.html", {
        "network": network,
        "grid": grid,
        "totals": NetworkTotals(cities, network.plan, request.user),
        "page": page,
        "query": query.urlencode(),
        "rows": [(city, grid.row(city), grid.city_summary(city)) for city in grid.cities],
        "countries": [(code, country_labels.get(code, code)) for code in countries],
        "country": country,
        "can_admin": scope_of(request.user).can_admin_network(network),
    })


@access("public")
def city(request, slug):
    city = get_object_or_404(City.objects.select_related("network__plan"), slug=slug)
    today = timezone.localdate()
    grid = ProgressGrid([city], city.network.plan, request.user, today=today)
    cells = grid.city_cells(city)
    group = WorkingGroup.objects.visible_to(request.user).with_active_count().filter(city=city).first()
    return render(request, "networks/city.html", {
        "city": city,
        "network": city.network,
        "grid": grid,
        "cells": cells,
        "summary": grid.city_summary(city),
        "timeline": Timeline(cells, today) if cells else None,
        "next_up": grid.next_up(city),
        "blocked_cells": [c for c in cells if c.blocked and c.status not in FINISHED],
        "late": [c for c in cells if c.late],
        "group": group,
        "group_warning": group and WorkingGroup.size_warning(group.active_count),
        "map": boundary_svg(city),
        "can_edit": scope_of(request.user).can_edit_city(city),
        "can_read_private": scope_of(request.user).can_read_city(city),
        "panels": city_panels(request, city),
    })


@access("network-admin")
@require_http_methods(["GET", "POST"])
def adopt(request, slug):
    network = get_object_or_404(Network, slug=slug)
    require_network_admin(request, network)
    form = AdoptPlanForm(request.POST or None, initial={
        "plan": network.plan, "start": network.plan_start,
    })
    if request.method == "POST" and form.is_valid():
        try:
            created = CityActivity.objects.adopt(
                network, form.cleaned_data["plan"], start=form.cleaned_data["start"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Plan adopted: %(count)s new city activities.") % {
                "count": created})
            return redirect("networks:dashboard", slug=network.slug)
    return render(request, "networks/adopt.html", {"network": network, "form": form})


@access("city-edit")
@require_http_methods(["GET", "POST"])
def city_edit(request, slug):
    city = get_object_or_404(City.objects.select_related("network"), slug=slug)
    require_city_edit(request, city)
    form = CityForm(request.POST or None, request.FILES or None, instance=city)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("networks:city", slug=city.slug)
    return render(request, "networks/city_form.html", {"city": city, "form": form})
