"""The bench's progress lines, timed from the start of the run."""

import time

T0 = time.monotonic()


def log(message):
    print(f"[{time.monotonic() - T0:6.1f}s] {message}", flush=True)
