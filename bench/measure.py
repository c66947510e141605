"""The measuring tools: gunicorn as deployed, wrk against it, CPU and memory meters."""

import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request

from bench import environment
from bench.log import log

ROOT, WORK, BENCH = environment.ROOT, environment.WORK_DIR, environment.BENCH_DIR
WRK_THREADS = 2


def write_lines(name, lines):
    path = WORK / name
    path.write_text("\n".join(lines) + "\n")
    return path


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
        # What one request costs the app server, whatever else the machine was doing.
        "app_cpu_ms_per_request": _cpu_ms(meter.result["app_cores"], seconds_run, raw["requests"]),
    }
    log(
        f"  {name:<12} {result['requests_per_second']:8.1f} req/s  p50 {result['p50_ms']:.1f}  "
        f"p95 {result['p95_ms']:.1f}  p99 {result['p99_ms']:.1f} ms  errors {result['errors']}  "
        f"(client {meter.result['client_cores']} cores, app {meter.result['app_cores']}, "
        f"db {meter.result['db_cores']}, other {meter.result['other_cores']})"
    )
    return result


def _cpu_ms(cores, seconds, requests):
    return round(cores * seconds / requests * 1000, 3) if requests else None


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
            "app_cpu_ms_per_request": _cpu_ms(
                sum(r["cpu"]["app_cores"] * r["seconds"] for r in results) / wall, wall, total
            ),
            "cpu": {
                key: round(sum(r["cpu"][key] or 0 for r in results) / len(results), 3)
                for key in results[0]["cpu"]
            },
        }
    return merged


def rss_summary(samples):
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
