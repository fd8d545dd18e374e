"""Load benchmark (issue 8): the key pages and API lists under gunicorn on PostgreSQL with the
scale network, driven by wrk from a second process over loopback, against the framework's
floor (a Django view returning a constant) measured in the same run.

    .venv/bin/python benchmarks/load.py [--cities 2500] [--duration 10] [--workers 4]

Steps: migrate the database and run `seed_scale --cities N` (a top-up: nothing to do once the
network has N cities; a fresh N = 2,500 takes a few minutes), plus a 3-city network for the
query-count comparison; sign the national coordinator in (a session row, its cookie passed to
wrk); count each page's SQL queries and time its render in-process (page cache off) at N and
at 3 cities; start gunicorn with DEBUG off and the shared Redis cache a deployment has
(--cache-url; --no-page-cache renders every request); check that every URL answers 200 (not a
redirect to the sign-in page, not a 404); then, per URL on a fresh server, run wrk for
--duration seconds on the floor and then on the page, and print the table: median and 95th
percentile latency, requests per second, the ratio to the floor's requests per second on the
same server, and pass/fail against the targets (at least 30% of the floor's throughput, p95
under 2 s, the same query count at N as at 3 cities). Exit status 1 if a page misses a target.

Needs wrk (`apt-get install wrk`) and a PostgreSQL the user may create tables in
(--database-url, default the local `scale` database). Not part of the test suite.
"""
import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess  # nosec B404: runs gunicorn and wrk, fixed argument lists
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk_report.lua"
SMALL = 3  # cities of the comparison network
TARGET_RATIO = 0.30
TARGET_P95_MS = 2000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=2500, help="N (default 2500)")
    parser.add_argument("--network-slug", default="scale")
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/scale"))
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1),
                        help="gunicorn workers (default 2 x cores)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL (wrk -d)")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c")
    parser.add_argument("--only", default="", help="comma-separated page names to run")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--cache-url", default=os.environ.get(
        "BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
        help="the shared Redis cache, as a deployment has it ('' for per-process memory)")
    parser.add_argument("--no-page-cache", action="store_true",
                        help="render every request (PAGE_CACHE=false)")
    return parser.parse_args()


def environment(args):
    """Production-ish settings through the environment, as a deployment sets them; plain
    http on loopback, so the HTTPS-only flags stay off."""
    return {
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "DATABASE_URL": args.database_url,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "CACHE_URL": args.cache_url,
        "PAGE_CACHE": "false" if args.no_page_cache or not args.cache_url else "true",
        # Static files are not collected for a benchmark run, and nothing here serves them.
        "PYTHONWARNINGS": "ignore:No directory at",
    }


def setup_django(env):
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(url):
    """Create the benchmark's PostgreSQL database on first use."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit("The load benchmark runs on PostgreSQL: give --database-url postgres://...")
    with psycopg.connect(dbname="postgres", user=config["USER"] or None,
                         password=config["PASSWORD"] or None, host=config["HOST"] or None,
                         port=config["PORT"] or None, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                   [config["NAME"]]).fetchone()
        if not found:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(
                sql.Identifier(config["NAME"])))
            print(f"created database {config['NAME']}")


def seed(args):
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_scale", cities=args.cities, network_slug=args.network_slug)
    call_command("seed_scale", cities=SMALL, network_slug=f"{args.network_slug}-small")


def targets(slug):
    """(name, path) of the pages and API lists to drive, in network `slug`."""
    from django.urls import reverse

    from apps.demo.scale import chart_url
    from apps.networks.models import City
    from apps.pilots.models import Pilot
    from apps.proposals.models import Call

    city = City.objects.get(slug=f"{slug}-00001")  # city 1 has finished the plan
    call = Call.objects.get(city=city)
    pilot = Pilot.objects.filter(city=city).order_by("pk").first()
    pages = [
        ("floor", "/_floor/"),
        ("network dashboard", reverse("networks:dashboard", kwargs={"slug": slug})),
        ("city page", reverse("networks:city", kwargs={"slug": city.slug})),
        ("activity page", reverse("progress:activity", kwargs={"slug": city.slug, "number": 12})),
        ("call ranking", reverse("proposals:ranking", kwargs={"pk": call.pk})),
    ]
    pages += [
        ("pilot page", reverse("pilots:detail", kwargs={"pk": pilot.pk})),
        ("indicator chart", chart_url(city)),
        ("good practices", reverse("practices:library")),
        # "risk" in Thai, a word inside longer phrases: the search segments Thai text.
        ("practice search", reverse("practices:library") + "?q=" + quote("ความเสี่ยง")),
        ("api pilots", "/api/pilots"),
        ("api cities", f"/api/cities?network={slug}"),
        ("api city-activities", f"/api/city-activities?city={city.slug}"),
        ("api events", f"/api/events?network={slug}"),
        ("api calls", "/api/calls"),
        ("api proposals", f"/api/proposals?call={call.pk}"),
        ("api people", f"/api/people?city={city.slug}"),
        ("api assessments", f"/api/assessments?network={slug}"),
    ]
    return pages


def session_cookie(slug):
    """The Cookie header of the network's national coordinator signed in through the form:
    the session and the CSRF cookie the sign-in page gave the browser."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(reverse("accounts:login"))
    client.force_login(get_user_model().objects.get(username=f"{slug}-coordinator"))
    return "; ".join(f"{name}={client.cookies[name].value}" for name in ("sessionid", "csrftoken"))


def query_counts(args, pages):
    """Each page's SQL queries in-process, at N and in the 3-city network's matching city, and
    its render time at N (median of 3): what the first reader after a write waits for, since
    these are counted and timed with the page cache off."""
    import statistics

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    page_cache, settings.PAGE_CACHE = settings.PAGE_CACHE, False
    small_slug = f"{args.network_slug}-small"
    wanted = {name for name, _ in pages}
    small_pages = {name: path for name, path in targets(small_slug) if name in wanted}
    counts, render_ms = {}, {}
    for network_slug, page_list in ((args.network_slug, pages),
                                    (small_slug, list(small_pages.items()))):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=f"{network_slug}-coordinator"))
        for name, path in page_list:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            counts.setdefault(name, {})[network_slug] = (len(queries), response.status_code)
            if network_slug == args.network_slug:
                times = []
                for _ in range(3):
                    started = time.perf_counter()
                    client.get(path)
                    times.append((time.perf_counter() - started) * 1000)
                render_ms[name] = statistics.median(times)
    settings.PAGE_CACHE = page_cache
    return {name: (c[args.network_slug][0], c.get(small_slug, (None,))[0], render_ms.get(name))
            for name, c in counts.items()}


def start_server(args, env):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        sys.exit("gunicorn is not installed: .venv/bin/pip install -r requirements.txt")
    command = [str(gunicorn), "workbench.wsgi:application", "--chdir", str(ROOT),
               "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
               "--log-level", "warning", "--timeout", "120", "--graceful-timeout", "5"]
    server = subprocess.Popen(command, env={**os.environ, **env},  # nosec B603
                              start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(args.port, "/_floor/", "")[0] == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            sys.exit("gunicorn exited at start-up; see its messages above.")
        time.sleep(0.5)
    stop_server(server)
    sys.exit("gunicorn did not answer within 60 s.")


def stop_server(server):
    """Graceful shutdown (bounded by --graceful-timeout), then make sure."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    except ProcessLookupError:
        pass


def fetch(port, path, cookie):
    """(status, location) of one GET, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": cookie} if cookie else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.getheader("Location", "")


def run_wrk(args, path, cookie, seconds=None):
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}",
               f"-d{seconds or args.duration}s",
               "--timeout", "30s", "-s", str(LUA), "-H", f"Cookie: {cookie}",
               f"http://127.0.0.1:{args.port}{path}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # nosec
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    data = json.loads(line[len("WRK_JSON "):])
    seconds = data["duration_us"] / 1e6
    return {"median_ms": data["p50_us"] / 1000, "p95_ms": data["p95_us"] / 1000,
            "rps": data["requests"] / seconds if seconds else 0.0,
            "requests": data["requests"], "errors": data["non_2xx"] + data["socket_errors"]}


def main():
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed. On Debian/Ubuntu, as root: "
                 "apt-get update && apt-get install -y wrk")
    env = environment(args)
    ensure_database(args.database_url)
    setup_django(env)
    started = time.monotonic()
    seed(args)
    print(f"data ready in {time.monotonic() - started:.0f} s")
    pages = targets(args.network_slug)
    if args.only:
        wanted = {"floor", *(name.strip() for name in args.only.split(","))}
        pages = [(name, path) for name, path in pages if name in wanted]
    queries = query_counts(args, pages)
    cookie = session_cookie(args.network_slug)
    # Every URL must answer 200 to the signed-in coordinator before anything is timed.
    server = start_server(args, env)
    try:
        for name, path in pages:
            status, location = fetch(args.port, path, cookie)
            if status != 200:
                sys.exit(f"{name} ({path}) answered {status} {location}: not timed.")
    finally:
        stop_server(server)
    results = []
    floor_path = dict(pages)["floor"]
    for name, path in pages:
        if name == "floor":
            continue
        # A fresh server per URL: a slow page's queued requests must not eat into the next
        # page's time. A few unmeasured requests, one at a time, warm the workers up (imports,
        # compiled templates, database connections) without leaving a queue behind. The floor
        # is driven on the same server just before the page, so both see the same load from
        # whatever else the machine runs (it moved from 300 to 1,100 req/s between runs).
        print(f"driving {name}: {path}", flush=True)
        server = start_server(args, env)
        try:
            for _ in range(2 * args.workers):
                fetch(args.port, floor_path, cookie)
                fetch(args.port, path, cookie)
            floor_run = run_wrk(args, floor_path, cookie)
            results.append({"page": name, "path": path, "floor_rps": floor_run["rps"],
                            **run_wrk(args, path, cookie)})
        finally:
            stop_server(server)
    floor_runs = sorted(row["floor_rps"] for row in results)
    floor = floor_runs[len(floor_runs) // 2] if floor_runs else 0.0
    failed = report(args, results, floor, queries)
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"cities": args.cities, "workers": args.workers, "duration": args.duration,
             "connections": args.connections, "results": results,
             "queries": queries}, indent=2))
    sys.exit(1 if failed else 0)


def report(args, results, floor, queries):
    print()
    cache = "off" if args.no_page_cache or not args.cache_url else f"on ({args.cache_url})"
    print(f"N = {args.cities} cities, gunicorn {args.workers} workers, wrk -t{args.threads} "
          f"-c{args.connections} -d{args.duration}s, page cache {cache}")
    print(f"x floor: the page's req/s over the floor's, driven on the same server just before it "
          f"(floor median {floor:.0f} req/s)")
    print("render ms: one render in-process with the page cache off (what the first reader "
          "after a write waits)")
    header = (f"{'page':<22} {'queries N/' + str(SMALL):>12} {'render ms':>10} "
              f"{'median ms':>10} {'p95 ms':>9} "
              f"{'req/s':>8} {'floor':>8} {'x floor':>8}  result")
    print(header)
    print("-" * len(header))
    failed = False
    for row in results:
        ratio = row["rps"] / row["floor_rps"] if row["floor_rps"] else 0.0
        big, small, render = queries.get(row["page"], (None, None, None))
        problems = []
        if row["page"] != "floor":
            if ratio < TARGET_RATIO:
                problems.append(f"< {TARGET_RATIO:.0%} of floor")
            if row["p95_ms"] >= TARGET_P95_MS:
                problems.append("p95 >= 2 s")
            if big != small:
                problems.append("queries grow with N")
        if row["requests"] == 0:
            problems.append(f"no answer within {args.duration} s")
        if row["errors"]:
            problems.append(f"{row['errors']} errors")
        failed = failed or bool(problems)
        row.update(ratio=ratio, queries_n=big, queries_small=small, render_ms=render,
                   problems=problems)
        print(f"{row['page']:<22} {f'{big}/{small}':>12} {render or 0:>10.1f} "
              f"{row['median_ms']:>10.1f} "
              f"{row['p95_ms']:>9.1f} {row['rps']:>8.1f} {row['floor_rps']:>8.1f} {ratio:>8.2f}  "
              f"{'FAIL: ' + ', '.join(problems) if problems else 'pass'}")
    return failed


if __name__ == "__main__":
    main()
