"""Background tasks on several machines: the Redis-backed backend (django-tasks-rq) with real
`rqworker` processes on the machine's Redis (REDIS_TEST_URL, default redis://127.0.0.1:6379/14).

A worker is a separate process started like on another machine (`manage.py rqworker`), so
these tests show what production relies on: a task enqueued by the app is run by a worker, a
failing task is reported failed with its error, and a worker killed in the middle of a task
leaves the task visible as running and then, once its heartbeat has expired, reported failed
(AbandonedJobError) by the next worker's maintenance: never silently lost.
"""
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django_tasks import TaskResultStatus

from tests import redis_probe

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")
# One queue per test run, so two runs on the same Redis never take each other's jobs.
QUEUE = f"workbench-test-{uuid.uuid4().hex[:8]}"
WAIT = 60  # seconds; a worker start costs Django's start-up, a few seconds on a busy machine


@pytest.fixture
def rq(settings):
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError as error:  # a failure, not a skip: CI has Redis
        pytest.fail(f"Redis is needed for the worker tests at {REDIS_URL}: {error}")
    settings.REDIS_URL = REDIS_URL
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 120}
                          for name in ("default", QUEUE)}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": ["default", QUEUE]}}
    yield connection
    for key in connection.scan_iter(f"*{QUEUE}*"):
        connection.delete(key)


def start_worker(*extra):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "workbench.settings",
           "TASKS_BACKEND": "django_tasks_rq.RQBackend", "REDIS_URL": REDIS_URL,
           "TASK_QUEUES": f"default,{QUEUE}"}  # the app's tasks are declared on "default"
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job",
         "--worker-ttl", "5", *extra, QUEUE],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)  # its own process group: killing it kills its work-horse


def wait_for(condition, what, worker=None):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        if worker is not None and worker.poll() is not None:
            break
        time.sleep(0.1)
    output = worker.stdout.read().decode(errors="replace") if worker and worker.poll() else ""
    pytest.fail(f"Timed out waiting for {what}. {output[-2000:]}")


def queued(task):
    return task.using(queue_name=QUEUE)


def test_a_worker_runs_an_enqueued_task_and_its_result_comes_back(rq):
    token = uuid.uuid4().hex
    result = queued(redis_probe.echo).enqueue(token)
    assert result.status == TaskResultStatus.READY
    worker = start_worker("--burst")  # takes what is queued, then exits
    assert worker.wait(timeout=WAIT) == 0, worker.stdout.read().decode()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["token"] == token
    assert result.return_value["pid"] != os.getpid()  # ran in the worker, not here
    assert result.worker_ids


def test_a_failing_task_is_reported_failed_with_its_error(rq):
    result = queued(redis_probe.fail).enqueue("row 7")
    worker = start_worker("--burst")
    worker.wait(timeout=WAIT)
    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class_path == "builtins.ValueError"
    assert "bad input row 7" in result.errors[-1].traceback


def test_a_worker_killed_mid_task_leaves_the_task_reported_failed_not_lost(rq):
    token = uuid.uuid4().hex
    result = queued(redis_probe.hold).enqueue(token, 60)
    worker = start_worker()
    started = f"workbench-test:started:{token}"
    wait_for(lambda: rq.exists(started), "the task to start", worker)
    # The machine dies: the worker and its work-horse (RQ runs each task in a forked process
    # in a session of its own) are killed without any chance to clean up.
    horse = int(rq.get(started))
    os.killpg(worker.pid, signal.SIGKILL)
    os.kill(horse, signal.SIGKILL)
    worker.wait(timeout=WAIT)
    wait_for(lambda: not _alive(horse), "the work-horse to die")

    result.refresh()
    assert result.status == TaskResultStatus.RUNNING  # still visible, not gone
    assert not rq.exists(f"workbench-test:finished:{token}")

    # Once the dead worker's heartbeat has expired, any worker's maintenance cleans the
    # registry. A worker's first maintenance runs at its start, so we start one after the
    # expiry: the run is told the time is past the expiry rather than waiting for it.
    import django_rq

    registry = django_rq.get_queue(QUEUE).started_job_registry
    assert registry.get_job_ids() == [result.id]
    registry.cleanup(timestamp=time.time() + 3600)

    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class_path == "rq.exceptions.AbandonedJobError"
    assert registry.get_job_ids() == []
    assert result.id in django_rq.get_queue(QUEUE).failed_job_registry.get_job_ids()

    # The queue still works: a new worker takes the next task.
    after = queued(redis_probe.echo).enqueue("after")
    worker = start_worker("--burst")
    worker.wait(timeout=WAIT)
    after.refresh()
    assert after.status == TaskResultStatus.SUCCESSFUL


def _alive(pid):
    """Running, i.e. neither gone nor a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")
