"""The site as deployed: gunicorn with oih_site/gunicorn.conf.py, debug off, https on.

Slow clients must not stall it, health checks must answer over plain http, and the
access log must hold no query string or referrer.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("gunicorn")
    access_log = work / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": settings.DATABASE_URL,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_SECRET_KEY": "gunicorn-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CACHE_DIR": str(work / "cache"),
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "GUNICORN_WORKERS": str(WORKERS),
    }
    port = free_port()
    with (work / "gunicorn.log").open("w") as server_log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "-c", str(CONFIG)),
                *("--bind", f"127.0.0.1:{port}", "--access-logfile", str(access_log)),
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
        yield port, access_log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
    deadline = time.monotonic() + 5
    while "203.0.113.5" not in access_log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    lines = [line for line in access_log.read_text().splitlines() if "203.0.113.5" in line]
    assert len(lines) == 1
    assert '"GET /healthz HTTP/1.1" 200' in lines[0]
    for secret in ("Jane", "Doe", "ABCDE", "12345", "?", "q="):
        assert secret not in lines[0], secret
