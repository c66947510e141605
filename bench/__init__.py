"""`make bench`: the site under load as it is deployed. See bench/README.md."""

import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"  # git-ignored: logs, the page cache, path lists, reports
PYTHON = sys.executable
HOST = "127.0.0.1"
DATABASE_NAME = "oih_bench"
T0 = time.monotonic()


def log(message):
    """A progress line, timed from the start of the run."""
    print(f"[{time.monotonic() - T0:6.1f}s] {message}", flush=True)
