"""Deployment security: `check --deploy` with production settings, the start-up validation of
the security variables, HTTPS behaviour, and the Content Security Policy (header on pages; no
inline script in any template, so the policy never has to allow one)."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from workbench.env import env_proxy_header, url_origin

ROOT = Path(__file__).resolve().parent.parent
# Variables of ours that would change what the subprocesses below see.
SECURITY_VARIABLES = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT",
                      "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
                      "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
                      "SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS", "MAP_TILES_URL")
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "q8V-3mZr_tK1xNwY7pLcB2hF9sJdE4uGa0RvT6oPiWkXnMbQzC5yHlU",
    "ALLOWED_HOSTS": "workbench.example.go.th",
    "SECURE_SSL_REDIRECT": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
    "CSRF_TRUSTED_ORIGINS": "https://workbench.example.go.th",
    "MAP_TILES_URL": "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
}


def manage(*args, **variables):
    """Run manage.py with the production settings module (not the test settings) and only
    the given security variables; DATABASE_URL passes through (SQLite or PostgreSQL run)."""
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process for their fixtures; a
    # deployment never has it, so the subprocess must not inherit it.
    env = {k: v for k, v in os.environ.items()
           if k not in SECURITY_VARIABLES and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(variables, DJANGO_SETTINGS_MODULE="workbench.settings")
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


# -- check --deploy ------------------------------------------------------------------------

def test_check_deploy_is_clean_with_the_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_check_deploy_names_what_a_development_environment_lacks():
    # The same check fails when the flags are missing: the test above can fail.
    result = manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="true")
    assert result.returncode != 0
    for code in ("W004", "W008", "W009", "W012", "W016", "W018"):
        assert f"security.{code}" in result.stderr + result.stdout


def test_check_deploy_catches_one_forgotten_flag():
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    **{**PRODUCTION, "SESSION_COOKIE_SECURE": "false"})
    assert result.returncode != 0
    assert "security.W012" in result.stderr + result.stdout


# -- start-up validation -------------------------------------------------------------------

@pytest.mark.parametrize("variables, message", [
    ({"SECURE_PROXY_SSL_HEADER": "https"}, 'SECURE_PROXY_SSL_HEADER must look like'),
    ({"SECURE_HSTS_SECONDS": "-1"}, "SECURE_HSTS_SECONDS must be at least 0"),
    ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS must be a whole number"),
    ({"SECURE_HSTS_PRELOAD": "true"}, "do nothing without SECURE_HSTS_SECONDS"),
    ({"SESSION_COOKIE_SECURE": "maybe"}, "SESSION_COOKIE_SECURE must be true or false"),
    ({"MAP_TILES_URL": "tile.openstreetmap.org/{z}/{x}/{y}.png"}, "MAP_TILES_URL must be an"),
])
def test_a_bad_security_variable_stops_start_up_with_a_clear_message(variables, message):
    result = manage("check", **variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr, result.stderr


def test_proxy_header_is_read_as_django_wants_it():
    os.environ["TEST_PROXY_HEADER"] = " X-Forwarded-Proto:  https "
    try:
        assert env_proxy_header("TEST_PROXY_HEADER") == ("HTTP_X_FORWARDED_PROTO", "https")
    finally:
        del os.environ["TEST_PROXY_HEADER"]
    assert env_proxy_header("TEST_PROXY_HEADER") is None


@pytest.mark.parametrize("url, origin", [
    ("", None),
    ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
    ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
    ("http://tiles.local:8080/{z}/{x}/{y}.png", "http://tiles.local:8080"),
])
def test_tile_server_origin(url, origin):
    assert url_origin("MAP_TILES_URL", url) == origin


@pytest.mark.parametrize("url", ["ftp://tiles.example.org/{z}", "https://", "//tiles.org/{z}",
                                 "https://tiles.{s}.example.org/{z}", "https://{s}/{z}"])
def test_tile_server_origin_refuses_what_a_policy_cannot_express(url):
    with pytest.raises(ImproperlyConfigured):
        url_origin("MAP_TILES_URL", url)


def test_the_tile_server_is_allowed_for_images_only():
    result = manage("shell", "--no-imports", "-c", "from django.conf import settings; "
                    "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES'])",
                    MAP_TILES_URL=PRODUCTION["MAP_TILES_URL"])
    assert result.returncode == 0, result.stderr
    assert "'img-src': [\"'self'\", 'data:', 'https://*.tile.openstreetmap.org']" in result.stdout
    assert result.stdout.count("openstreetmap") == 1


# -- HTTPS behaviour with the flags on -----------------------------------------------------

HTTPS_ON = dict(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000,
                SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
                SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))


@pytest.mark.django_db
@override_settings(**HTTPS_ON)
def test_plain_http_is_redirected_to_https(client):
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


@pytest.mark.django_db
@override_settings(**HTTPS_ON)
def test_behind_the_proxy_https_is_served_with_hsts(client):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_cookies_are_secure_when_asked(client):
    response = client.get("/accounts/login/")
    assert response.cookies["csrftoken"]["secure"] is True


# -- Content Security Policy ---------------------------------------------------------------

def policy(response):
    return dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split(";") if part.strip()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/docs"])
def test_pages_send_the_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["style-src-elem"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_city_and_dashboard_pages_send_the_policy(client, world):
    for path in (f"/n/{world.network.slug}/", f"/c/{world.city.slug}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert policy(response)["script-src"] == ["'self'"]


TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("apps/*/templates")]
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
# Attributes inside a tag: on...= handlers and javascript: URLs both run inline code.
HANDLER = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
# Data a script reads (json_script and the like) is not executed.
DATA_TYPES = ("application/json", "application/ld+json")


def inline_code(text):
    """The inline scripts and handlers in a template's text, as short descriptions."""
    found = []
    for match in SCRIPT_TAG.finditer(text):
        attributes = match.group(1)
        kind = re.search(r"""type\s*=\s*["']?([^"'\s>]+)""", attributes, re.IGNORECASE)
        if re.search(r"\bsrc\s*=", attributes, re.IGNORECASE):
            continue
        if kind and kind.group(1).lower() in DATA_TYPES:
            continue
        found.append(f"inline <script{attributes}>")
    found += [f"event handler {m.group(1)}=" for m in HANDLER.finditer(text)]
    found += [f"javascript: URL {m.group(0)!r}" for m in JS_URL.finditer(text)]
    return found


def line_of(text, needle):
    return text[: text.find(needle)].count("\n") + 1 if needle in text else "?"


def test_no_template_has_inline_scripts_or_event_handlers():
    templates = [path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")]
    assert len(templates) > 50  # the scan really looked
    offences = [f"{path.relative_to(ROOT)}: {what}"
                for path in templates for what in inline_code(path.read_text("utf-8"))]
    assert not offences, (
        "The Content Security Policy blocks inline JavaScript: move it to a file under "
        "static/ (data for it: json_script or data- attributes).\n" + "\n".join(offences))


@pytest.mark.parametrize("html, expected", [
    ('<script>alert(1)</script>', 1),
    ('<SCRIPT type="text/javascript">x()</SCRIPT>', 1),
    ('<script type="module">x()</script>', 1),
    ('<button type="button" onclick="go()">', 1),
    ('<select name="c"\n  onchange="this.form.submit()">', 1),
    ('<a href="javascript:void(0)">', 1),
    ('<script src="/static/x.js"></script>', 0),
    ('<script type="application/json" id="d">{"a": 1}</script>', 0),
    ('<p>Someone = one; online = yes</p><input name="only" data-onclick="x">', 0),
])
def test_the_scan_recognises_inline_code(html, expected):
    assert len(inline_code(html)) == expected


def test_under_debug_the_policy_is_reported_not_enforced():
    # `make run`: Django's debug pages use inline scripts and styles.
    result = manage("shell", "--no-imports", "-c", "from django.conf import settings; "
                    "print(hasattr(settings, 'CONTENT_SECURITY_POLICY'), "
                    "settings.CONTENT_SECURITY_POLICY_REPORT_ONLY['DIRECTIVES']['script-src'])",
                    DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "[\"'self'\"]"]
