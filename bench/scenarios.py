"""The scenarios, each a short function: what load, for how long, and what it records."""

import contextlib
import json
import os
import re
import subprocess
import time

from bench import environment
from bench.log import log
from bench.measure import CpuMeter, get, rss_summary, write_lines, wrk, wrk_rounds

ROOT, WORK, BENCH = environment.ROOT, environment.WORK_DIR, environment.BENCH_DIR
READING_CLIENTS = 16
SEARCH_CLIENTS = 16
PATIENTS = 32
# The journey twice: patients who click on at once (the server's capacity, latency mostly
# queueing), and patients who spend about a second on each page (latency mostly service time;
# a real patient spends 20 s or more, so each stands for 20 or more real ones).
JOURNEYS = [("journey", 0.0, "no think time"), ("journey_paced", 1.0, "1 s think time")]
CLINICIANS = 4
# Follow-up check-ins (issue 16): patients at once, each spending about a second on a page.
CHECK_IN_PATIENTS = 32
CHECK_IN_THINK = 1.0
# The patients arrive spread over about one check-in (16 pages), before the measured window.
CHECK_IN_WARMUP = 16 * CHECK_IN_THINK
# `manage.py screen` over this many documents, end to end (issue 10).
SCREEN_DOCUMENTS = 10_000


def journey(server, fixtures, seconds, think=0.0):
    returning = write_lines("returning.json", [json.dumps(fixtures["returning"])])
    out = WORK / f"journey-think-{think:g}.json"
    command = [
        environment.PYTHON,
        str(BENCH / "loadgen.py"),
        "--base",
        server.base,
        "--patients",
        str(PATIENTS),
        "--seconds",
        str(seconds),
        "--returning",
        str(returning),
        "--think",
        str(think),
        "--out",
        str(out),
    ]
    with CpuMeter(server.process.pid) as meter:
        subprocess.run(command, check=True, timeout=seconds + 120)
    result = json.loads(out.read_text())
    result["cpu"] = meter.result
    log(
        f"  think {think:g} s  {result['completed_per_minute']:8.1f} intakes/min  "
        f"{result['requests_per_second']} req/s  p95 {result['p95_ms']} ms  "
        f"errors {result['errors']}  (client {result['client_cpu_share']} cores, "
        f"app {meter.result['app_cores']}, db {meter.result['db_cores']}, "
        f"other {meter.result['other_cores']})"
    )
    return result


def screening_throughput(seconds):
    """Documents a second through the pure rules, pinned to one core."""
    from bench.seed import sample_documents
    from intake.screening import screen

    pairs = sample_documents(2000)
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        for document, previous in pairs[:200]:  # warm-up
            screen(document, previous=previous)
        count, started = 0, time.perf_counter()
        cpu_started = time.process_time()
        while time.perf_counter() - started < seconds and count < 500_000:
            for document, previous in pairs:
                screen(document, previous=previous)
            count += len(pairs)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    finally:
        os.sched_setaffinity(0, allowed)
    result = {
        "documents": count,
        "with_previous_visit": sum(1 for _, p in pairs if p) / len(pairs),
        "seconds": round(wall, 2),
        "docs_per_second": round(count / wall),
        "docs_per_cpu_second": round(count / cpu),
    }
    log(
        f"  screen()     {result['docs_per_second']:,} documents/s on one core "
        f"({result['docs_per_cpu_second']:,} per CPU-second)"
    )
    return result


def screen_command():
    """`manage.py screen` over SCREEN_DOCUMENTS files, process start included."""
    from bench import screen_cli

    log(f"screening: manage.py screen over {SCREEN_DOCUMENTS:,} documents, end to end")
    result = screen_cli.measure(SCREEN_DOCUMENTS)
    for name, _ in screen_cli.WAYS:
        log(
            f"  screen ({name}): {result[name]['docs_per_second']:,} documents/s "
            f"(median of {result[name]['seconds']} s)"
        )
    return result


def rescreen(env, apply, timeout):
    """`manage.py rescreen [--apply] --batch-size 1000`, timed, its memory sampled.

    Bounded: past `timeout` seconds the command (our own child) is stopped; an applied run
    has by then committed whole batches, recorded on its Rescreen row, which are read every
    couple of seconds here to give its rate and the time 100,000 intakes would take.
    """
    import psutil
    from django.core.management import get_commands
    from django.db import connection

    from intake.models import Intake

    if "rescreen" not in get_commands():
        return {
            "skipped": "manage.py rescreen does not exist yet (another engineer is finishing "
            "it); this scenario runs once it is there"
        }
    to_examine = Intake.objects.submitted().count()
    command = [environment.PYTHON, "manage.py", "rescreen", "--batch-size", "1000"]
    if apply:
        command.append("--apply")
    # To a file, not a pipe: the report (its table from old to new) can outgrow a pipe's
    # buffer, and a child blocked writing to it would never finish.
    report_path = WORK / f"rescreen-{'apply' if apply else 'dry-run'}.txt"
    report_file = report_path.open("w")
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=report_file,
        stderr=subprocess.STDOUT,
        text=True,
    )
    samples, progress = [], []
    watched = psutil.Process(process.pid)
    timed_out = False
    last_poll = 0.0
    while process.poll() is None:
        elapsed = time.monotonic() - started
        if elapsed > timeout:
            timed_out = True
            process.kill()  # our own child, by its pid; its open batch rolls back
            process.wait()
            break
        with contextlib.suppress(psutil.Error):
            samples.append((elapsed, watched.memory_info().rss / 2**20))
        if apply and elapsed - last_poll >= 2:
            last_poll = elapsed
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT examined, changed FROM intake_rescreen WHERE NOT is_dry_run "
                    "ORDER BY id DESC LIMIT 1"
                )
                row = cursor.fetchone()
            if row:
                progress.append((round(elapsed, 1), row[0], row[1]))
        time.sleep(0.25)
    seconds = time.monotonic() - started
    connection.close()
    report_file.close()
    output = report_path.read_text()
    result = {"apply": apply, "to_examine": to_examine, "rss_mb": rss_summary(samples)}
    if timed_out:
        done_at, examined, changed = progress[-1] if progress else (seconds, 0, 0)
        rate = examined / done_at if examined else None
        result.update(
            {
                "stopped_after_seconds": timeout,
                "examined_before_stop": examined,
                "changed_before_stop": changed,
                "intakes_per_second": round(rate, 1) if rate else None,
                "projected_seconds": round(to_examine / rate) if rate else None,
                "progress": progress[-10:],
            }
        )
        log(
            f"  rescreen{' --apply' if apply else ''}: stopped after {timeout} s with "
            f"{examined} of {to_examine} examined ({result['intakes_per_second']}/s): "
            f"projected {result['projected_seconds']} s for all; RSS {result['rss_mb']}"
        )
        return result
    if process.returncode != 0:
        result.update({"failed": output[-2000:], "seconds": round(seconds, 1)})
        log(f"  rescreen failed: {output[-500:]}")
        return result
    first = output.splitlines()[0] if output else ""
    match = re.search(r"(\d+) intake\(s\) examined, (\d+)", first)
    examined, changed = (int(match.group(1)), int(match.group(2))) if match else (None, None)
    result.update(
        {
            "seconds": round(seconds, 1),
            "examined": examined,
            "changed": changed,
            "intakes_per_second": round(examined / seconds) if examined else None,
            "report": first,
            # The whole report: the table from old level and alerts to new, the counts.
            "output": output.rstrip().splitlines(),
        }
    )
    log(
        f"  rescreen{' --apply' if apply else ''}: {seconds:.1f} s, {examined} examined, "
        f"{changed} changed, RSS {result['rss_mb']}"
    )
    return result


# One function per scenario, as run.py calls them --------------------------------------------


# Short rounds, many of them, so that a neighbour's burst of work falls on every page alike.
READING_ROUNDS = 5
# The reading pages against /healthz: (results key, the paths in turn).
READING_PAGES = [
    ("article", "article_paths"),
    ("article_es", "article_paths_es"),
    ("index", "index_paths"),
]


def reading(server, paths, seconds):
    """Articles in English and in Spanish and the index against /healthz, in interleaved
    rounds."""
    log(
        f"reading: {READING_CLIENTS} clients, {seconds:g} s each, "
        f"in {READING_ROUNDS} interleaved rounds"
    )
    pages = [("healthz", ["/healthz"])] + [(name, paths[key]) for name, key in READING_PAGES]
    merged = wrk_rounds(server, pages, READING_CLIENTS, seconds, rounds=READING_ROUNDS)
    healthz = merged["healthz"]
    result = {"healthz": healthz}
    for name, key in READING_PAGES:
        page = merged[name]
        page["paths_all"] = paths[key]
        result[name] = page
        result[f"{name}_ratio"] = round(
            page["requests_per_second"] / healthz["requests_per_second"], 3
        )
        # Each round's own ratio: the rounds differ in how busy the rest of the machine was.
        result[f"{name}_ratio_rounds"] = _round_ratios(page, healthz)
        # The same comparison by the app's CPU per request, which the neighbours' load
        # disturbs less: /healthz's cost over the page's.
        result[f"{name}_cpu_ratio"] = round(
            healthz["app_cpu_ms_per_request"] / page["app_cpu_ms_per_request"], 3
        )
        log(
            f"  {name}/healthz {result[f'{name}_ratio']} "
            f"(rounds {result[f'{name}_ratio_rounds']}); app CPU per request "
            f"{page['app_cpu_ms_per_request']} ms against {healthz['app_cpu_ms_per_request']} ms"
        )
    return result


def _round_ratios(page, healthz):
    return [
        round(p / h, 3)
        for p, h in zip(
            page["rounds_requests_per_second"], healthz["rounds_requests_per_second"], strict=True
        )
    ]


def search(server, paths, seconds):
    log(f"search: {SEARCH_CLIENTS} clients")
    return wrk(server, "search", paths["search_paths"], SEARCH_CLIENTS, seconds)


def clinician(server, paths, seconds, cookie):
    """Signed-in clinicians on the review queue and on intake pages."""
    log(f"clinician: {CLINICIANS} clinicians signed in")
    for path in [*paths["queue_paths"], *paths["intake_paths"][:10]]:
        get(server.base + path, cookie)
    return {
        "queue": wrk(server, "queue", paths["queue_paths"], CLINICIANS, seconds, cookie),
        "intake_page": wrk(
            server, "intake_page", paths["intake_paths"], CLINICIANS, seconds, cookie
        ),
    }


def check_ins(server, links, seconds):
    """Patients sending follow-up check-ins through the pages, 1 s on each page."""
    log(f"check-ins: {CHECK_IN_PATIENTS} patients, {CHECK_IN_THINK:g} s think time, {seconds:g} s")
    links_file = write_lines("check-in-links.json", [json.dumps(links)])
    out = WORK / "check-ins.json"
    command = [
        environment.PYTHON,
        str(BENCH / "checkin_loadgen.py"),
        "--base",
        server.base,
        "--patients",
        str(CHECK_IN_PATIENTS),
        "--seconds",
        str(seconds),
        "--think",
        str(CHECK_IN_THINK),
        "--warmup",
        str(CHECK_IN_WARMUP),
        "--links",
        str(links_file),
        "--out",
        str(out),
    ]
    with CpuMeter(server.process.pid) as meter:
        subprocess.run(command, check=True, timeout=seconds + CHECK_IN_WARMUP + 120)
    result = json.loads(out.read_text())
    result["cpu"] = meter.result
    submit = result["by_request"].get("check POST (submit)", {})
    log(
        f"  {result['completed']} check-ins sent, {result['requests_per_second']} req/s, "
        f"submit p95 {submit.get('p95_ms')} ms, errors {result['errors']} "
        f"(client {result['client_cpu_share']} cores, app {meter.result['app_cores']}, "
        f"db {meter.result['db_cores']}, other {meter.result['other_cores']})"
    )
    return result


def check_in_links_needed(seconds):
    """Links enough for every patient to send a check-in every ~15 s of the run, and spare."""
    per_check_in = 16 * CHECK_IN_THINK or 1
    total = seconds + CHECK_IN_WARMUP + 10
    return int(CHECK_IN_PATIENTS * total / per_check_in * 1.5) + CHECK_IN_PATIENTS


def journeys(server, paths, seconds):
    """The patient journey with no think time, then paced: {results key: result}."""
    results = {}
    for key, think, what in JOURNEYS:
        log(f"journey: {PATIENTS} patients, {what}, {seconds:g} s")
        results[key] = journey(server, paths, seconds, think)
    return results


def rescreens(env, quick):
    """manage.py rescreen, dry run then applied; the seed is put back afterwards."""
    from bench import seed

    log("screening: manage.py rescreen over the stored intakes")
    # Long enough for the applied run to finish on a busy 2-core machine, so that its time is
    # measured rather than projected (the goal is 60 s).
    timeout = 60 if quick else 240
    results = {
        "rescreen_dry_run": rescreen(env, apply=False, timeout=timeout),
        "rescreen_apply": rescreen(env, apply=True, timeout=timeout),
    }
    seed.reset_rescreens(lambda m: log(m))
    seed.compact(lambda m: log(m))  # before the profile: the reset leaves dead rows
    return results


def profile_slowest(results, paths):
    """cProfile and the SQL of the slowest path under load, or None."""
    from bench import inprocess, report, staff

    target = report.slowest(results, paths)
    if not target:
        return None
    log(f"profiling the slowest path: {target['label']} (p95 {target['p95_ms']} ms)")
    cookies, _ = staff.staff_session()  # staff sessions end after idle minutes
    profile = {
        "target": target["label"],
        "p95_ms": target["p95_ms"],
        **inprocess.profile(target, paths, cookies, repeat=10 if target["p95_ms"] > 500 else 30),
    }
    (WORK / "profile.txt").write_text(report.profile_text(profile))
    log(f"  written to {WORK / 'profile.txt'}")
    return profile
