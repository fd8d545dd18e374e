"""gunicorn settings for a production app server (docs/deployment.md).

`gunicorn -c deploy/gunicorn.conf.py workbench.wsgi` starts WEB_WORKERS processes on BIND.
Before any worker starts, the master runs Django's deployment checks with the production
environment: a missing or unsafe setting (SECRET_KEY, ALLOWED_HOSTS, the HTTPS flags, ...) stops
the server with the checks' own message instead of serving a half-configured site.
"""
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Requests are short (long work runs as tasks); a stuck one is killed and logged.
timeout = int(os.environ.get("WEB_TIMEOUT_SECONDS", 60))
graceful_timeout = 30
# Recycle workers now and then so a slow leak in a library cannot grow forever.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# nginx in front sets X-Forwarded-For / -Proto; only trust it from the local proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    if os.environ.get("SKIP_DEPLOY_CHECKS", "").lower() in ("1", "true", "yes"):
        return  # benchmarks on loopback only: never in production
    import django
    from django.core.management import call_command

    django.setup()
    call_command("check", deploy=True, fail_level="WARNING")
