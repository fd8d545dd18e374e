"""The one access rule: which networks and cities a user may read and change.

Every page, form, export and API endpoint asks the Scope, so a rule changes in one place.
Published records are readable by everyone; unpublished ones only inside the user's scope.
"""
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from apps.accounts.models import CITY_ASSESS_ROLES, CITY_EDIT_ROLES, CITY_READ_ROLES, Role


@dataclass(frozen=True)
class Scope:
    superuser: bool = False
    authenticated: bool = False
    admin_networks: frozenset = field(default_factory=frozenset)
    read_cities: frozenset = field(default_factory=frozenset)
    edit_cities: frozenset = field(default_factory=frozenset)
    assess_cities: frozenset = field(default_factory=frozenset)
    # Networks whose shortlisted proposals the user reviews for the funder.
    funder_networks: frozenset = field(default_factory=frozenset)
    roles: frozenset = field(default_factory=frozenset)

    # -- single objects -------------------------------------------------------------
    def can_read_city(self, city) -> bool:
        return (
            self.superuser
            or city.pk in self.read_cities
            or city.network_id in self.admin_networks
        )

    def can_edit_city(self, city) -> bool:
        return (
            self.superuser
            or city.pk in self.edit_cities
            or city.network_id in self.admin_networks
        )

    def can_assess_city(self, city) -> bool:
        """May record the city's assessment work: its coordinators, its experts, the network's
        national coordinator."""
        return self.can_edit_city(city) or city.pk in self.assess_cities

    def can_admin_network(self, network) -> bool:
        return self.superuser or network.pk in self.admin_networks

    # -- querysets: `prefix` is the path from the model to its City ("" for City itself) -----
    def city_read_q(self, prefix: str = "city") -> Q:
        return self._city_q(prefix, self.read_cities)

    def city_edit_q(self, prefix: str = "city") -> Q:
        return self._city_q(prefix, self.edit_cities)

    def city_assess_q(self, prefix: str = "city") -> Q:
        return self._city_q(prefix, self.assess_cities | self.edit_cities)

    def _city_q(self, prefix, cities) -> Q:
        if self.superuser:
            # Not Q(): an empty Q vanishes when OR-ed with another (`Q(published=True) | Q()`
            # is just `Q(published=True)`), which would hide unpublished rows from admins.
            return Q(pk__isnull=False)
        own = f"{prefix}__in" if prefix else "pk__in"
        network = f"{prefix}__network__in" if prefix else "network__in"
        return Q(**{own: cities}) | Q(**{network: self.admin_networks})


ANONYMOUS = Scope()


def scope_of(user) -> Scope:
    """The user's Scope, computed once per request (one query) and kept on the user object."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_workbench_scope", None)
    if cached is not None:
        return cached
    admin_networks, read_cities, edit_cities, assess_cities, funder_networks, roles = (
        set() for _ in range(6))
    for role, network_id, city_id in user.roles.values_list("role", "network_id", "city_id"):
        roles.add(role)
        if role == Role.NATIONAL_COORDINATOR:
            admin_networks.add(network_id)
        if role in CITY_READ_ROLES:
            read_cities.add(city_id)
        if role in CITY_EDIT_ROLES:
            edit_cities.add(city_id)
        if role in CITY_ASSESS_ROLES:
            assess_cities.add(city_id)
        if role == Role.FUNDER_REVIEWER:
            funder_networks.add(network_id)
    scope = Scope(
        superuser=user.is_superuser,
        authenticated=True,
        admin_networks=frozenset(admin_networks),
        read_cities=frozenset(read_cities),
        edit_cities=frozenset(edit_cities),
        assess_cities=frozenset(assess_cities),
        funder_networks=frozenset(funder_networks),
        roles=frozenset(roles),
    )
    user._workbench_scope = scope
    return scope


class CityScopedQuerySet(models.QuerySet):
    """Querysets of records that belong to a city: the one place `visible_to` and
    `editable_by` are written. `city_path` leads from the model to its City; `publishable`
    models are readable by everyone once their `published` flag is set."""

    city_path = "city"
    publishable = False

    def visible_to(self, user):
        condition = scope_of(user).city_read_q(self.city_path)
        if self.publishable:
            condition = Q(published=True) | condition
        return self.filter(condition)

    def editable_by(self, user):
        return self.filter(scope_of(user).city_edit_q(self.city_path))

    def assessable_by(self, user):
        """Records whose city's assessment work the user may record (see Scope.can_assess_city)."""
        return self.filter(scope_of(user).city_assess_q(self.city_path))
