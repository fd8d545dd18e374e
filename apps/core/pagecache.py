"""Rendered key pages kept in the shared cache until the data changes (issue 8).

A national network's dashboard, city pages and list endpoints are read far more often than the
data behind them changes, and rendering them costs 30-400 ms and 5-40 queries. A page named in
settings.PAGE_CACHE_VIEWS is kept, per requester, until the next write to the database:

- The key holds everything a page may depend on besides the data: the path and query, the
  language, htmx's request headers, today's date (late activities), the session's contents (who
  is signed in, with which password hash and second-factor state) and the CSRF cookie (the
  forms on the page carry a token made from it). A page is never shared between two sessions,
  so a cached page can show nothing its reader could not see.
- The data version is a random token in the cache, replaced after every committed write: a
  database execute wrapper (installed on every connection) sees each INSERT, UPDATE, DELETE or
  COPY statement the ORM or our raw SQL sends, whatever the path (save(), QuerySet.update(),
  bulk_create, imports), so no write is missed by forgetting a signal. It is replaced once the
  transaction commits: a reader that cached what it read before the commit did so under the
  old token, which nobody asks for again. A token rather than a counter, so an evicted version
  key can never bring an old page back.
- Writes that only keep sessions alive do not count (they change no page).
- Not kept: anything but a 200 answer to GET/HEAD, pages with flash messages waiting (showing
  them consumes them), answers that set a cookie (a new CSRF token, a new session), other than
  the CSRF cookie sent again unchanged.

The cache must be shared by every process that writes (the app servers and the task workers):
that is Redis in production (CACHE_URL), which turns this on by default (PAGE_CACHE). The
per-process memory cache of `make run` would let a worker's write go unseen by the server, so
it stays off there.
"""
import hashlib
import re
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils import timezone

VERSION_KEY = "pagecache:data-version"
# Statements that change data; the first quoted or bare name after the verb is the table.
WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE(?:\s+TABLE)?)\s+"?([\w.]+)"?',
    re.IGNORECASE)
# Written by the idle-timeout refresh every few minutes per session; shown on no page.
IGNORED_TABLES = ("django_session",)
# Response headers worth replaying; the rest are added again by the middleware on the way out.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Vary",
                "Cache-Control")
# Session entries that change without changing any page (the idle-timeout stamp).
VOLATILE_SESSION_KEYS = ("idle_refreshed_at",)


def enabled():
    return getattr(settings, "PAGE_CACHE", False)


# -- the data version ----------------------------------------------------------------------------

def data_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add(): two processes starting at once agree on one token
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def data_changed():
    """Every kept page is out of date from now on."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def is_write(sql):
    match = WRITE.match(sql)
    return bool(match) and not match.group(1).lower().startswith(IGNORED_TABLES)


class WriteWatcher:
    """Execute wrapper: a write schedules one version change for when its transaction
    commits (at once under autocommit; dropped with the transaction on a rollback)."""

    def __init__(self, alias):
        self.alias = alias

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if enabled() and is_write(sql):
            connection = connections[self.alias]
            # One callback per transaction, however many statements it sends.
            if not any(entry[1] is data_changed for entry in connection.run_on_commit):
                transaction.on_commit(data_changed, using=self.alias)
        return result


def watch_connection(sender, connection, **kwargs):
    if not any(isinstance(w, WriteWatcher) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(WriteWatcher(connection.alias))


def install():
    """Called from CoreConfig.ready(): watch every connection, including any already open."""
    connection_created.connect(watch_connection, dispatch_uid="pagecache-watch")
    for alias in connections:
        if connections[alias].connection is not None:
            watch_connection(None, connections[alias])


# -- the pages -----------------------------------------------------------------------------------

def _has_waiting_messages(request):
    return bool(request.COOKIES.get(getattr(settings, "MESSAGE_COOKIE_NAME", "messages"))
                or request.session.get("_messages"))


def page_key(request):
    """Who asks for what; the data version is kept inside the entry (one round trip reads both)."""
    session = request.session
    state = sorted((k, repr(v)) for k, v in session.items() if k not in VOLATILE_SESSION_KEYS)
    parts = [
        timezone.localdate().isoformat(), getattr(request, "LANGUAGE_CODE", ""),
        request.get_full_path(), request.method,
        request.headers.get("HX-Request", ""), request.headers.get("HX-Target", ""),
        request.headers.get("Accept", "")[:100], request.headers.get("Authorization", ""),
        session.session_key or "", repr(state),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"pagecache:page:{digest}"


def _no_messages_used(request):
    storage = getattr(request, "_messages", None)
    return storage is None or not (storage._queued_messages or storage.used)


class PageCacheMiddleware:
    """Answers marked views from the cache (process_view: after sessions, locale and the
    signed-in user are set up, so the key can be made) and keeps what they render."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = frozenset(getattr(settings, "PAGE_CACHE_VIEWS", ()))

    def __call__(self, request):
        response = self.get_response(request)
        key, version = getattr(request, "_pagecache", (None, None))
        if key and response.status_code == 200 and self._storable(request, response):
            cached = (version, response.status_code, response.content,
                      [(h, response[h]) for h in KEPT_HEADERS if response.has_header(h)])
            cache.set(key, cached, timeout=settings.PAGE_CACHE_SECONDS)
        return response

    def _marked(self, request):
        match = request.resolver_match
        return bool(match and match.view_name in self.views)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (not enabled() or request.method not in ("GET", "HEAD")
                or not self._marked(request) or _has_waiting_messages(request)):
            return None
        key = page_key(request)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or data_version()
        cached = found.get(key)
        if cached is None or cached[0] != version:
            # The version is read before the page is: see the module docstring.
            request._pagecache = (key, version)
            return None
        _, status, content, headers = cached
        response = HttpResponse(content, status=status)
        for header, value in headers:
            response[header] = value
        response["X-Page-Cache"] = "hit"
        return response

    @staticmethod
    def _storable(request, response):
        # Django sends the CSRF cookie again on every page that has a form, to push its expiry
        # forward; only a new value (a new token secret) makes the page unfit to keep.
        csrf = settings.CSRF_COOKIE_NAME
        new_cookies = [name for name, morsel in response.cookies.items()
                       if not (name == csrf and morsel.value == request.COOKIES.get(csrf))]
        return not response.streaming and not new_cookies and _no_messages_used(request)
