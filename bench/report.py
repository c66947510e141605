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
PAGE_ORDER = ["link", "start", "about-you", "medicines", "opioid-use", "time-on-opioids"]
PAGE_ORDER += ["time-since-stopped", "dose-change", "dose-change-weeks", "dose-changes"]
PAGE_ORDER += ["dose-down", "between-doses", "pain-map", "pain-map-start", "pain-details"]
PAGE_ORDER += ["pain-at-start", "pain-past-week", "new-pain", "new-injury", "other-questions"]
PAGE_ORDER += ["oud", "pain", "peg", "doses", "withdrawal", "anything-new", "check", "done"]


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
    """[{goal, value, target, met}]: the goals of issues 5, 10, 14 and 16."""
    checks = []

    def check(goal, value, target, met):
        checks.append({"goal": goal, "value": value, "target": target, "met": bool(met)})

    def fixed(name, counts):
        varying = [label for label, c in counts.items() if not c["constant"]]
        check(name, "varies: " + ", ".join(varying) if varying else "fixed", "fixed", not varying)

    reading = results.get("reading", {})
    for page, least in (("article", 0.9), ("article_es", 0.9), ("index", 0.8)):
        if f"{page}_ratio" in reading:
            ratio = reading[f"{page}_ratio"]
            check(f"{page}/healthz req/s", ratio, f">= {least}", ratio >= least)
    if search := results.get("search"):
        check(
            "search p95 ms, 16 clients",
            search["p95_ms"],
            "< 50",
            search["p95_ms"] < 50 and not search["errors"],
        )
    loads = [
        (f"journey, think {results[k]['think_seconds']:g} s", results[k])
        for k in ("journey", "journey_paced")
        if k in results
    ]
    if "check_ins" in results:
        loads.append(("check-in", results["check_ins"]))
    for name, load in loads:
        worst, r = max(load["by_request"].items(), key=lambda kv: kv[1].get("p95_ms") or 0)
        limit = 150 if name == "check-in" else 100
        if name == "check-in":  # issue 16: the check-in's submit
            worst, r = "check POST (submit)", load["by_request"].get("check POST (submit)", {})
        p95 = r.get("p95_ms") or 1e9
        check(
            f"{name} p95 ms, {load['patients']} patients (worst: {worst})",
            p95,
            f"< {limit}",
            p95 < limit,
        )
        check(f"{name} errors", load["errors"], "0", load["errors"] == 0)
    queries = results.get("queries", {})
    for scenario in ("journey", "check_in"):
        if scenario in queries:
            fixed(f"{scenario} queries per step fixed", queries[scenario])
    if page := results.get("check_in_intake_page"):
        shown = ", ".join(f"{label}: {c['queries']}" for label, c in page["pages"].items())
        check("intake page queries, 12 check-ins as 1", shown, "the same", page["fixed"])
    for key, label in (("queue", "worklist"), ("intake_page", "intake page")):
        if page := results.get("clinician", {}).get(key):
            check(
                f"{label} p95 ms (100k intakes)",
                page["p95_ms"],
                "< 300",
                page["p95_ms"] < 300 and not page["errors"],
            )
            counts = {str(c["queries"]) for c in queries.get(key, {}).values()}
            constant = len(counts) == 1 and all(c["constant"] for c in queries[key].values())
            check(f"{label} queries constant", sorted(counts), "same on every page", constant)
    screening = results.get("screening", {})
    if pure := screening.get("pure"):
        check(
            "screen() documents/s, one core",
            pure["docs_per_second"],
            ">= 5,000",
            pure["docs_per_second"] >= 5000,
        )
    for way in ("default", "jsonl"):
        if r := screening.get("command", {}).get(way):
            check(
                f"manage.py screen, 10,000 documents ({way}) /s",
                r["docs_per_second"],
                ">= 5,000",
                r["docs_per_second"] >= 5000,
            )
    if applied := screening.get("rescreen_apply"):
        seconds = (
            applied.get("seconds") if "output" in applied else applied.get("projected_seconds")
        )
        check(
            "rescreen --apply s, 100k intakes"
            + (" (projected)" if "output" not in applied else ""),
            seconds,
            "< 60",
            seconds and seconds < 60,
        )
        if rss := applied.get("rss_mb"):
            growth = round(rss["at_90pct"] - rss["at_10pct"], 1)
            check("rescreen --apply RSS growth MB, 10% -> 90%", growth, "< 50", growth < 50)
    return checks


def table(results):
    """One row a scenario, one a patients' page under the journeys and check-ins."""
    queries = results.get("queries", {})
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
        counts = queries.get(scenario, {})
        shown = {str(c["queries"]) for name, c in counts.items() if label in (None, name)}
        return ", ".join(sorted(shown)) or "-"

    def row(name, r, counted="", clients=""):
        cpu = r.get("app_cpu_ms_per_request")
        rate = r.get("requests_per_second") or r["requests"] / r["seconds"]
        rows.append(
            (name, str(clients), f"{rate:.1f}")
            + tuple(
                f"{r[k]:.1f}" if r.get(k) is not None else "-"
                for k in ("p50_ms", "p95_ms", "p99_ms")
            )
            + (str(r["errors"]), counted, f"{cpu:.2f}" if cpu is not None else "")
            + (f"{r['cpu']['other_cores']:.2f}" if r.get("cpu") else "",)
        )

    reading = results.get("reading", {})
    for key, name in (
        ("healthz", "GET /healthz"),
        ("article", "GET article (cached)"),
        ("article_es", "GET article in Spanish (cached)"),
        ("index", "GET /learn/ index"),
    ):
        if key in reading:
            row(name, reading[key], q(key), reading[key]["clients"])
    if search := results.get("search"):
        row("GET /learn/search/?q=", search, q("search"), search["clients"])
    for key, name in (
        ("queue", "worklist (admin review queue)"),
        ("intake_page", "admin intake page"),
    ):
        if page := results.get("clinician", {}).get(key):
            row(name, page, q(key), page["clients"])
    for key, name, counted in (
        ("journey", "intake journey", None),
        ("journey_paced", "intake journey", "journey"),
        ("check_ins", "check-ins", "check_in"),
    ):
        if not (load := results.get(key)):
            continue
        rate = (
            f"{load['completed_per_minute']:.0f} {'sent' if key == 'check_ins' else 'intakes'}/min"
        )
        row(f"{name}, {load['think_seconds']:g} s think time: {rate}", load, "", load["patients"])
        for label, r in sorted(load["by_request"].items(), key=page_order):
            if r.get("requests"):  # queries were counted for the paced journey's answers
                row(
                    f"  {label}",
                    {**r, "seconds": load["seconds"]},
                    q(counted, label) if counted else "",
                )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def page_order(item):
    label = item[0]
    page = label.split(" ")[0]
    return (PAGE_ORDER.index(page) if page in PAGE_ORDER else 99, "POST" in label, label)


def shortened(lines, rows=20):
    """The rescreen report with the first `rows` rows of its table from old to new (the whole
    of it is in results.json and bench/.work/rescreen-dry-run.txt)."""
    totals = next(
        (
            i
            for i, line in enumerate(lines)
            if re.match(r"^  (same level and alerts|\S+ -> \S+: \d+$)", line)
        ),
        len(lines),
    )
    if totals - 1 <= rows + 1:
        return lines
    more = f"  ... {totals - rows - 2} more rows (bench/.work/rescreen-dry-run.txt)"
    return [*lines[: rows + 2], more, *lines[totals:]]


def print_summary(results, path):
    print(f"\n{table(results)}\n")
    screening = results.get("screening", {})
    if pure := screening.get("pure"):
        print(
            f"screen(): {pure['docs_per_second']:,} documents/s on one core ({pure['docs_per_cpu_second']:,} per CPU-second)"
        )
    for way, r in screening.get("command", {}).items():
        if way != "documents":
            print(
                f"manage.py screen ({way}), 10,000 documents end to end: {r['docs_per_second']:,} documents/s (median of {r['seconds']} s)"
            )
    for key in ("rescreen_dry_run", "rescreen_apply"):
        if r := screening.get(key):
            if "output" in r:
                text = f"{r['seconds']} s, {r['examined']} examined, {r['changed']} changed ({r['intakes_per_second']}/s)"
            elif "failed" in r:
                text = f"failed: {r['failed'][-300:]}"
            else:
                text = f"stopped after {r['stopped_after_seconds']} s at {r['examined_before_stop']} of {r['to_examine']}: projected {r['projected_seconds']} s"
            print(f"{key.replace('_', ' ')}: {text}, RSS MB {r.get('rss_mb')}")
    if output := screening.get("rescreen_dry_run", {}).get("output"):
        print(
            "\nmanage.py rescreen (dry run) on the bench database:\n" + "\n".join(shortened(output))
        )
    if results.get("server_errors"):
        print("\nThe server's log has errors: bench/.work/gunicorn.log")
    print()
    for goal in results["goals"]:
        print(
            f"{'MET ' if goal['met'] else 'MISS'}  {goal['goal']}: {goal['value']} (goal {goal['target']})"
        )
    print(f"\nWrote {path.relative_to(ROOT)} in {time.monotonic() - T0:.0f} s.")
