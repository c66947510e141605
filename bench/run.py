"""`make bench`: the site under load as it is deployed, on this machine.

Starts gunicorn (sync workers, (2 x cores) + 1 of them, DJANGO_DEBUG=0, plain http on
127.0.0.1) against a database of its own (`oih_bench` on the embedded PostgreSQL unless
DATABASE_URL is set) holding 100,000 seeded intakes, drives it with wrk and with simulated
patients (bench/loadgen.py), and prints a table and writes bench/results.json: requests a
second, p50/p95/p99 latency, errors and database queries per request for each scenario,
against the goals of issue 5. Every load loop is bounded in time and count; all traffic goes
to 127.0.0.1.

    .venv/bin/python bench/run.py [--quick] [--only reading,search,journey,clinician,screening]
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import environment  # noqa: E402
from bench.seed import STEP_SLUGS  # noqa: E402

ROOT, WORK, BENCH = environment.ROOT, environment.WORK_DIR, environment.BENCH_DIR
RESULTS = BENCH / "results.json"
SCENARIOS = ("reading", "search", "journey", "clinician", "screening")
WRK_THREADS = 2
READING_CLIENTS = 16
SEARCH_CLIENTS = 16
PATIENTS = 32
# The journey twice: patients who click on at once (the server's capacity, latency mostly
# queueing), and patients who spend about a second on each page (latency mostly service time;
# a real patient spends 20 s or more, so each stands for 20 or more real ones).
JOURNEYS = [("journey", 0.0, "no think time"), ("journey_paced", 1.0, "1 s think time")]
CLINICIANS = 4
SEARCH_TERMS = [
    "tolerance",
    "withdrawal symptoms",
    "opioid dose",
    "pain gets worse",
    "hyperalgesia treatment",
    "taper",
    "burning pain",
    "addiction or dependence",
]
GOALS = {
    "reading_ratio": 0.8,
    "search_p95_ms": 50,
    "journey_step_p95_ms": 100,
    "clinician_p95_ms": 300,
    "screen_docs_per_second": 5000,
    "rescreen_seconds": 60,
}
T0 = time.monotonic()


def log(message):
    print(f"[{time.monotonic() - T0:6.1f}s] {message}", flush=True)


# Preparing -------------------------------------------------------------------------------


def manage(env, *args, timeout=600):
    done = subprocess.run(
        [environment.PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return done.stdout


def fixtures(rng):
    """The paths each scenario requests, and the seeded patients who come back."""
    from django.db.models import Count

    from education.models import Article
    from intake.models import Intake, Patient

    slugs = list(Article.objects.published().values_list("slug", flat=True))
    if not slugs:
        raise SystemExit("No published articles: load_content did not run?")
    seeded = Intake.objects.submitted().order_by("pk").values_list("pk", flat=True)
    first, last = seeded.first(), seeded.last()
    intake_ids = sorted(rng.sample(range(first, last + 1), 400))
    existing = set(
        Intake.objects.submitted().filter(pk__in=intake_ids).values_list("pk", flat=True)
    )
    intake_paths = [f"/admin/intake/intake/{pk}/change/" for pk in intake_ids if pk in existing]
    many = Patient.objects.annotate(n=Count("intakes")).filter(n=3).order_by("pk").first()
    busiest = (
        Intake.objects.submitted()
        .filter(patient=many)
        .annotate(m=Count("medicines"))
        .order_by("-submitted_at")
        .first()
    )
    single = (
        Intake.objects.submitted()
        .annotate(m=Count("medicines"), v=Count("patient__intakes"))
        .filter(m=1, v=1)
        .order_by("pk")
        .first()
    )
    flagged = (
        Intake.objects.submitted()
        .filter(screenings__is_current=True, screenings__level="flag")
        .order_by("pk")
        .first()
    )
    variants = [
        ("1 visit, 1 medicine", single),
        (f"3 visits, {busiest.m if busiest else '?'} medicines", busiest),
        ("a flag", flagged),
    ]
    returning = [
        {"full_name": name, "date_of_birth": born.isoformat()}
        for name, born in Patient.objects.exclude(full_name="")
        .filter(date_of_birth__isnull=False)
        .order_by("?")[:500]
        .values_list("full_name", "date_of_birth")
    ]
    queue = "/admin/intake/screening/"
    from intake.review.dashboard import raised_screenings

    middle_page = max(1, raised_screenings().count() // 50 // 2)
    return {
        "article_paths": [f"/learn/{slug}/" for slug in slugs],
        "search_paths": [
            "/learn/search/?" + urllib.parse.urlencode({"q": term}) for term in SEARCH_TERMS
        ],
        "queue_paths": [queue],
        "queue_variants": [
            queue,
            f"{queue}?p={middle_page}",
            f"{queue}?level=flag",
            f"{queue}?review=unreviewed",
        ],
        "intake_paths": intake_paths,
        "intake_page_variants": [
            (name, f"/admin/intake/intake/{intake.pk}/change/")
            for name, intake in variants
            if intake
        ],
        "returning": returning,
    }


def write_lines(name, lines):
    path = WORK / name
    path.write_text("\n".join(lines) + "\n")
    return path


# Measuring ---------------------------------------------------------------------------------


class CpuMeter:
    """CPU used during a scenario by the client, the app server, the database and the
    machine as a whole (with steal time, which a shared machine loses to its neighbours)."""

    def __init__(self, server_pid):
        self.server_pid = server_pid

    def _snapshot(self):
        import psutil

        def cpu(proc):
            try:
                t = proc.cpu_times()
                return t.user + t.system
            except psutil.Error:
                return 0.0

        app = {}
        try:
            master = psutil.Process(self.server_pid)
            for proc in [master, *master.children(recursive=True)]:
                app[proc.pid] = cpu(proc)
        except psutil.Error:
            pass
        db = {}
        for proc in psutil.process_iter(["name", "cmdline"]):
            cmdline = " ".join(proc.info.get("cmdline") or [])
            if "postgres" in (proc.info.get("name") or "") and environment.DATABASE_NAME in cmdline:
                db[proc.pid] = cpu(proc)
        machine = psutil.cpu_times()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "time": time.monotonic(),
            "app": app,
            "db": db,
            "machine": machine,
            "client": children.ru_utime + children.ru_stime,
        }

    def __enter__(self):
        self.start = self._snapshot()
        return self

    def __exit__(self, *exc):
        end = self._snapshot()
        wall = end["time"] - self.start["time"]

        def delta(group):
            return sum(v - self.start[group].get(pid, 0.0) for pid, v in end[group].items())

        m0, m1 = self.start["machine"], end["machine"]
        total = sum(m1) - sum(m0)
        idle = (m1.idle - m0.idle) + (getattr(m1, "iowait", 0) - getattr(m0, "iowait", 0))
        steal = getattr(m1, "steal", 0) - getattr(m0, "steal", 0)
        cores = os.cpu_count() or 1
        busy = (total - idle - steal) / total * cores if total else 0.0
        ours = (end["client"] - self.start["client"] + delta("app") + delta("db")) / wall
        self.result = {
            "client_cores": round((end["client"] - self.start["client"]) / wall, 2),
            "app_cores": round(delta("app") / wall, 2),
            "db_cores": round(delta("db") / wall, 2),
            "machine_busy_cores": round((total - idle - steal) / total * cores, 2)
            if total
            else None,
            "steal_share": round(steal / total, 3) if total else None,
            # Whatever else ran on the machine meanwhile (other users' work on a shared box).
            "other_cores": round(max(0.0, busy - ours), 2),
        }
        return False


class Server:
    """gunicorn, started and stopped by its own pid."""

    def __init__(self, env, workers=None):
        with socket.socket() as probe:
            probe.bind((environment.HOST, 0))
            self.port = probe.getsockname()[1]
        self.env = {**os.environ, **env, "BENCH_PORT": str(self.port)}
        if workers:
            self.env["BENCH_WORKERS"] = str(workers)
        self.base = f"http://{environment.HOST}:{self.port}"
        self.log_path = WORK / "gunicorn.log"
        self.process = None

    def start(self):
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [environment.PYTHON, "-m", "gunicorn", "-c", str(BENCH / "gunicorn.conf.py")],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def workers(self):
        import psutil

        return len(psutil.Process(self.process.pid).children())

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.log_file.close()

    def error_lines(self):
        if not self.log_path.exists():
            return []
        return [
            line.rstrip()
            for line in self.log_path.read_text(errors="replace").splitlines()
            if "Traceback" in line or "ERROR" in line or "CRITICAL" in line
        ][:20]


def get(url, cookies=None):
    request = urllib.request.Request(url, headers={"Cookie": cookies} if cookies else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def wrk(server, name, paths, clients, seconds, cookie=None):
    """One wrk run over `paths` (taken in turn); its figures, with CPU use by each side."""
    for path in paths[:3]:
        status = get(server.base + path, cookie)
        if status != 200:
            raise SystemExit(f"{name}: {path} answered {status} before the run (expected 200)")
    env = {**os.environ, "BENCH_PATHS": "", "BENCH_COOKIE": cookie or ""}
    if len(paths) > 1:
        env["BENCH_PATHS"] = str(write_lines(f"paths-{name}.txt", paths))
    command = [
        shutil.which("wrk") or "/usr/bin/wrk",
        f"-t{min(WRK_THREADS, clients)}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / "wrk.lua"),
        server.base + paths[0],
    ]
    with CpuMeter(server.process.pid) as meter:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=seconds + 60
        )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed for {name}:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    errors = raw["errors"]
    seconds_run = raw["duration_us"] / 1e6
    result = {
        "clients": clients,
        "seconds": round(seconds_run, 1),
        "requests": raw["requests"],
        "requests_per_second": round(raw["requests"] / seconds_run, 1),
        "p50_ms": raw["latency_us"]["p50"] / 1000,
        "p95_ms": raw["latency_us"]["p95"] / 1000,
        "p99_ms": raw["latency_us"]["p99"] / 1000,
        "max_ms": raw["latency_us"]["max"] / 1000,
        "errors": errors["connect"]
        + errors["read"]
        + errors["write"]
        + errors["timeout"]
        + max(errors["status"], errors["not_200"]),
        "error_detail": errors,
        "paths": paths if len(paths) <= 10 else paths[:3] + [f"... {len(paths)} paths in turn"],
        "cpu": meter.result,
    }
    log(
        f"  {name:<12} {result['requests_per_second']:8.1f} req/s  p50 {result['p50_ms']:.1f}  "
        f"p95 {result['p95_ms']:.1f}  p99 {result['p99_ms']:.1f} ms  errors {result['errors']}  "
        f"(client {meter.result['client_cores']} cores, app {meter.result['app_cores']}, "
        f"db {meter.result['db_cores']}, other {meter.result['other_cores']})"
    )
    return result


def wrk_rounds(server, pages, clients, seconds, rounds=3):
    """The pages in turn, `rounds` times over, so that noise from the machine's other work
    falls on each page alike; req/s over all rounds, percentiles the median of the rounds."""
    runs = {name: [] for name, _ in pages}
    for _ in range(rounds):
        for name, paths in pages:
            runs[name].append(wrk(server, name, paths, clients, max(1, round(seconds / rounds))))
    merged = {}
    for name, results in runs.items():
        total = sum(r["requests"] for r in results)
        wall = sum(r["seconds"] for r in results)

        def median(key, results=results):
            return sorted(r[key] for r in results)[len(results) // 2]

        merged[name] = {
            **results[0],
            "seconds": round(wall, 1),
            "requests": total,
            "requests_per_second": round(total / wall, 1),
            "p50_ms": median("p50_ms"),
            "p95_ms": median("p95_ms"),
            "p99_ms": median("p99_ms"),
            "max_ms": max(r["max_ms"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "rounds_requests_per_second": [r["requests_per_second"] for r in results],
            "cpu": {
                key: round(sum(r["cpu"][key] or 0 for r in results) / len(results), 3)
                for key in results[0]["cpu"]
            },
        }
    return merged


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
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
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
    connection.close()
    output = process.stdout.read()
    seconds = time.monotonic() - started
    result = {"apply": apply, "to_examine": to_examine, "rss_mb": _rss_summary(samples)}
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
        }
    )
    log(
        f"  rescreen{' --apply' if apply else ''}: {seconds:.1f} s, {examined} examined, "
        f"{changed} changed, RSS {result['rss_mb']}"
    )
    return result


def _rss_summary(samples):
    if not samples:
        return {}
    values = [v for _, v in samples]
    n = len(values)
    return {
        "at_10pct": round(values[n // 10], 1),
        "at_50pct": round(values[n // 2], 1),
        "at_90pct": round(values[min(n - 1, n * 9 // 10)], 1),
        "peak": round(max(values), 1),
        "samples": n,
    }


# Reporting ---------------------------------------------------------------------------------


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
        for page in ("article", "index"):
            ratio = reading[f"{page}_ratio"]
            check(f"{page}/healthz req/s", ratio, ">= 0.8", ratio >= GOALS["reading_ratio"])
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
    for key, label in (("queue", "review queue"), ("intake_page", "intake page")):
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
                f"{r['cpu']['other_cores']:.2f}" if r.get("cpu") else "",
            )
        )

    reading = results.get("reading")
    if reading:
        row("GET /healthz", reading["healthz"], q("healthz"))
        row("GET article (cached)", reading["article"], q("article"))
        row("GET /learn/ index", reading["index"], q("index"))
    if results.get("search"):
        row("GET /learn/search/?q=", results["search"], q("search"))
    clinician = results.get("clinician", {})
    if clinician.get("queue"):
        row("admin review queue", clinician["queue"], q("queue"))
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
        for label, r in sorted(journey["by_request"].items(), key=_step_order):
            if r.get("requests"):
                rows.append(
                    (
                        f"  {label}",
                        "",
                        f"{r['requests'] / journey['seconds']:.1f}",
                        f"{r['p50_ms']:.1f}",
                        f"{r['p95_ms']:.1f}",
                        f"{r['p99_ms']:.1f}",
                        str(r["errors"]),
                        q("journey", label) if think else "",
                        "",
                    )
                )
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


STEP_ORDER = ["start", *STEP_SLUGS, "check", "done"]


def _step_order(item):
    label = item[0]
    step = label.split(" ")[0]
    return (STEP_ORDER.index(step) if step in STEP_ORDER else 99, "POST" in label, label)


def slowest(results, fixtures):
    """The request kind with the highest p95 of the HTTP scenarios, as a profile target."""
    candidates = []
    reading = results.get("reading", {})
    for name in ("article", "index"):
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


def _stop(signum, frame):
    raise SystemExit(128 + signum)  # so that `finally` stops gunicorn


def main(argv=None):
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 s per scenario: a trial run")
    parser.add_argument("--seconds", type=float, help="seconds per wrk scenario (default 15)")
    parser.add_argument("--only", help=f"comma-separated, of: {', '.join(SCENARIOS)}")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default (2 x cores) + 1)")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else set(SCENARIOS)
    if only - set(SCENARIOS):
        parser.error(f"unknown scenario(s): {', '.join(only - set(SCENARIOS))}")
    seconds = args.seconds or (5 if args.quick else 15)
    journey_seconds = 10 if args.quick else 30

    given_url = bool(os.environ.get("DATABASE_URL"))
    log("preparing: environment, database, migrate, collectstatic, load_content")
    env = environment.apply()
    shutil.rmtree(WORK / "cache", ignore_errors=True)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_content")

    import django

    django.setup()
    from django.db import connections

    from bench import inprocess, seed, staff

    log("seed")
    seed_info = seed.ensure_seeded(lambda m: log(m))
    rng = random.Random(7)
    paths = fixtures(rng)
    cookies, _ = staff.staff_session()
    cookie = staff.cookie_header(cookies)
    results = {
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seed": seed_info,
        "config": {
            "wrk_seconds": seconds,
            "journey_seconds": journey_seconds,
            "reading_clients": READING_CLIENTS,
            "search_clients": SEARCH_CLIENTS,
            "patients": PATIENTS,
            "clinicians": CLINICIANS,
        },
    }

    log("queries per request, in process (test client + CaptureQueriesContext)")
    results["queries"] = inprocess.query_counts(paths, cookies)
    for scenario, counts in results["queries"].items():
        shown = ", ".join(f"{label}: {c['queries']}" for label, c in counts.items())
        log(f"  {scenario}: {shown}")

    if "screening" in only:
        log("screening: the pure rules")
        results["screening"] = {"pure": screening_throughput(3 if args.quick else 5)}

    connections.close_all()
    server = Server(env, args.workers).start()
    results["machine"] = machine(server.workers(), given_url)
    log(f"gunicorn on {server.base}, {server.workers()} workers")
    try:
        # Warm every worker: imports, templates, connections, the page cache.
        for path in ["/healthz", "/learn/", *paths["article_paths"], *paths["search_paths"]] * 3:
            get(server.base + path)
        if "reading" in only:
            log(f"reading: {READING_CLIENTS} clients, {seconds:g} s each, in 3 interleaved rounds")
            pages = [
                ("healthz", ["/healthz"]),
                ("article", paths["article_paths"]),
                ("index", ["/learn/"]),
            ]
            merged = wrk_rounds(server, pages, READING_CLIENTS, seconds)
            healthz, article, index = merged["healthz"], merged["article"], merged["index"]
            results["reading"] = {
                "healthz": healthz,
                "article": article,
                "index": index,
                "article_ratio": round(
                    article["requests_per_second"] / healthz["requests_per_second"], 3
                ),
                "index_ratio": round(
                    index["requests_per_second"] / healthz["requests_per_second"], 3
                ),
                # Each round's own ratio: the rounds differ in how busy the rest of the machine was.
                "article_ratio_rounds": [
                    round(a / h, 3)
                    for a, h in zip(
                        article["rounds_requests_per_second"],
                        healthz["rounds_requests_per_second"],
                        strict=True,
                    )
                ],
                "index_ratio_rounds": [
                    round(i / h, 3)
                    for i, h in zip(
                        index["rounds_requests_per_second"],
                        healthz["rounds_requests_per_second"],
                        strict=True,
                    )
                ],
            }
            results["reading"]["article"]["paths_all"] = paths["article_paths"]
            results["reading"]["index"]["paths_all"] = ["/learn/"]
            log(
                f"  article/healthz {results['reading']['article_ratio']} "
                f"(rounds {results['reading']['article_ratio_rounds']}), "
                f"index/healthz {results['reading']['index_ratio']} "
                f"(rounds {results['reading']['index_ratio_rounds']})"
            )
        if "search" in only:
            log(f"search: {SEARCH_CLIENTS} clients")
            results["search"] = wrk(
                server, "search", paths["search_paths"], SEARCH_CLIENTS, seconds
            )
        if "clinician" in only:
            log(f"clinician: {CLINICIANS} clinicians signed in")
            for path in [*paths["queue_paths"], *paths["intake_paths"][:10]]:
                get(server.base + path, cookie)
            results["clinician"] = {
                "queue": wrk(server, "queue", paths["queue_paths"], CLINICIANS, seconds, cookie),
                "intake_page": wrk(
                    server, "intake_page", paths["intake_paths"], CLINICIANS, seconds, cookie
                ),
            }
        if "journey" in only:
            for key, think, what in JOURNEYS:
                log(f"journey: {PATIENTS} patients, {what}, {journey_seconds:g} s")
                results[key] = journey(server, paths, journey_seconds, think)
    finally:
        server.stop()
        results["server_errors"] = server.error_lines()
    if results["server_errors"]:
        log(f"server log has errors: see {server.log_path}")

    if "screening" in only:
        log("screening: manage.py rescreen over the stored intakes")
        timeout = 60 if args.quick else 120
        results["screening"]["rescreen_dry_run"] = rescreen(env, apply=False, timeout=timeout)
        results["screening"]["rescreen_apply"] = rescreen(env, apply=True, timeout=timeout)
        seed.reset_rescreens(lambda m: log(m))
        seed.compact(lambda m: log(m))  # before the profile: the reset leaves dead rows

    if not args.no_profile:
        target = slowest(results, paths)
        if target:
            log(f"profiling the slowest path: {target['label']} (p95 {target['p95_ms']} ms)")
            cookies, _ = staff.staff_session()  # staff sessions end after idle minutes
            results["profile"] = {
                "target": target["label"],
                "p95_ms": target["p95_ms"],
                **inprocess.profile(
                    target, paths, cookies, repeat=10 if target["p95_ms"] > 500 else 30
                ),
            }
            (WORK / "profile.txt").write_text(_profile_text(results["profile"]))
            log(f"  written to {WORK / 'profile.txt'}")
    seed.cleanup(lambda m: log(m))

    results["goals"] = goals(results)
    results["finished_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    print()
    print(table(results))
    print()
    screening = results.get("screening", {})
    if screening.get("pure"):
        print(f"screen(): {screening['pure']['docs_per_second']:,} documents/s on one core")
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
    print()
    for goal in results["goals"]:
        print(
            f"{'MET ' if goal['met'] else 'MISS'}  {goal['goal']}: {goal['value']}"
            f"{(' ' + goal['unit']) if goal['unit'] else ''} (goal {goal['target']})"
        )
    print(f"\nWrote {RESULTS.relative_to(ROOT)} in {time.monotonic() - T0:.0f} s.")


def _profile_text(profile):
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


if __name__ == "__main__":
    main()
