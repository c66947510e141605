"""The site as deployed: gunicorn with oih_site/gunicorn.conf.py, debug off, https on.

Slow clients must not stall it, health checks must answer over plain http, and the
access log must hold no query string or referrer.
"""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import database_url_for_a_subprocess

# The server uses the test run's database, which pytest-django creates only when asked to.
pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "oih_site" / "gunicorn.conf.py"
WORKERS = 2
# More than the 8 that stalled every sync worker, and more than one worker's threads.
SLOW_CLIENTS = 12
HALF_A_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port, path, headers=None, timeout=5):
    """One plain-http request; redirects are returned, not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.getheader("Location"), response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def running_gunicorn(work, env):
    """gunicorn with the deployed configuration, bound to a free loopback port, its access log
    in work/access.log and its own log in work/gunicorn.log: the port once /healthz answers;
    stopped on leaving."""
    port = free_port()
    with (work / "gunicorn.log").open("w") as server_log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "-c", str(CONFIG)),
                *("--bind", f"127.0.0.1:{port}", "--access-logfile", str(work / "access.log")),
            ],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (work / "gunicorn.log").read_text()
            try:
                if get(port, "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory, django_db_setup):
    work = tmp_path_factory.mktemp("gunicorn")
    access_log = work / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_a_subprocess(),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_SECRET_KEY": "gunicorn-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CACHE_DIR": str(work / "cache"),
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "GUNICORN_WORKERS": str(WORKERS),
    }
    with running_gunicorn(work, env) as port:
        yield port, access_log


def test_half_sent_requests_do_not_stall_the_health_check(server):
    port, _ = server
    slow = []
    try:
        for _ in range(SLOW_CLIENTS):
            client = socket.create_connection(("127.0.0.1", port), timeout=5)
            client.sendall(HALF_A_REQUEST)  # ...and never the blank line that ends it
            slow.append(client)
        time.sleep(1)  # every slow connection is accepted and holds a thread
        answers = [get(port, "/healthz", timeout=5)[:2] for _ in range(10)]
        assert answers == [(200, None)] * 10
    finally:
        for client in slow:
            client.close()


def test_with_https_on_health_checks_answer_plain_http_and_other_pages_redirect(server):
    port, _ = server
    assert get(port, "/healthz")[:2] == (200, None)
    assert get(port, "/readyz")[:2] == (200, None)
    assert get(port, "/learn/")[:2] == (301, "https://127.0.0.1/learn/")


def logged(access_log, client):
    """The access log's lines for requests forwarded for `client`."""
    deadline = time.monotonic() + 5
    while client not in access_log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    return [line for line in access_log.read_text().splitlines() if client in line]


def test_the_access_log_holds_no_query_string_or_referrer(server):
    port, access_log = server
    status, _, _ = get(
        port,
        "/healthz?name=Jane+Doe&code=ABCDE-12345",
        headers={
            "Referer": "https://127.0.0.1/admin/intake/patient/?q=Jane+Doe",
            "X-Forwarded-For": "203.0.113.5",
        },
    )
    assert status == 200
    [line] = logged(access_log, "203.0.113.5")
    assert '"GET /healthz HTTP/1.1" 200' in line
    for secret in ("Jane", "Doe", "ABCDE", "12345", "?", "q="):
        assert secret not in line, secret


def test_the_access_log_holds_no_resume_link_token(server):
    port, access_log = server
    token = "Zq8rT2vLx0PkW4mN7bYc"
    headers = {"X-Forwarded-For": "203.0.113.6", "X-Forwarded-Proto": "https"}
    # An unknown link sends the patient to the resume form.
    assert get(port, f"/intake/resume/{token}/", headers=headers)[:2] == (
        302,
        "/intake/resume/",
    )
    [line] = logged(access_log, "203.0.113.6")
    assert '"GET /intake/resume/[token] HTTP/1.1" 302' in line
    assert token not in line
