"""Tasks that tests/test_redis_worker.py sends through a real Redis-backed worker.

They live in an importable module (not in the test file) because the worker is another process
that imports the task by its dotted path, as production workers on other machines do. They use
Redis, not the database: the worker process cannot see the test's database transaction.
"""
import os
import time

import redis
from django.conf import settings
from django_tasks import task


def _redis():
    return redis.Redis.from_url(settings.REDIS_URL)


@task()
def echo(token):
    return {"token": token, "pid": os.getpid()}


@task()
def fail(token):
    raise ValueError(f"bad input {token}")


@task()
def hold(token, seconds):
    """Say it started (with the work-horse's process id), then work for `seconds`."""
    _redis().set(f"workbench-test:started:{token}", os.getpid(), ex=300)
    time.sleep(seconds)
    _redis().set(f"workbench-test:finished:{token}", 1, ex=300)
    return token
