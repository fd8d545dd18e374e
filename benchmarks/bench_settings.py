"""Settings for benchmarks/load.py: the application's own settings (read from the environment
as in production) with a URLconf that adds the framework's floor, `/_floor/`, so the app's
URLs stay untouched. Select with DJANGO_SETTINGS_MODULE=benchmarks.bench_settings."""
from workbench.settings import *  # noqa: F401,F403

ROOT_URLCONF = "benchmarks.floor_urls"
