"""The bench's report, from the results alone: the machine, the goals met or missed, the table."""

import os
import platform
import re
import subprocess
import time
from pathlib import Path

import psutil

from bench import ROOT, T0

# The journey's and the check-in's pages in order (intake/journey/steps.py, the check-in's
# views); a page that does not apply to the answers given is skipped.
PAGE_ORDER = (  # noqa: SIM905
    "link start about-you medicines opioid-use time-on-opioids time-since-stopped dose-change "
    "dose-change-weeks dose-changes dose-down between-doses pain-map pain-map-start pain-details "
    "pain-at-start pain-past-week new-pain new-injury other-questions oud pain peg doses "
    "withdrawal anything-new check done"
).split()
COLUMNS = "scenario|clients|req/s|p50 ms|p95 ms|p99 ms|errors|queries/req|app CPU ms/req|other CPU"
READING_ROWS = {"healthz": "GET /healthz", "article": "GET article (cached)"}
READING_ROWS |= {"article_es": "GET article in Spanish (cached)", "index": "GET /learn/ index"}
CLINICIAN_ROWS = {"queue": "worklist (admin review queue)", "intake_page": "admin intake page"}
# (results key, name, the in-process counts of its pages): queries were counted for the
# paced journey's answers and the check-ins'.
LOAD_ROWS = [("journey", "intake journey", None), ("journey_paced", "intake journey", "journey")]
LOAD_ROWS += [("check_ins", "check-ins", "check_in")]


def machine(server_workers, given_url):
    from django.db import connection

    with connection.cursor() as cursor:
        settings = {}
        for name in ("server_version", "shared_buffers", "synchronous_commit"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    cpu = re.search(r"model name\s*: (.*)", Path("/proc/cpuinfo").read_text())
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()
    return {
        "cpu": cpu.group(1) if cpu else "unknown",
        "cores": len(os.sched_getaffinity(0)),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": settings,
        "database": "DATABASE_URL as given" if given_url else "embedded (pgserver), unix socket",
        "gunicorn_workers": server_workers,
        "wrk": wrk[0].strip() if wrk else "",
    }


def goals(results):
    """[{goal, value, target, met}]: the goals of issues 5, 10, 14 and 16, for what ran."""
    checks = []

    def check(goal, value, target, met=None):
        if met is None:  # a target "< n" or ">= n"
            limit = float(target.split()[-1].replace(",", ""))
            met = value is not None and (value < limit if "<" in target else value >= limit)
        checks.append({"goal": goal, "value": value, "target": target, "met": bool(met)})

    reading, queries = results.get("reading", {}), results.get("queries", {})
    for page, least in (("article", 0.9), ("article_es", 0.9), ("index", 0.8)):
        if page in reading:
            check(f"{page}/healthz req/s", reading[f"{page}_ratio"], f">= {least}")
    if search := results.get("search"):
        met = search["p95_ms"] < 50 and not search["errors"]
        check("search p95 ms, 16 clients", search["p95_ms"], "< 50", met)
    for key, name, _ in LOAD_ROWS:
        if load := results.get(key):
            label, worst = max(load["by_request"].items(), key=lambda kv: kv[1].get("p95_ms") or 0)
            if key == "check_ins":  # issue 16: the check-in's submit
                label, worst = "check POST (submit)", load["by_request"].get("check POST (submit)")
            limit = 150 if key == "check_ins" else 100
            where = f"{load['think_seconds']:g} s think time, {load['patients']} patients"
            check(
                f"{name} p95 ms, {where} (worst: {label})",
                (worst or {}).get("p95_ms"),
                f"< {limit}",
            )
            check(f"{name} errors, {where}", load["errors"], "< 1")
    for scenario in ("journey", "check_in"):
        if counts := queries.get(scenario):
            varying = [label for label, c in counts.items() if not c["constant"]]
            check(f"{scenario} queries per step fixed", varying or "fixed", "fixed", not varying)
    if page := results.get("check_in_intake_page"):
        shown = ", ".join(f"{label}: {c['queries']}" for label, c in page["pages"].items())
        check("intake page queries, 12 check-ins as 1", shown, "the same", page["fixed"])
    for key, name in CLINICIAN_ROWS.items():
        if page := results.get("clinician", {}).get(key):
            met = page["p95_ms"] < 300 and not page["errors"]
            check(f"{name} p95 ms (100k intakes)", page["p95_ms"], "< 300", met)
            counts = {str(c["queries"]) for c in queries.get(key, {}).values()}
            constant = len(counts) == 1 and all(c["constant"] for c in queries[key].values())
            check(f"{name} queries constant", sorted(counts), "same on every page", constant)
    screening = results.get("screening", {})
    if pure := screening.get("pure"):
        check("screen() documents/s, one core", pure["docs_per_second"], ">= 5,000")
    for way in ("default", "jsonl"):
        if r := screening.get("command", {}).get(way):
            check(
                f"manage.py screen ({way}), 10,000 documents /s", r["docs_per_second"], ">= 5,000"
            )
    if applied := screening.get("rescreen_apply"):
        measured = "output" in applied
        seconds = applied.get("seconds" if measured else "projected_seconds")
        check(
            f"rescreen --apply s, 100k intakes{'' if measured else ' (projected)'}", seconds, "< 60"
        )
        if rss := applied.get("rss_mb"):
            check(
                "rescreen --apply RSS growth MB, 10% -> 90%",
                round(rss["at_90pct"] - rss["at_10pct"], 1),
                "< 50",
            )
    return checks


def table(results):
    """One row a scenario, and one a page under the journeys and the check-ins."""
    queries = results.get("queries", {})
    rows = [COLUMNS.split("|")]

    def counted(scenario, label=None):
        shown = {
            str(c["queries"]) for k, c in queries.get(scenario, {}).items() if label in (None, k)
        }
        return ", ".join(sorted(shown)) or "-"

    def row(name, r, counts="", clients=""):
        rate = r.get("requests_per_second") or r["requests"] / r["seconds"]
        latency = [
            f"{r[k]:.1f}" if r.get(k) is not None else "-" for k in ("p50_ms", "p95_ms", "p99_ms")
        ]
        cpu = r.get("app_cpu_ms_per_request")
        other = f"{r['cpu']['other_cores']:.2f}" if r.get("cpu") else ""
        rows.append(
            [
                name,
                str(clients),
                f"{rate:.1f}",
                *latency,
                str(r["errors"]),
                counts,
                f"{cpu:.2f}" if cpu else "",
                other,
            ]
        )

    reading = results.get("reading", {})
    pages = [(reading.get(key), name, key) for key, name in READING_ROWS.items()]
    pages.append((results.get("search"), "GET /learn/search/?q=", "search"))
    pages += [(results.get("clinician", {}).get(k), name, k) for k, name in CLINICIAN_ROWS.items()]
    for r, name, key in pages:
        if r:
            row(name, r, counted(key), r["clients"])
    for key, name, counts in LOAD_ROWS:
        if load := results.get(key):
            rate = f"{load['completed_per_minute']:.0f} {'sent' if counts == 'check_in' else 'intakes'}/min"
            row(
                f"{name}, {load['think_seconds']:g} s think time: {rate}",
                load,
                "",
                load["patients"],
            )
            for label, r in sorted(load["by_request"].items(), key=page_order):
                if r.get("requests"):
                    shown = counted(counts, label) if counts else ""
                    row(f"  {label}", {**r, "seconds": load["seconds"]}, shown)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    rows.insert(1, ["-" * w for w in widths])
    return "\n".join(
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    )


def page_order(item):
    label = item[0]
    page = label.split(" ")[0]
    return (PAGE_ORDER.index(page) if page in PAGE_ORDER else 99, "POST" in label, label)


def shortened(lines, rows=20):
    """The rescreen report with the first `rows` rows of its table from old to new (the whole
    of it is in results.json and bench/.work/rescreen-dry-run.txt)."""
    totals = re.compile(r"^  (same level and alerts|\S+ -> \S+: \d+$)")
    end = next((i for i, line in enumerate(lines) if totals.match(line)), len(lines))
    if end - 1 <= rows + 1:
        return lines
    more = f"  ... {end - rows - 2} more rows (bench/.work/rescreen-dry-run.txt)"
    return [*lines[: rows + 2], more, *lines[end:]]


def print_summary(results, path):
    print(f"\n{table(results)}\n")
    screening = results.get("screening", {})
    if pure := screening.get("pure"):
        print(f"screen(): {pure['docs_per_second']:,} documents/s on one core")
    for way, r in screening.get("command", {}).items():
        if way != "documents":
            speed = f"{r['docs_per_second']:,} documents/s (median of {r['seconds']} s)"
            print(f"manage.py screen ({way}), 10,000 documents end to end: {speed}")
    for key in ("rescreen_dry_run", "rescreen_apply"):
        if r := screening.get(key):
            if "output" in r:
                text = f"{r['seconds']} s, {r['examined']} examined, {r['changed']} changed"
            else:
                stopped = f"stopped after {r.get('stopped_after_seconds')} s, projected"
                text = r.get("failed", f"{stopped} {r.get('projected_seconds')} s")[-300:]
            print(f"{key.replace('_', ' ')}: {text}, RSS MB {r.get('rss_mb')}")
    if output := screening.get("rescreen_dry_run", {}).get("output"):
        print("\nmanage.py rescreen (dry run) on the bench database:")
        print("\n".join(shortened(output)))
    if results.get("server_errors"):
        print("\nThe server's log has errors: bench/.work/gunicorn.log")
    print()
    for goal in results["goals"]:
        met = "MET " if goal["met"] else "MISS"
        print(f"{met}  {goal['goal']}: {goal['value']} (goal {goal['target']})")
    print(f"\nWrote {path.relative_to(ROOT)} in {time.monotonic() - T0:.0f} s.")
