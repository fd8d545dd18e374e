"""Settings for Resilience Workbench.

SQLite is the embedded default so a fresh clone just works; DATABASE_URL switches to
PostgreSQL (the production database). Every setting read from the environment goes through
the helpers in workbench.env so a bad value stops start-up with a clear message.
"""
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from workbench.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# The default key is for the embedded demo only; production sets SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # The Redis-backed task backend (TASKS_BACKEND=django_tasks_rq.RQBackend) and its queues;
    # installed always so the worker command exists, used only when configured.
    "django_rq",
    "django_tasks_rq",
    "apps.core",
    "apps.accounts",
    "apps.networks",
    "apps.plans",
    "apps.progress",
    "apps.people",
    "apps.events",
    "apps.dialogues",
    "apps.baselines",
    "apps.assessments",
    "apps.climate",
    "apps.studies",
    "apps.proposals",
    "apps.pilots",
    "apps.monitoring",
    "apps.evaluations",
    "apps.practices",
    "apps.strategies",
    "apps.forum",
    "apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["apps.core.templatetags.workbench"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Password rules, sign-in throttling and session expiry: the sign-in security block below.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Thai first: LANGUAGE_CODE is the fallback when the browser asks for neither language.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded files: the local folder above by default; with several app servers, a shared folder
# or S3-compatible object storage (FILE_STORAGE=s3, through django-storages). Files are always
# served through the app's own views, which check who may read them, never by a bucket URL.
FILE_STORAGE = env_choice("FILE_STORAGE", "filesystem", {"filesystem", "s3"})
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if FILE_STORAGE == "s3":
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": env_str("S3_BUCKET"),
        "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,  # e.g. MinIO; empty for AWS
        "region_name": env_str("S3_REGION", "") or None,
        "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,  # empty: the machine's role
        "secret_key": env_str("S3_SECRET_ACCESS_KEY", "") or None,
        "location": env_str("S3_PREFIX", "media"),
        "default_acl": None,  # private objects: the bucket's own policy, no public ACL
        "querystring_auth": True,
        "file_overwrite": False,  # two uploads with one name never replace each other
    }}
# Evidence files are limited so one upload cannot fill the disk.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024

# The site's public address, for links in emails (invitations, reminders).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Headless Chromium prints PDFs (sign-in sheets) so Thai text stays exact when copied.
CHROMIUM_PATH = env_str("CHROMIUM_PATH", "/usr/bin/chromium")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "workbench@localhost")

NINJA_PAGINATION_PER_PAGE = 50

# Background work (climate analyses, large imports, reports) goes through the Django tasks API.
# The database backend needs nothing beyond the database: `make run` starts a `db_worker`
# beside the server. The test settings run tasks immediately.
#
# Several machines: TASKS_BACKEND=django_tasks_rq.RQBackend puts the tasks in Redis (REDIS_URL),
# where `manage.py rqworker --job-class django_tasks_rq.Job default` workers on any machine take
# them. A worker that dies mid-task leaves its job in RQ's started registry; when its heartbeat
# expires, the next worker's maintenance moves it to the failed registry (AbandonedJobError),
# so the task is reported failed, never silently lost (tests/test_redis_worker.py).
TASK_BACKENDS = {"django_tasks_db.DatabaseBackend", "django_tasks_rq.RQBackend",
                 "django_tasks.backends.immediate.ImmediateBackend"}
TASK_QUEUES = env_list("TASK_QUEUES", "default")
TASKS = {
    "default": {
        "BACKEND": env_choice("TASKS_BACKEND", "django_tasks_db.DatabaseBackend", TASK_BACKENDS),
        "QUEUES": TASK_QUEUES,
    }
}
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {
    # A task running longer than this is stopped and reported failed (climate analyses with
    # many bootstrap refits and million-row imports stay well below an hour).
    name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("TASK_TIMEOUT_SECONDS", 3600)}
    for name in TASK_QUEUES
}
# With several app servers the cache must be shared (throttling windows, cached pages):
# CACHE_URL=redis://... uses Django's own Redis cache backend; the default is per-process memory.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address, not {CACHE_URL!r}.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": CACHE_URL}}
    # Sessions read from the shared cache (written through to the database, so none is lost
    # when Redis restarts): a cached page then needs no query at all.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Key pages kept in the shared cache until the next write (apps.core.pagecache). On by default
# with a shared cache only: with per-process memory a worker's writes would go unseen.
PAGE_CACHE = env_bool("PAGE_CACHE", bool(CACHE_URL))
# The longest a kept page lives: bounds what changes without a write (events whose
# registration deadline passes, "today" in late-activity warnings within a day).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# The pages and API lists kept that way (URL names; GET only, keyed per session or API token):
# the key pages of a national network (benchmarks/load.py). A page belongs here only when its
# answer depends on nothing but the data, the requester, the request and the date.
PAGE_CACHE_VIEWS = [
    "networks:dashboard", "networks:city", "progress:activity", "proposals:ranking",
    "pilots:detail", "monitoring:progress", "monitoring:progress-indicator",
    "monitoring:network-progress", "practices:library",
    "api:list_pilots", "api:list_cities", "api:list_city_activities", "api:list_events",
    "api:list_calls", "api:list_proposals", "api:list_people", "api:list_assessments",
]
# Bootstrap refits behind the confidence intervals of maximum-likelihood GEV fits: each is a
# scipy fit, so they are most of a climate analysis's time (200: about 40 s per analysis).
CLIMATE_MLE_RESAMPLES = env_int("CLIMATE_MLE_RESAMPLES", 200)
# Uploaded data files (weather-station series, spatial layers) are limited so one upload cannot
# fill the memory of a worker.
DATA_UPLOAD_MAX_BYTES = 25 * 1024 * 1024
# Background map tiles for the Leaflet maps, e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
# with its attribution. Empty by default: maps then draw on a blank background, so they work
# offline and send nothing to a third party.
MAP_TILES_URL = env_str("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = env_str("MAP_TILES_ATTRIBUTION", "")

# --- Sign-in security (issue 9, apps.accounts) -------------------------------------------------
# Passwords: at least 12 characters plus Django's checks, with our Thai/English messages.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "apps.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "apps.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "apps.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "apps.accounts.passwords.NumericPasswordValidator"},
]
# Failed sign-ins are counted in the database (apps.accounts.models.LoginThrottle), so the
# limits hold across several app servers. An address gets more tries than an account: a
# municipality's office often reaches us through one shared address.
AUTHENTICATION_BACKENDS = ["apps.accounts.backends.ThrottledModelBackend"]
LOGIN_FAILURE_LIMIT_ACCOUNT = env_int("LOGIN_FAILURE_LIMIT_ACCOUNT", 5)
LOGIN_FAILURE_LIMIT_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_ADDRESS", 20)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
# Behind a reverse proxy, the request header holding the client's address as the proxy saw
# it, e.g. "HTTP_X_REAL_IP"; empty: REMOTE_ADDR. Only set it when the proxy overwrites it.
LOGIN_CLIENT_ADDRESS_HEADER = env_str("LOGIN_CLIENT_ADDRESS_HEADER", "")
# Sessions end after SESSION_IDLE_HOURS without a request (8 h: a working day). The expiry is
# pushed forward by apps.accounts.middleware.IdleSessionMiddleware at most every few minutes,
# which is SESSION_SAVE_EVERY_REQUEST without a database write on every page.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_HOURS", 8) * 3600
SESSION_COOKIE_HTTPONLY = True
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "apps.accounts.middleware.IdleSessionMiddleware",
)
# Optional two-step sign-in with a TOTP app (django-otp); recovery codes are otp_static.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
OTP_TOTP_ISSUER = "Resilience Workbench"
# A started sign-in waits this long for its code before the password is asked again.
LOGIN_CODE_MINUTES = 5
# --- end of sign-in security ----------------------------------------------------------------

# -- Deployment security (issue 9) -----------------------------------------------------------
# Off by default so `make run` (DEBUG, plain http://127.0.0.1) and the tests work; a production
# site turns them on from the environment (README, "Security settings"), and
# `python manage.py check --deploy` lists any that are still off.
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from workbench.env import env_proxy_header, url_origin  # noqa: E402

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Load balancers probe app servers over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if (SECURE_HSTS_INCLUDE_SUBDOMAINS or SECURE_HSTS_PRELOAD) and not SECURE_HSTS_SECONDS:
    raise ImproperlyConfigured(
        "SECURE_HSTS_INCLUDE_SUBDOMAINS and SECURE_HSTS_PRELOAD do nothing without "
        "SECURE_HSTS_SECONDS (e.g. 31536000, one year)."
    )
# Only behind a proxy that terminates TLS and always sets (never passes through) this header;
# otherwise a client could claim HTTPS. Without it a redirecting site behind such a proxy
# redirects forever.
SECURE_PROXY_SSL_HEADER = env_proxy_header("SECURE_PROXY_SSL_HEADER")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Django's defaults, stated so that changing one is a decision: no framing (as frame-ancestors
# below, for browsers without CSP), no MIME sniffing, no Referer to other sites.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (django-csp): only our own scripts, none inline (templates are
# checked by tests/test_security.py); JSON for scripts goes in json_script blocks.
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")
_csp_directives = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # No <style> blocks in pages (the print templates with one become PDFs, never pages).
    "style-src-elem": ["'self'"],
    # style="" attributes are allowed: bar lengths and Gantt positions are data
    # (style="width: 40%" in several templates), so they cannot live in a stylesheet. An
    # injected attribute cannot fetch from elsewhere: url() loads obey img-src and font-src.
    "style-src-attr": ["'unsafe-inline'"],
    # data: for the icons Swagger UI's stylesheet embeds (/api/docs); the tile server's
    # host when the site configures one (MAP_TILES_URL) for the Leaflet maps.
    "img-src": ["'self'", "data:",
                *filter(None, [url_origin("MAP_TILES_URL", MAP_TILES_URL)])],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Under DEBUG (`make run`) the policy is only reported (browser console): Django's debug pages
# are built with inline scripts and styles.
if DEBUG:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}
