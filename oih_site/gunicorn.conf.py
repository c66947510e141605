"""gunicorn as the site is deployed: `gunicorn -c oih_site/gunicorn.conf.py`.

Threaded workers, so that a client that sends half a request and hangs holds one thread,
not a whole worker: with sync workers, 8 such clients stalled the site, health checks
included. Each worker accepts a connection only while it has a thread free for it, so a
worker whose threads are all held by slow clients leaves new requests to the others. The
buffering proxy in front (docs/deploy.md) is what stops slow clients for good; these
threads are the margin behind it.

The access log leaves out query strings and referrers, which can carry names and codes,
and the token of a patient's resume or check-in link, which is part of its path, in
every language (`oih_site.log_filters.loggable_path`).
"""

import os

from gunicorn.glogging import Logger

from oih_site.log_filters import loggable_path

wsgi_app = "oih_site.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# gunicorn's advice for CPU-bound work, (2 x cores) + 1 processes, over the cores this
# process may run on; each process runs its requests on a few threads.
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * len(os.sched_getaffinity(0)) + 1)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 8)
# No more connections per worker than threads, and none kept idle after a response: a
# worker never queues a request behind connections it cannot serve yet.
worker_connections = threads
keepalive = 0
timeout = 30
graceful_timeout = 20

# Logs go to stdout and stderr, for the service manager to keep.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# Method and path only: no query string (search terms, tokens) and no referrer (which
# holds the previous page's query string). The proxy's X-Forwarded-For is kept.
access_log_format = (
    '%(h)s %({x-forwarded-for}i)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
)
proc_name = "oih-clinic"


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = loggable_path(atoms["U"] or "")
        return atoms


logger_class = AccessLogger
