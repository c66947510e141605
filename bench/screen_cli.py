"""`manage.py screen` over 10,000 documents, end to end: the process's start included.

The command reads one `oih-intake/1` document per file and runs before Django starts (see
manage.py and intake/screening/command_line.py), so no database is touched. The documents
are the seed's generator's (`sample_documents`: the same answers and medicines as the bench
database), one per file in bench/.work/screen-documents/, written once per run. Each way of
running it is timed `RUNS` times as a subprocess, its output to a file; the median counts.
"""

import json
import statistics
import subprocess
import time

from bench import environment

DIRECTORY = environment.WORK_DIR / "screen-documents"
RUNS = 3
# (name, extra options): the default output (one indented JSON array), JSON lines, and JSON
# lines on two processes.
WAYS = [
    ("default", []),
    ("jsonl", ["--jsonl"]),
    ("jsonl, 2 workers", ["--jsonl", "--workers", "2"]),
]


def write_documents(count):
    """One document per file; the file names, relative to DIRECTORY (a short command line)."""
    from bench.seed import sample_documents

    DIRECTORY.mkdir(parents=True, exist_ok=True)
    for old in DIRECTORY.glob("*.json"):
        old.unlink()
    names = []
    for number, (document, _) in enumerate(sample_documents(count)):
        name = f"{number:05d}.json"
        (DIRECTORY / name).write_text(json.dumps(document))
        names.append(name)
    return names


def time_command(names, options):
    """Seconds for one run of `python manage.py screen [options] FILE...`, and its output size."""
    output = environment.WORK_DIR / "screen-output.txt"
    command = [environment.PYTHON, str(environment.ROOT / "manage.py"), "screen", *options]
    started = time.perf_counter()
    with output.open("wb") as out:
        done = subprocess.run(
            [*command, *names],
            cwd=DIRECTORY,
            stdout=out,
            stderr=subprocess.PIPE,
            timeout=300,
        )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"screen {options} exited {done.returncode}: {done.stderr[-500:]!r}")
    return seconds, output.stat().st_size


def measure(count):
    names = write_documents(count)
    result = {"documents": count, "runs": RUNS}
    for name, options in WAYS:
        times, size = [], 0
        for _ in range(RUNS):
            seconds, size = time_command(names, options)
            times.append(seconds)
        median = statistics.median(times)
        result[name] = {
            "options": options,
            "seconds": [round(t, 2) for t in times],
            "median_seconds": round(median, 2),
            "docs_per_second": round(count / median),
            "output_mb": round(size / 2**20, 1),
        }
    return result
