"""The bench's report: the machine, the goals met or missed, the table, the slowest path."""

import functools
import os
import platform
import re
import subprocess
import time
from pathlib import Path

from bench import environment
from bench.log import T0
from bench.scenarios import CHECK_IN_PATIENTS, JOURNEYS, PATIENTS

ROOT = environment.ROOT
GOALS = {
    "reading_ratio": 0.8,
    # Issue 14: a cached article, English or Spanish, as fast as /healthz within 10%.
    "article_ratio": 0.9,
    "check_in_submit_p95_ms": 150,
    "search_p95_ms": 50,
    "journey_step_p95_ms": 100,
    "clinician_p95_ms": 300,
    "screen_docs_per_second": 5000,
    "rescreen_seconds": 60,
}


def machine(server_workers, given_url):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        sync_commit = cursor.fetchone()[0]
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import psutil

    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[
        0
    ]
    return {
        "cpu": model,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": pg,
        "postgresql_settings": {"shared_buffers": buffers, "synchronous_commit": sync_commit},
        "database": "DATABASE_URL as given" if given_url else "embedded (pgserver), unix socket",
        "gunicorn_workers": server_workers,
        "wrk": wrk_version.strip(),
    }


def goals(results):
    checks = []

    def check(name, value, target, met, unit=""):
        checks.append({"goal": name, "value": value, "target": target, "met": met, "unit": unit})

    reading = results.get("reading")
    if reading:
        for page, goal in (("article", "article_ratio"), ("article_es", "article_ratio")):
            ratio = reading[f"{page}_ratio"]
            check(f"{page}/healthz req/s", ratio, f">= {GOALS[goal]}", ratio >= GOALS[goal])
        ratio = reading["index_ratio"]
        check("index/healthz req/s", ratio, ">= 0.8", ratio >= GOALS["reading_ratio"])
    search = results.get("search")
    if search:
        check(
            "search p95 at 16 clients",
            search["p95_ms"],
            "< 50 ms",
            search["p95_ms"] < GOALS["search_p95_ms"] and search["errors"] == 0,
            "ms",
        )
    for key, think, _ in JOURNEYS:
        journey = results.get(key)
        if not journey:
            continue
        worst = max(journey["by_request"].items(), key=lambda kv: kv[1].get("p95_ms") or 0)
        check(
            f"journey step p95, {PATIENTS} patients, think {think:g} s (worst: {worst[0]})",
            worst[1].get("p95_ms"),
            "< 100 ms",
            worst[1].get("p95_ms", 1e9) < GOALS["journey_step_p95_ms"],
            "ms",
        )
        check(f"journey errors, think {think:g} s", journey["errors"], "0", journey["errors"] == 0)
    counts = results.get("queries", {}).get("journey", {})
    if counts:
        varying = [label for label, c in counts.items() if not c["constant"]]
        check(
            "journey queries per step fixed",
            "varies: " + ", ".join(varying) if varying else "fixed",
            "fixed",
            not varying,
        )
    _check_in_goals(results, check)
    for key, label in (("queue", "worklist"), ("intake_page", "intake page")):
        page = results.get("clinician", {}).get(key)
        if page:
            check(
                f"{label} p95 (100k intakes)",
                page["p95_ms"],
                "< 300 ms",
                page["p95_ms"] < GOALS["clinician_p95_ms"] and page["errors"] == 0,
                "ms",
            )
            counts = results.get("queries", {}).get(key, {})
            constant = len({c["queries"] if c["constant"] else -1 for c in counts.values()}) == 1
            check(
                f"{label} queries constant",
                sorted({str(c["queries"]) for c in counts.values()}),
                "same on every page",
                constant,
            )
    screening = results.get("screening", {})
    if screening.get("pure"):
        value = screening["pure"]["docs_per_second"]
        check("screen() documents/s, one core", value, ">= 5,000", value >= 5000)
    command = screening.get("command", {})
    for way in ("default", "jsonl"):
        if way in command:
            value = command[way]["docs_per_second"]
            check(
                f"manage.py screen, {command['documents']:,} documents end to end ({way})",
                value,
                ">= 5,000 documents/s",
                value >= GOALS["screen_docs_per_second"],
            )
    applied = screening.get("rescreen_apply", {})
    if applied.get("skipped") or applied.get("failed"):
        check("rescreen --apply, 100k intakes", applied.get("skipped") or "failed", "< 60 s", False)
    elif applied.get("seconds") is not None:
        check(
            "rescreen --apply, 100k intakes",
            applied["seconds"],
            "< 60 s",
            applied["seconds"] < GOALS["rescreen_seconds"],
            "s",
        )
    elif applied.get("stopped_after_seconds"):
        check(
            "rescreen --apply, 100k intakes (stopped; projected from its rate)",
            applied.get("projected_seconds"),
            "< 60 s",
            False,
            "s",
        )
    rss = applied.get("rss_mb", {})
    if rss:
        growth = rss["at_90pct"] - rss["at_10pct"]
        check(
            "rescreen --apply memory flat (RSS growth, 10% -> 90% of the run)",
            round(growth, 1),
            "< 50 MB",
            growth < 50,
            "MB",
        )
    return checks


def _check_in_goals(results, check):
    """Issue 16: a check-in sent fast at 32 patients, fixed queries, the intake page fixed."""
    sent = results.get("check_ins")
    if sent:
        submit = sent["by_request"].get("check POST (submit)", {})
        check(
            f"check-in submitted p95, {CHECK_IN_PATIENTS} patients",
            submit.get("p95_ms"),
            "< 150 ms",
            submit.get("p95_ms", 1e9) < GOALS["check_in_submit_p95_ms"],
            "ms",
        )
        check("check-in errors", sent["errors"], "0", sent["errors"] == 0)
    counts = results.get("queries", {}).get("check_in", {})
    if counts:
        varying = [label for label, c in counts.items() if not c["constant"]]
        check(
            "check-in queries per step fixed",
            "varies: " + ", ".join(varying) if varying else "fixed",
            "fixed",
            not varying,
        )
    page = results.get("check_in_intake_page")
    if page:
        check(
            "intake page queries, 12 check-ins as 1",
            ", ".join(f"{label}: {c['queries']}" for label, c in page["pages"].items()),
            "the same",
            page["fixed"],
        )


def _no_queries(label):
    return ""


def _step_rows(load, order, queries):
    """A row per page of a patients' load (journeys or check-ins), in the pages' order:
    its rate, latencies, errors and queries (`queries(label)`)."""
    return [
        (
            f"  {label}",
            "",
            f"{r['requests'] / load['seconds']:.1f}",
            f"{r['p50_ms']:.1f}",
            f"{r['p95_ms']:.1f}",
            f"{r['p99_ms']:.1f}",
            str(r["errors"]),
            queries(label),
            "",
            "",
        )
        for label, r in sorted(load["by_request"].items(), key=order)
        if r.get("requests")
    ]


def table(results):
    rows = [
        (
            "scenario",
            "clients",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "errors",
            "queries/req",
            "app CPU ms/req",
            "other CPU",
        )
    ]

    def q(scenario, label=None):
        counts = results.get("queries", {}).get(scenario, {})
        if label is not None:
            counts = {label: counts[label]} if label in counts else {}
        values = sorted({str(c["queries"]) for c in counts.values()})
        return ", ".join(values) if values else "-"

    def row(name, r, queries):
        rows.append(
            (
                name,
                str(r.get("clients", r.get("patients", ""))),
                f"{r['requests_per_second']:.1f}",
                f"{r['p50_ms']:.1f}",
                f"{r['p95_ms']:.1f}",
                f"{r['p99_ms']:.1f}",
                str(r["errors"]),
                queries,
                _app_cpu_ms(r),
                f"{r['cpu']['other_cores']:.2f}" if r.get("cpu") else "",
            )
        )

    reading = results.get("reading")
    if reading:
        row("GET /healthz", reading["healthz"], q("healthz"))
        row("GET article (cached)", reading["article"], q("article"))
        row("GET article in Spanish (cached)", reading["article_es"], q("article_es"))
        row("GET /learn/ index", reading["index"], q("index"))
    if results.get("search"):
        row("GET /learn/search/?q=", results["search"], q("search"))
    clinician = results.get("clinician", {})
    if clinician.get("queue"):
        row("worklist (admin review queue)", clinician["queue"], q("queue"))
    if clinician.get("intake_page"):
        row("admin intake page", clinician["intake_page"], q("intake_page"))
    for key, think, what in JOURNEYS:
        journey = results.get(key)
        if not journey:
            continue
        row(
            f"intake journey, {what}: {journey['completed_per_minute']:.0f} intakes/min",
            {**journey, "clients": journey["patients"]},
            "",
        )
        # Queries were counted for the paced journey only.
        queries = functools.partial(q, "journey") if think else _no_queries
        rows += _step_rows(journey, _step_order, queries)
    sent = results.get("check_ins")
    if sent:
        row(
            f"check-ins, 1 s think time: {sent['completed_per_minute']:.0f} sent/min",
            {**sent, "clients": sent["patients"]},
            "",
        )
        rows += _step_rows(sent, _check_in_order, lambda label: q("check_in", label))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, r in enumerate(rows):
        lines.append(
            "  ".join(
                c.ljust(w) if j == 0 else c.rjust(w)
                for j, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# The journey's pages in order (intake/journey/steps.py): one question a page after the
# medicines; a page that does not apply to the answers given is skipped.
STEP_ORDER = ["start", "about-you", "medicines", "opioid-use", "time-on-opioids"]
STEP_ORDER += ["time-since-stopped", "dose-change", "dose-change-weeks", "dose-changes"]
STEP_ORDER += ["dose-down", "between-doses", "pain-map", "pain-map-start", "pain-details"]
STEP_ORDER += ["pain-at-start", "pain-past-week", "new-pain", "new-injury", "other-questions"]
STEP_ORDER += ["oud", "check", "done"]


def _step_order(item):
    label = item[0]
    step = label.split(" ")[0]
    return (STEP_ORDER.index(step) if step in STEP_ORDER else 99, "POST" in label, label)


def _app_cpu_ms(r):
    """The app server's CPU per request over the scenario: what the page costs, which the
    machine's other work disturbs less than the latencies."""
    if r.get("app_cpu_ms_per_request") is not None:
        return f"{r['app_cpu_ms_per_request']:.2f}"
    if r.get("cpu") and r.get("requests_per_second"):
        return f"{r['cpu']['app_cores'] / r['requests_per_second'] * 1000:.2f}"
    return ""


CHECK_IN_ORDER = ["link", "start", "pain", "peg", "doses", "withdrawal", "anything-new"]
CHECK_IN_ORDER += ["check", "done"]


def _check_in_order(item):
    label = item[0]
    step = label.split(" ")[0]
    place = CHECK_IN_ORDER.index(step) if step in CHECK_IN_ORDER else 99
    return (place, "POST" in label, label)


def slowest(results, fixtures):
    """The request kind with the highest p95 of the HTTP scenarios, as a profile target."""
    candidates = []
    reading = results.get("reading", {})
    for name in ("article", "article_es", "index"):
        if name in reading:
            candidates.append(
                (
                    reading[name]["p95_ms"],
                    {"kind": "get", "label": f"GET {name}", "paths": reading[name]["paths_all"]},
                )
            )
    if results.get("search"):
        candidates.append(
            (
                results["search"]["p95_ms"],
                {"kind": "get", "label": "GET search", "paths": fixtures["search_paths"]},
            )
        )
    for key, paths in (
        ("queue", fixtures["queue_paths"]),
        ("intake_page", fixtures["intake_paths"]),
    ):
        page = results.get("clinician", {}).get(key)
        if page:
            candidates.append(
                (
                    page["p95_ms"],
                    {"kind": "get", "label": f"GET {key}", "paths": paths[:30], "staff": True},
                )
            )
    # The paced journey: its latencies are service times, not queueing behind 32 clicks at once.
    for label, r in results.get("journey_paced", {}).get("by_request", {}).items():
        if r.get("p95_ms") is not None:
            candidates.append((r["p95_ms"], {"kind": "journey", "label": label}))
    if not candidates:
        return None
    p95, target = max(candidates, key=lambda c: c[0])
    return {**target, "p95_ms": p95}


def profile_text(profile):
    lines = [
        f"Profile of {profile['target']} (p95 {profile['p95_ms']} ms under load)",
        f"{profile['requests_profiled']} requests profiled in process, median "
        f"{profile['median_ms_in_process_profiled']} ms under cProfile",
        "",
        "SQL of one request:",
    ]
    lines += [f"  {q['ms']:7.2f} ms  {q['sql']}" for q in profile["queries"]]
    if profile.get("explain_slowest"):
        lines += ["", "EXPLAIN ANALYZE of the slowest query:", profile["explain_slowest"]["plan"]]
    lines += ["", profile["cprofile"]]
    return "\n".join(lines)


def shortened_rescreen_report(lines, rows=20):
    """The rescreen report with the first `rows` rows of its table from old to new (the
    whole of it is in results.json and bench/.work/rescreen-dry-run.txt)."""
    totals = next(
        (
            i
            for i, line in enumerate(lines)
            if re.match(r"^  (same level and alerts|\S+ -> \S+: \d+$)", line)
        ),
        len(lines),
    )
    table = lines[1:totals]
    if len(table) <= rows + 1:
        return lines
    left = len(table) - rows - 1
    return [
        lines[0],
        *table[: rows + 1],
        f"  ... {left} more rows (bench/.work/rescreen-dry-run.txt)",
        *lines[totals:],
    ]


def print_summary(results, results_path):
    """The table, the screening figures and the goals, as `make bench` prints them."""
    print()
    print(table(results))
    print()
    screening = results.get("screening", {})
    if screening.get("pure"):
        print(f"screen(): {screening['pure']['docs_per_second']:,} documents/s on one core")
    command = screening.get("command", {})
    for way in ("default", "jsonl", "jsonl, 2 workers"):
        if way in command:
            r = command[way]
            print(
                f"manage.py screen ({way}), {command['documents']:,} documents end to end: "
                f"{r['docs_per_second']:,} documents/s (median of {r['seconds']} s)"
            )
    page = results.get("check_in_intake_page")
    if page:
        shown = ", ".join(f"{label}: {c['queries']}" for label, c in page["pages"].items())
        print(f"intake page queries with check-ins: {shown}")
    for key in ("rescreen_dry_run", "rescreen_apply"):
        r = screening.get(key)
        if not r:
            continue
        if r.get("skipped"):
            text = r["skipped"]
        elif r.get("stopped_after_seconds"):
            text = (
                f"stopped after {r['stopped_after_seconds']} s at {r['examined_before_stop']} of "
                f"{r['to_examine']} ({r['intakes_per_second']}/s): projected "
                f"{r['projected_seconds']} s for all; RSS MB {r['rss_mb']}"
            )
        else:
            text = (
                f"{r.get('seconds')} s, {r.get('examined')} examined, {r.get('changed')} "
                f"changed ({r.get('intakes_per_second')}/s), RSS MB {r.get('rss_mb')}"
            )
        print(f"{key.replace('_', ' ')}: {text}")
    dry_run = screening.get("rescreen_dry_run", {})
    if dry_run.get("output"):
        print("\nmanage.py rescreen (dry run) on the bench database:")
        print("\n".join(shortened_rescreen_report(dry_run["output"])))
    print()
    for goal in results["goals"]:
        print(
            f"{'MET ' if goal['met'] else 'MISS'}  {goal['goal']}: {goal['value']}"
            f"{(' ' + goal['unit']) if goal['unit'] else ''} (goal {goal['target']})"
        )
    print(f"\nWrote {results_path.relative_to(ROOT)} in {time.monotonic() - T0:.0f} s.")
