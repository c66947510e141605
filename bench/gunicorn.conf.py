"""gunicorn as the site is deployed, for the benchmark: loopback only, sync workers.

The worker count follows gunicorn's own advice, (2 x cores) + 1, over the cores this
process may run on; BENCH_WORKERS overrides it. Access logs are off (a proxy in front
keeps them in production), errors go to the file bench/run.py names.
"""

import os

wsgi_app = "oih_site.wsgi:application"
bind = f"127.0.0.1:{os.environ.get('BENCH_PORT', '8765')}"
cores = len(os.sched_getaffinity(0))
workers = int(os.environ.get("BENCH_WORKERS") or 2 * cores + 1)
worker_class = "sync"
timeout = 30
graceful_timeout = 10
backlog = 2048
accesslog = None
errorlog = "-"
loglevel = "warning"
proc_name = "oih-bench"
