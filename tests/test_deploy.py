"""The production app server (deploy/gunicorn.conf.py) refuses to start half-configured and
serves once the environment is complete: start-up validation a deployment relies on."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_security import PRODUCTION, SECURITY_VARIABLES

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port, **variables):
    env = {k: v for k, v in os.environ.items()
           if k not in SECURITY_VARIABLES and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(variables, DJANGO_SETTINGS_MODULE="workbench.settings",
               BIND=f"127.0.0.1:{port}", WEB_WORKERS="1")
    return subprocess.Popen([str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "workbench.wsgi"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def test_a_missing_production_setting_stops_the_server_with_the_checks_message():
    insecure = {**PRODUCTION}
    insecure.pop("SECRET_KEY")  # falls back to the short development key
    server = start(free_port(), **insecure)
    try:
        output, _ = server.communicate(timeout=120)
    finally:
        server.kill()
    assert server.returncode != 0
    assert "security.W009" in output  # Django names the SECRET_KEY problem


def probe(port):
    """The load balancer's probe, over the "HTTPS" the proxy would declare."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": "workbench.example.go.th", "X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, json.load(response), response.headers


def test_a_complete_production_environment_serves(tmp_path):
    port = free_port()
    # A database of its own: the run's DATABASE_URL may name one that only exists as test_*.
    server = start(port, **PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    try:
        deadline = time.monotonic() + 120
        answer = None
        while answer is None and server.poll() is None and time.monotonic() < deadline:
            try:
                answer = probe(port)
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.3)
        if answer is None:
            server.kill()
            pytest.fail(f"gunicorn did not serve: {server.communicate()[0][-3000:]}")
        status, body, headers = answer
        assert status == 200 and body == {"status": "ok", "database": "ok"}
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_healthz_says_unavailable_when_the_database_is_gone(client, db, monkeypatch):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}

    def broken():
        raise OSError("connection refused")

    with monkeypatch.context() as patch:  # undone before the test database is torn down
        patch.setattr("workbench.health.connection.cursor", broken)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert "no-cache" in response["Cache-Control"]
