"""The scenarios, and what measures them: gunicorn as deployed, wrk, the simulated patients,
the CPU meter, and the screening commands timed as subprocesses."""

import contextlib
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import psutil

from bench import BENCH, HOST, PYTHON, ROOT, WORK, log

READING_CLIENTS = SEARCH_CLIENTS = 16
READING_ROUNDS = 5  # short interleaved rounds: a neighbour's burst falls on every page alike
CLINICIANS = 4
PATIENTS = 32
# The journey twice: patients who click on at once (the server's capacity, latency mostly
# queueing), and patients who spend about a second on each page (latency mostly service
# time; a real patient spends 20 s or more, so each stands for 20 or more real ones).
JOURNEYS = [("journey", 0.0), ("journey_paced", 1.0)]
CHECK_IN_PATIENTS, CHECK_IN_THINK = 32, 1.0
CHECK_IN_WARMUP = 16 * CHECK_IN_THINK  # the patients arrive over about one check-in's pages
SCREEN_DOCUMENTS = 10_000
PERCENTILES = ("p50_ms", "p95_ms", "p99_ms")
SCREEN_WAYS = {
    "default": [],
    "jsonl": ["--jsonl"],
    "jsonl, 2 workers": ["--jsonl", "--workers", "2"],
}
CONFIG = {
    "reading_clients": READING_CLIENTS,
    "search_clients": SEARCH_CLIENTS,
    "patients": PATIENTS,
}
CONFIG |= {"clinicians": CLINICIANS, "check_in_patients": CHECK_IN_PATIENTS}


class Server:
    """gunicorn as deployed (bench/gunicorn.conf.py), started and stopped by its own pid."""

    def __init__(self, env, workers=None):
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            port = probe.getsockname()[1]
        self.env = {**os.environ, **env, "BENCH_PORT": str(port)}
        if workers:
            self.env["BENCH_WORKERS"] = str(workers)
        self.base = f"http://{HOST}:{port}"
        self.log_path = WORK / "gunicorn.log"

    def start(self):
        self.log_file = self.log_path.open("w")
        command = [PYTHON, "-m", "gunicorn", "-c", str(BENCH / "gunicorn.conf.py")]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while get(self.base + "/healthz") != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"gunicorn did not answer /healthz; see {self.log_path}")
            time.sleep(0.3)
        return self

    def workers(self):
        return len(psutil.Process(self.process.pid).children())

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()

    def error_lines(self):
        lines = self.log_path.read_text(errors="replace").splitlines()
        return [line for line in lines if re.search(r"Traceback|ERROR|CRITICAL", line)][:20]


def get(url, cookie=None):
    """The status of a GET, redirects not followed; None if nothing answers."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


class CpuMeter:
    """Cores used during a scenario by the client (this process's children), the app server,
    the database's backends and everything else on the machine ("other": on a shared
    machine, other people's work, but also PostgreSQL's parallel workers and kernel time)."""

    def __init__(self, server):
        self.server = server.process.pid
        self.database = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")

    def snapshot(self):
        def cpu(process):
            with contextlib.suppress(psutil.Error):
                times = process.cpu_times()
                return times.user + times.system
            return 0.0

        master = psutil.Process(self.server)
        app = {p.pid: cpu(p) for p in [master, *master.children(recursive=True)]}
        db = {
            p.pid: cpu(p)
            for p in psutil.process_iter(["name", "cmdline"])
            if "postgres" in (p.info["name"] or "")
            and self.database in " ".join(p.info["cmdline"] or [])
        }
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.monotonic(), app, db, children.ru_utime + children.ru_stime, psutil.cpu_times()

    def __enter__(self):
        self.start = self.snapshot()
        return self

    def __exit__(self, *exc):
        (t0, app0, db0, client0, m0), (t1, app1, db1, client1, m1) = self.start, self.snapshot()
        wall = t1 - t0
        app = sum(v - app0.get(pid, 0.0) for pid, v in app1.items()) / wall
        db = sum(v - db0.get(pid, 0.0) for pid, v in db1.items()) / wall
        client = (client1 - client0) / wall
        total = sum(m1) - sum(m0)
        idle = (m1.idle - m0.idle) + (m1.iowait - m0.iowait) + (m1.steal - m0.steal)
        busy = (total - idle) / total * (os.cpu_count() or 1) if total else 0.0
        self.result = {
            "client_cores": round(client, 2),
            "app_cores": round(app, 2),
            "db_cores": round(db, 2),
            "machine_busy_cores": round(busy, 2),
            "other_cores": round(max(0.0, busy - client - app - db), 2),
        }


def cpu_ms(app_cores, seconds, requests):
    """The app server's CPU per request: what a page costs, which a neighbour's load disturbs
    far less than latency or throughput."""
    return round(app_cores * seconds / requests * 1000, 3) if requests else None


def wrk(server, name, paths, clients, seconds, cookie=None):
    """One wrk run over `paths` (taken in turn, bench/wrk.lua); its figures."""
    for path in paths[:3]:
        if (status := get(server.base + path, cookie)) != 200:
            raise SystemExit(f"{name}: {path} answered {status} before the run (expected 200)")
    paths_file = WORK / f"paths-{name}.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    env = {**os.environ, "BENCH_PATHS": str(paths_file), "BENCH_COOKIE": cookie or ""}
    command = [shutil.which("wrk") or "/usr/bin/wrk", f"-t{min(2, clients)}", f"-c{clients}"]
    command += [f"-d{seconds}s", "--timeout", "10s", "-s", str(BENCH / "wrk.lua"), server.base]
    with CpuMeter(server) as meter:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=seconds + 60
        )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed for {name}:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    errors, ran = raw["errors"], raw["duration_us"] / 1e6
    result = {
        "clients": clients,
        "seconds": round(ran, 1),
        "requests": raw["requests"],
        "requests_per_second": round(raw["requests"] / ran, 1),
        **{k: raw["latency_us"][k.removesuffix("_ms")] / 1000 for k in PERCENTILES},
        "errors": sum(errors[k] for k in ("connect", "read", "write", "timeout"))
        + max(errors["status"], errors["not_200"]),
        "paths": paths[:3] + ([f"... {len(paths)} paths in turn"] if len(paths) > 3 else []),
        "cpu": meter.result,
        "app_cpu_ms_per_request": cpu_ms(meter.result["app_cores"], ran, raw["requests"]),
    }
    log(f"  {name:<12} {figures(result)}")
    return result


def figures(result):
    cpu = result["cpu"]
    return (
        f"{result['requests_per_second']} req/s  p50 {result['p50_ms']}  p95 {result['p95_ms']}  "
        f"p99 {result['p99_ms']} ms  errors {result['errors']}  (client "
        f"{cpu['client_cores']} cores, app {cpu['app_cores']}, db {cpu['db_cores']}, "
        f"other {cpu['other_cores']})"
    )


def reading(server, paths, seconds):
    """The cached articles in English and Spanish and the index against /healthz, in
    interleaved rounds: req/s over all rounds, percentiles the median of the rounds."""
    log(f"reading: {READING_CLIENTS} clients, {seconds:g} s each, in {READING_ROUNDS} rounds")
    pages = {"healthz": ["/healthz"], "article": paths["article_paths"]}
    pages |= {"article_es": paths["article_paths_es"], "index": ["/learn/"]}
    for path in ["/healthz", "/learn/", *pages["article"], *pages["article_es"]] * 3:
        get(server.base + path)  # every worker warm: imports, templates, the page cache
    runs = {name: [] for name in pages}
    for _ in range(READING_ROUNDS):
        for name, page_paths in pages.items():
            each = max(1, round(seconds / READING_ROUNDS))
            runs[name].append(wrk(server, name, page_paths, READING_CLIENTS, each))
    result = {}
    for name, rounds in runs.items():
        requests, wall = sum(r["requests"] for r in rounds), sum(r["seconds"] for r in rounds)
        app_cores = sum(r["cpu"]["app_cores"] * r["seconds"] for r in rounds) / wall
        result[name] = {
            **rounds[0],
            **{k: statistics.median_low(r[k] for r in rounds) for k in PERCENTILES},
            "seconds": round(wall, 1),
            "requests": requests,
            "requests_per_second": round(requests / wall, 1),
            "errors": sum(r["errors"] for r in rounds),
            "rounds_requests_per_second": [r["requests_per_second"] for r in rounds],
            "app_cpu_ms_per_request": cpu_ms(app_cores, wall, requests),
            "cpu": {
                k: round(statistics.mean(r["cpu"][k] for r in rounds), 3) for k in rounds[0]["cpu"]
            },
        }
    healthz = result["healthz"]
    for name in ("article", "article_es", "index"):
        page = result[name]
        ratio = page["requests_per_second"] / healthz["requests_per_second"]
        result[f"{name}_ratio"] = round(ratio, 3)
        # Each round's own ratio: the rounds differ in how busy the rest of the machine was.
        rounds = [r["rounds_requests_per_second"] for r in (page, healthz)]
        pairs = zip(*rounds, strict=True)
        result[f"{name}_ratio_rounds"] = [round(p / h, 3) for p, h in pairs]
        log(
            f"  {name}/healthz {result[f'{name}_ratio']} (rounds {result[f'{name}_ratio_rounds']}); "
            f"app CPU per request {page['app_cpu_ms_per_request']} ms against "
            f"{healthz['app_cpu_ms_per_request']} ms"
        )
    return result


def search(server, paths, seconds):
    log(f"search: {SEARCH_CLIENTS} clients")
    return wrk(server, "search", paths["search_paths"], SEARCH_CLIENTS, seconds)


def clinician(server, paths, seconds, cookie):
    """Signed-in clinicians on the worklist and on intake pages."""
    log(f"clinician: {CLINICIANS} clinicians signed in")
    queue, intakes = paths["queue_variants"][:1], paths["intake_paths"]
    return {
        "queue": wrk(server, "queue", queue, CLINICIANS, seconds, cookie),
        "intake_page": wrk(server, "intake_page", intakes, CLINICIANS, seconds, cookie),
    }


def patients(server, name, seconds, options):
    """bench/patients.py against the server, its CPU measured; its summary."""
    out = WORK / f"{name}.json"
    command = [PYTHON, str(BENCH / "patients.py"), "--base", server.base, "--out", str(out)]
    command += ["--seconds", str(seconds), *map(str, options)]
    with CpuMeter(server) as meter:
        subprocess.run(command, check=True, timeout=seconds + CHECK_IN_WARMUP + 120)
    result = {**json.loads(out.read_text()), "cpu": meter.result}
    result["cpu"]["client_cores"] = result["client_cpu_share"]
    result["app_cpu_ms_per_request"] = cpu_ms(
        meter.result["app_cores"], 1, result["requests_per_second"]
    )
    submit = result["by_request"].get("check POST (submit)", {})
    log(f"  {result['completed']} sent, submit p95 {submit.get('p95_ms')} ms; {figures(result)}")
    return result


def journeys(server, paths, seconds):
    """New intakes, with no think time and then paced: {results key: result}."""
    returning = WORK / "returning.json"
    returning.write_text(json.dumps(paths["returning"]))
    results = {}
    for key, think in JOURNEYS:
        log(f"journey: {PATIENTS} patients, think time {think:g} s, {seconds:g} s")
        options = ["--patients", PATIENTS, "--think", think, "--returning", returning]
        results[key] = patients(server, key, seconds, options)
    return results


def check_in_links_needed(seconds):
    """Links enough for every patient to send a check-in every ~16 s of the run, and spare."""
    return int(CHECK_IN_PATIENTS * (seconds + CHECK_IN_WARMUP + 10) / 16 * 1.5) + CHECK_IN_PATIENTS


def check_ins(server, paths, seconds):
    """Follow-up check-ins through their pages, each patient opening one private link."""
    log(f"check-ins: {CHECK_IN_PATIENTS} patients, {CHECK_IN_THINK:g} s think time, {seconds:g} s")
    links = WORK / "check-in-links.json"
    links.write_text(json.dumps(paths["check_in_links"]))
    options = ["--patients", CHECK_IN_PATIENTS, "--think", CHECK_IN_THINK, "--links", links]
    return patients(
        server, "check-ins", seconds, [*options, "--warmup", CHECK_IN_WARMUP, "--seed", 16]
    )


def screening(seconds):
    """Documents a second through the pure rules on one core, and `manage.py screen` over
    SCREEN_DOCUMENTS files (one each, process start included), each way three times."""
    from bench.seed import sample_documents
    from intake.screening import screen

    log("screening: the pure rules, one core")
    pairs = sample_documents(2000)
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        for document, previous in pairs[:200]:  # warm-up
            screen(document, previous=previous)
        count, started, cpu_started = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - started < seconds:
            for document, previous in pairs:
                screen(document, previous=previous)
            count += len(pairs)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    finally:
        os.sched_setaffinity(0, allowed)
    pure = {"documents": count, "docs_per_second": round(count / wall)}
    pure["docs_per_cpu_second"] = round(count / cpu)
    log(
        f"  screen() {pure['docs_per_second']:,} documents/s, {pure['docs_per_cpu_second']:,} per CPU s"
    )
    log(f"screening: manage.py screen over {SCREEN_DOCUMENTS:,} documents, end to end")
    folder = WORK / "screen-documents"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    names = []
    for number, (document, _) in enumerate(sample_documents(SCREEN_DOCUMENTS)):
        names.append(f"{number:05d}.json")
        (folder / names[-1]).write_text(json.dumps(document))
    command = {"documents": SCREEN_DOCUMENTS}
    for way, options in SCREEN_WAYS.items():
        times = []
        for _ in range(3):
            started = time.perf_counter()
            with (WORK / "screen-output.txt").open("wb") as out:
                argv = [PYTHON, str(ROOT / "manage.py"), "screen", *options, *names]
                subprocess.run(argv, cwd=folder, stdout=out, check=True, timeout=300)
            times.append(round(time.perf_counter() - started, 2))
        rate = round(SCREEN_DOCUMENTS / statistics.median(times))
        command[way] = {"options": options, "seconds": times, "docs_per_second": rate}
        log(f"  screen ({way}): {rate:,} documents/s (median of {times} s)")
    return {"pure": pure, "command": command}


def rescreens(env, quick):
    """`manage.py rescreen`, dry run then applied; the seed put back afterwards."""
    from bench import seed

    log("screening: manage.py rescreen over the stored intakes")
    # Long enough for the applied run to finish on a busy 2-core machine (the goal is 60 s).
    timeout = 60 if quick else 240
    results = {f"rescreen_{k}": rescreen(env, k == "apply", timeout) for k in ("dry_run", "apply")}
    seed.reset_rescreens(log)
    return results


PROGRESS = "SELECT examined, changed FROM intake_rescreen WHERE NOT is_dry_run"
PROGRESS += " ORDER BY id DESC LIMIT 1"


def rescreen(env, apply, timeout):
    """`manage.py rescreen [--apply] --batch-size 1000`, timed, its memory sampled. Past
    `timeout` the command (our own child) is stopped; an applied run has by then committed
    whole batches on its Rescreen row, read every 2 s here for its rate and projection."""
    from django.db import connection

    from intake.models import Intake

    to_examine = Intake.objects.submitted().count()
    command = [PYTHON, "manage.py", "rescreen", "--batch-size", "1000"] + (["--apply"] * apply)
    # To a file, not a pipe: a report that outgrows a pipe's buffer would block the command.
    report = WORK / f"rescreen-{'apply' if apply else 'dry-run'}.txt"
    with report.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
        rss, progress, started = [], [], time.monotonic()
        while process.poll() is None and (elapsed := time.monotonic() - started) < timeout:
            with contextlib.suppress(psutil.Error):
                rss.append(psutil.Process(process.pid).memory_info().rss / 2**20)
            if apply and (not progress or elapsed - progress[-1][0] >= 2):
                with connection.cursor() as cursor:
                    cursor.execute(PROGRESS)
                    progress += [(round(elapsed, 1), *row) for row in cursor.fetchall()]
            time.sleep(0.25)
        timed_out = process.poll() is None
        if timed_out:
            process.kill()  # our own child, by its pid; its open batch rolls back
        process.wait()
    seconds, output = time.monotonic() - started, report.read_text()
    connection.close()
    result = {"apply": apply, "to_examine": to_examine}
    if rss:
        at = {f"at_{p}pct": rss[min(len(rss) - 1, len(rss) * p // 100)] for p in (10, 50, 90)}
        result["rss_mb"] = {k: round(v, 1) for k, v in {**at, "peak": max(rss)}.items()}
    if timed_out:
        done_at, examined, changed = progress[-1] if progress else (seconds, 0, 0)
        rate = examined / done_at if examined else None
        result |= {
            "stopped_after_seconds": timeout,
            "examined_before_stop": examined,
            "intakes_per_second": round(rate, 1) if rate else None,
            "projected_seconds": round(to_examine / rate) if rate else None,
        }
    elif process.returncode != 0:
        result |= {"failed": output[-2000:], "seconds": round(seconds, 1)}
    else:
        match = re.search(r"(\d+) intake\(s\) examined, (\d+)", output)
        examined, changed = map(int, match.groups()) if match else (None, None)
        result |= {
            "seconds": round(seconds, 1),
            "examined": examined,
            "changed": changed,
            "intakes_per_second": round(examined / seconds) if examined else None,
            "output": output.rstrip().splitlines(),  # the table from old level and alerts to new
        }
    shown = {k: v for k, v in result.items() if k != "output"}
    log(f"  rescreen{' --apply' if apply else ''}: {json.dumps(shown)[:300]}")
    return result
