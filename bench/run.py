"""`make bench`: the site under load as it is deployed, on this machine.

Starts gunicorn (sync workers, (2 x cores) + 1 of them, DJANGO_DEBUG=0, plain http on
127.0.0.1) against a database of its own (`oih_bench` on the embedded PostgreSQL unless
DATABASE_URL names one with "bench" in its name) holding 100,000 seeded intakes, drives it
with wrk and with simulated patients (bench/patients.py), prints a table and writes
bench/results.json. Every load loop is bounded in time and count; all traffic goes to
127.0.0.1.

    .venv/bin/python bench/run.py [--quick] [--only reading,search,journey,clinician,checkin,screening]
"""

import argparse
import datetime
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import BENCH, DATABASE_NAME, PYTHON, ROOT, WORK, log  # noqa: E402

RESULTS = BENCH / "results.json"
SCENARIOS = ("reading", "search", "journey", "clinician", "checkin", "screening")


def main(argv=None):
    signal.signal(signal.SIGTERM, lambda signum, _: sys.exit(128 + signum))  # gunicorn stops
    args = parse_args(argv)
    only = set(args.only.split(",")) if args.only else set(SCENARIOS)
    seconds = args.seconds or (5 if args.quick else 15)
    flow_seconds = 10 if args.quick else 30
    env = prepare()

    import django

    django.setup()
    from django.db import connections

    from bench import inprocess, report, scenarios, seed

    log("seed")
    results = {
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seed": seed.ensure_seeded(log),
        "config": {"wrk_seconds": seconds, "flow_seconds": flow_seconds, **scenarios.CONFIG},
    }
    paths = seed.paths(random.Random(7))
    cookies = inprocess.staff_session()
    log("queries per request, in process (test client + CaptureQueriesContext)")
    results["queries"] = inprocess.query_counts(paths, cookies)
    if "checkin" in only:
        results["queries"]["check_in"] = inprocess.check_in_query_counts()
        results["check_in_intake_page"] = inprocess.intake_page_counts(cookies)
        paths["check_in_links"] = inprocess.links(scenarios.check_in_links_needed(flow_seconds))
    for scenario, counts in results["queries"].items():
        log(f"  {scenario}: " + ", ".join(f"{k}: {c['queries']}" for k, c in counts.items()))
    if "screening" in only:
        results["screening"] = scenarios.screening(3 if args.quick else 5)
    connections.close_all()
    server = scenarios.Server(env, args.workers).start()
    results["machine"] = report.machine(server.workers(), bool(os.environ.get("DATABASE_URL")))
    log(f"gunicorn on {server.base}, {server.workers()} workers")
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    try:
        if "reading" in only:
            results["reading"] = scenarios.reading(server, paths, seconds)
        if "search" in only:
            results["search"] = scenarios.search(server, paths, seconds)
        if "clinician" in only:
            results["clinician"] = scenarios.clinician(server, paths, seconds, cookie)
        if "journey" in only:
            results.update(scenarios.journeys(server, paths, flow_seconds))
        if "checkin" in only:
            results["check_ins"] = scenarios.check_ins(server, paths, flow_seconds)
    finally:
        server.stop()
    results["server_errors"] = server.error_lines()
    if "screening" in only:
        results["screening"].update(scenarios.rescreens(env, args.quick))
    seed.cleanup(log)
    results["goals"] = report.goals(results)
    results["finished_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    report.print_summary(results, RESULTS)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 s per scenario: a trial run")
    parser.add_argument("--seconds", type=int, help="seconds per wrk scenario (default 15)")
    parser.add_argument("--only", help=f"comma-separated, of: {', '.join(SCENARIOS)}")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default (2 x cores) + 1)")
    args = parser.parse_args(argv)
    if unknown := set((args.only or "").split(",")) - set(SCENARIOS) - {""}:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    return args


def prepare():
    """The server's environment, put into this process too (before Django is imported); its
    database migrated, its static files collected, the content loaded."""
    log("preparing: environment, database, migrate, collectstatic, load_content")
    WORK.mkdir(exist_ok=True)
    key_file = WORK / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",  # plain http on loopback
        "DJANGO_SECRET_KEY": key_file.read_text().strip(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "oih_site.settings",
        "DJANGO_CACHE_DIR": str(WORK / "cache"),  # its own page cache, emptied each run
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url(),
    }
    os.environ.update(env)
    os.chdir(ROOT)
    shutil.rmtree(WORK / "cache", ignore_errors=True)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load_content"]):
        done = subprocess.run([PYTHON, "manage.py", *command], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return env


def database_url():
    """DATABASE_URL when given; else `oih_bench` on the embedded PostgreSQL. The bench
    replaces the intake data of its database, so a given one must have "bench" in its name:
    never a clinic's data."""
    if url := os.environ.get("DATABASE_URL"):
        if "bench" not in (name := urlsplit(url).path.lstrip("/")):
            raise SystemExit(
                f"DATABASE_URL names the database {name!r}: the bench replaces the intake data "
                "of its database, so it runs only on one whose name contains 'bench' "
                "(for example postgres://postgres@127.0.0.1:5432/oih_bench)."
            )
        return url
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
    import pgserver

    from oih_site.embedded_postgres import DATA_DIR

    server = pgserver.get_server(DATA_DIR, cleanup_mode=None)
    if "(1 row)" not in server.psql(
        f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"
    ):
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return server.get_uri(DATABASE_NAME)


if __name__ == "__main__":
    main()
