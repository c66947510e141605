"""`make bench`: the site under load as it is deployed, on this machine.

Starts gunicorn (sync workers, (2 x cores) + 1 of them, DJANGO_DEBUG=0, plain http on
127.0.0.1) against a database of its own (`oih_bench` on the embedded PostgreSQL unless
DATABASE_URL is set) holding 100,000 seeded intakes, drives it with wrk and with simulated
patients (bench/loadgen.py), and prints a table and writes bench/results.json: requests a
second, p50/p95/p99 latency, errors and database queries per request for each scenario,
against the goals of issues 5, 10, 14 and 16. Every load loop is bounded in time and count; all traffic goes
to 127.0.0.1.

    .venv/bin/python bench/run.py [--quick] [--only reading,search,journey,clinician,checkin,screening]
"""

import argparse
import datetime
import json
import os
import random
import shutil
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import environment, report, scenarios  # noqa: E402
from bench.log import log  # noqa: E402
from bench.measure import Server, get  # noqa: E402
from bench.prepare import fixtures, manage  # noqa: E402

WORK = environment.WORK_DIR
RESULTS = environment.BENCH_DIR / "results.json"
SCENARIOS = ("reading", "search", "journey", "clinician", "checkin", "screening")


def main(argv=None):
    signal.signal(signal.SIGTERM, _stop)
    args = parse_args(argv)
    only = set(args.only.split(",")) if args.only else set(SCENARIOS)
    seconds = args.seconds or (5 if args.quick else 15)
    journey_seconds = 10 if args.quick else 30
    given_url = bool(os.environ.get("DATABASE_URL"))
    env = prepare()
    results, paths, cookie = seeded_results(seconds, journey_seconds, only)
    if "screening" in only:
        log("screening: the pure rules")
        results["screening"] = {
            "pure": scenarios.screening_throughput(3 if args.quick else 5),
            "command": scenarios.screen_command(),
        }

    from django.db import connections

    connections.close_all()
    server = Server(env, args.workers).start()
    results["machine"] = report.machine(server.workers(), given_url)
    log(f"gunicorn on {server.base}, {server.workers()} workers")
    try:
        warm(server, paths)
        if "reading" in only:
            results["reading"] = scenarios.reading(server, paths, seconds)
        if "search" in only:
            results["search"] = scenarios.search(server, paths, seconds)
        if "clinician" in only:
            results["clinician"] = scenarios.clinician(server, paths, seconds, cookie)
        if "journey" in only:
            results.update(scenarios.journeys(server, paths, journey_seconds))
        if "checkin" in only:
            results["check_ins"] = scenarios.check_ins(
                server, paths["check_in_links"], journey_seconds
            )
    finally:
        server.stop()
        results["server_errors"] = server.error_lines()
    if results["server_errors"]:
        log(f"server log has errors: see {server.log_path}")
    if "screening" in only:
        results["screening"].update(scenarios.rescreens(env, args.quick))
    if not args.no_profile and (profile := scenarios.profile_slowest(results, paths)):
        results["profile"] = profile
    finish(results)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 s per scenario: a trial run")
    parser.add_argument("--seconds", type=float, help="seconds per wrk scenario (default 15)")
    parser.add_argument("--only", help=f"comma-separated, of: {', '.join(SCENARIOS)}")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default (2 x cores) + 1)")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(SCENARIOS) if args.only else set()
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    return args


def prepare():
    """The server's environment in this process, and its database migrated and loaded."""
    log("preparing: environment, database, migrate, collectstatic, load_content")
    env = environment.apply()
    shutil.rmtree(WORK / "cache", ignore_errors=True)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_content")
    return env


def seeded_results(seconds, journey_seconds, only):
    """The seed, the paths to request, a clinician's cookie, and the results begun with the
    configuration and the queries per request."""
    import django

    django.setup()
    from bench import checkins, inprocess, seed, staff

    log("seed")
    seed_info = seed.ensure_seeded(lambda m: log(m))
    paths = fixtures(random.Random(7))
    cookies, _ = staff.staff_session()
    results = {
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seed": seed_info,
        "config": {
            "wrk_seconds": seconds,
            "journey_seconds": journey_seconds,
            "reading_clients": scenarios.READING_CLIENTS,
            "search_clients": scenarios.SEARCH_CLIENTS,
            "patients": scenarios.PATIENTS,
            "clinicians": scenarios.CLINICIANS,
            "check_in_patients": scenarios.CHECK_IN_PATIENTS,
            "check_in_think_seconds": scenarios.CHECK_IN_THINK,
        },
    }
    log("queries per request, in process (test client + CaptureQueriesContext)")
    results["queries"] = inprocess.query_counts(paths, cookies)
    if "checkin" in only:
        results["queries"]["check_in"] = checkins.query_counts()
        results["check_in_intake_page"] = checkins.intake_page_counts(cookies)
        paths["check_in_links"] = checkins.links(scenarios.check_in_links_needed(journey_seconds))
    for scenario, counts in results["queries"].items():
        shown = ", ".join(f"{label}: {c['queries']}" for label, c in counts.items())
        log(f"  {scenario}: {shown}")
    if "checkin" in only:
        page = results["check_in_intake_page"]
        shown = ", ".join(f"{label}: {c['queries']}" for label, c in page["pages"].items())
        log(f"  intake page with check-ins: {shown} ({'fixed' if page['fixed'] else 'NOT fixed'})")
    return results, paths, staff.cookie_header(cookies)


def warm(server, paths):
    """Warm every worker: imports, templates, connections, the page cache."""
    pages = [*paths["article_paths"], *paths["article_paths_es"], *paths["search_paths"]]
    for path in ["/healthz", "/learn/", *pages] * 3:
        get(server.base + path)


def finish(results):
    """Put the seed back, judge the goals, write results.json and print the report."""
    from bench import seed

    seed.cleanup(lambda m: log(m))
    results["goals"] = report.goals(results)
    results["finished_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    report.print_summary(results, RESULTS)


def _stop(signum, frame):
    raise SystemExit(128 + signum)  # so that `finally` stops gunicorn


if __name__ == "__main__":
    main()
