"""Networks and cities. Both are public; a city's figures and boundary are edited by its
network's national coordinator or its own city coordinator."""
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.accounts.api import require_login
from apps.accounts.scope import scope_of
from apps.networks.models import City, Country, Network
from apps.networks.schemas import CityDetail, CityOut, CityPatch, NetworkDetail, NetworkOut
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["networks"])


def city_or_404(slug):
    """The city with this slug; other apps use it too so the 404 reads the same everywhere."""
    city = City.objects.select_related("network").filter(slug=slug).first()
    if city is None:
        raise Http404(gettext("Unknown city: %(slug)s.") % {"slug": slug})
    return city


def network_or_404(slug, queryset=None):
    queryset = Network.objects.all() if queryset is None else queryset
    network = queryset.filter(slug=slug).first()
    if network is None:
        raise Http404(gettext("Unknown network: %(slug)s.") % {"slug": slug})
    return network


def _networks():
    return Network.objects.select_related("coordinator").annotate(city_count=Count("cities"))


@router.get("/networks", response=list[NetworkOut])
@paginate(LimitOffsetPagination)
def list_networks(request):
    return _networks()


@router.get("/networks/{slug}", response=NetworkDetail)
def get_network(request, slug: str):
    return network_or_404(slug, _networks().prefetch_related("cities"))


@router.get("/cities", response=list[CityOut])
@paginate(LimitOffsetPagination)
def list_cities(request, network: str | None = None, country: Country | None = None):
    cities = City.objects.select_related("network")
    if network:
        cities = cities.filter(network=network_or_404(network))
    if country:
        cities = cities.filter(country=country)
    return cities


@router.get("/cities/{slug}", response=CityDetail)
def get_city(request, slug: str):
    return city_or_404(slug)


@router.patch("/cities/{slug}", response=CityDetail)
def patch_city(request, slug: str, payload: CityPatch):
    user = require_login(request)
    city = city_or_404(slug)
    if not scope_of(user).can_edit_city(city):
        raise HttpError(403, gettext("Only the city's coordinators may change it."))
    changes = payload.dict(exclude_unset=True)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(city, name, value)
        city.full_clean()  # validators, ranges, and clean_polygon's reason for a bad shape
        city.save(update_fields=list(changes))
    return city
