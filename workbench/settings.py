"""Settings for Resilience Workbench.

SQLite is the embedded default so a fresh clone just works; DATABASE_URL switches to
PostgreSQL (the production database). Every setting read from the environment goes through
the helpers in workbench.env so a bad value stops start-up with a clear message.
"""
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from workbench.env import env_bool, env_int, env_list, env_str

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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
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
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
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
