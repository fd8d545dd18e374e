"""Key pages kept in the shared cache until the next write (apps.core.pagecache).

These tests commit for real (transactional_db): the data version changes when a transaction
commits, which the usual rolled-back test transaction never does.
"""
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import pagecache
from apps.core.testing import PASSWORD, make_world
from apps.networks.models import City


@pytest.fixture
def world(transactional_db, settings):
    settings.PAGE_CACHE = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "pagecache-tests"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # as with CACHE_URL
    from django.core.cache import cache

    cache.clear()
    return make_world()


def signed_in(world, name, **extra):
    """A browser signed in through the form: it holds the CSRF cookie the form gave it."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **extra)
    client.get(reverse("accounts:login"))
    assert client.login(username=name, password=PASSWORD)
    return client


def city_url(city):
    return reverse("networks:city", kwargs={"slug": city.slug})


def view(client, url):
    """GET, with the number of SQL queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_second_view_is_served_from_the_cache_without_a_query(world):
    client = signed_in(world, "coordinator")
    first, first_queries = view(client, city_url(world.city))
    again, queries = view(client, city_url(world.city))
    assert first_queries > 5 and first.get("X-Page-Cache") is None
    assert again["X-Page-Cache"] == "hit" and queries == 0
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("write", ["save", "update", "bulk_update"])
def test_a_committed_write_by_any_path_shows_on_the_next_view(world, write):
    client = signed_in(world, "coordinator")
    view(client, city_url(world.city))
    city = City.objects.get(pk=world.city.pk)
    city.name_en = "Renamed City"
    if write == "save":
        city.save()
    elif write == "update":  # no model signal is sent for these two
        City.objects.filter(pk=city.pk).update(name_en="Renamed City")
    else:
        City.objects.bulk_update([city], ["name_en"])
    response, _ = view(client, city_url(world.city))
    assert response.get("X-Page-Cache") is None
    assert "Renamed City" in response.content.decode()


def test_a_rolled_back_write_changes_nothing(world):
    client = signed_in(world, "coordinator")
    view(client, city_url(world.city))
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            City.objects.filter(pk=world.city.pk).update(name_en="Never Committed")
            raise RuntimeError
    response, queries = view(client, city_url(world.city))
    assert response["X-Page-Cache"] == "hit"
    assert "Never Committed" not in response.content.decode()


def test_a_page_is_never_shared_between_people(world):
    """The city coordinator's page offers editing; the same address read by the coordinator of
    another city, or by a visitor, is rendered for them."""
    edit = reverse("networks:city-edit", kwargs={"slug": world.city.slug})
    own = signed_in(world, "coordinator")
    view(own, city_url(world.city))
    assert edit in view(own, city_url(world.city))[0].content.decode()

    for client in (signed_in(world, "outsider"), Client(HTTP_ACCEPT_LANGUAGE="en")):
        response, _ = view(client, city_url(world.city))
        assert response.get("X-Page-Cache") is None
        assert edit not in response.content.decode()


def test_each_language_has_its_own_page(world):
    client = signed_in(world, "coordinator")
    english, _ = view(client, city_url(world.city))
    client.cookies["django_language"] = "th"
    thai, _ = view(client, city_url(world.city))
    assert thai.get("X-Page-Cache") is None
    assert world.city.name_th in thai.content.decode()
    assert '<html lang="th"' in thai.content.decode()
    assert '<html lang="en"' in english.content.decode()


def test_a_flash_message_shows_once(world):
    """Saving the city redirects to its page with "Saved."; reading it again does not repeat
    the message from a kept copy."""
    client = signed_in(world, "coordinator")
    view(client, city_url(world.city))
    response = client.post(reverse("networks:city-edit", kwargs={"slug": world.city.slug}), {
        "name_th": world.city.name_th, "name_en": "Saved City", "province_th": "",
        "province_en": "", "population": 100000, "latitude": "", "longitude": "",
        "boundary": "",
    }, follow=True)
    assert response.status_code == 200 and "Saved." in response.content.decode()
    again, _ = view(client, city_url(world.city))
    assert "Saved City" in again.content.decode()
    assert "Saved." not in again.content.decode()


def test_forms_on_a_kept_page_carry_a_token_that_works(world):
    client = signed_in(world, "coordinator", enforce_csrf_checks=True)
    view(client, city_url(world.city))
    kept, _ = view(client, city_url(world.city))
    assert kept["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept.content.decode())[1]
    response = client.post(reverse("set_language"), {
        "csrfmiddlewaretoken": token, "language": "th", "next": city_url(world.city)})
    assert response.status_code == 302


def test_api_lists_are_kept_per_token(world):
    from apps.accounts.models import ApiToken

    url = "/api/people?city=" + world.city.slug  # people are private to their city
    tokens = {name: ApiToken.issue(world.user(name), name)[1]
              for name in ("national", "outsider")}
    seen = {}
    for name, token in tokens.items():
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        client.get(url)  # the token's first use records it: a write, the version moves
        first = client.get(url)
        second = client.get(url)
        assert first.status_code == second.status_code == 200
        assert second["X-Page-Cache"] == "hit" and second.content == first.content
        seen[name] = first.content
    assert "Member Test" in seen["national"].decode()
    assert "Member Test" not in seen["outsider"].decode()
    anonymous = Client().get(url)
    assert anonymous.get("X-Page-Cache") is None


def test_nothing_is_kept_when_the_cache_is_per_process(world, settings):
    settings.PAGE_CACHE = False
    client = signed_in(world, "coordinator")
    view(client, city_url(world.city))
    response, queries = view(client, city_url(world.city))
    assert response.get("X-Page-Cache") is None and queries > 5


@pytest.mark.parametrize("sql, write", [
    ('INSERT INTO "networks_city" ("slug") VALUES (%s)', True),
    ('UPDATE "monitoring_value" SET "value" = 1', True),
    ('DELETE FROM "events_registration" WHERE id = 1', True),
    ("COPY monitoring_value (report_id, indicator_id) FROM STDIN", True),
    ('UPDATE "django_session" SET "expire_date" = now()', False),
    ('UPDATE "django_tasks_database_dbtaskresult" SET "status" = %s', True),
    ('SELECT "networks_city"."id" FROM "networks_city" FOR UPDATE', False),
])
def test_writes_are_told_from_reads(sql, write):
    assert pagecache.is_write(sql) is write
