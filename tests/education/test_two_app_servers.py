"""Two app servers sharing Redis, as docs/deploy.md describes: an edit or an unpublish made
through one is served by the other within about a second.

Each server keeps pages in its own memory and re-reads the shared content version at most
once a second, so that is the delay to expect. Needs Redis on 127.0.0.1:6379 (the
development and CI machines run one); skipped with a message where none answers.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from education.models import Article
from tests.conftest import TEST_PASSWORD, make_staff
from tests.education.factories import make_article
from tests.helpers import database_url_for_a_subprocess

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
# Generous: the design gives about one second (VERSION_CHECK_SECONDS).
PROPAGATION_LIMIT_SECONDS = 5.0


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def two_servers(tmp_path):
    if not redis_answers():
        pytest.skip("No Redis answers on 127.0.0.1:6379: start one to test two app servers.")
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_a_subprocess(),
        "DJANGO_DEBUG": "1",
        "DJANGO_HTTPS": "0",
        "DJANGO_REDIS_URL": REDIS_URL,
        # A prefix of this run's own, so nothing cached by another run is ever served.
        "DJANGO_CACHE_KEY_PREFIX": f"two-servers-{uuid.uuid4().hex}",
        "DJANGO_PUBLISH_REQUIRES_SIGNOFF": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    servers = []
    for name in ("a", "b"):
        port = free_port()
        log = open(tmp_path / f"server-{name}.log", "w")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "oih_site.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        servers.append((f"http://127.0.0.1:{port}", process, log))
    for base, _, _ in servers:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    yield [base for base, _, _ in servers]
    for _, process, log in servers:
        process.terminate()
        process.wait(timeout=10)
        log.close()


class Browser:
    """A cookie-keeping HTTP client that posts forms with their CSRF token."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path):
        try:
            with self.opener.open(self.base + path, timeout=10) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.url

    def post(self, path, data, form_page=None):
        _, page, _ = self.get(form_page or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(self.base + path, data=body.encode(), method="POST")
        with self.opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(), response.url


def wait_for(check):
    """Seconds until check() holds, polling every 50 ms, or None past the limit."""
    started = time.monotonic()
    while time.monotonic() - started < PROPAGATION_LIMIT_SECONDS:
        if check():
            return time.monotonic() - started
        time.sleep(0.05)
    return None


@pytest.mark.usefixtures("empty_site")
def test_an_edit_and_an_unpublish_through_one_server_reach_the_other(two_servers, settings):
    # The servers check passwords with the real hasher, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    make_staff("editor", "Content editors")
    article = make_article(slug="shared", title="Shared guide", body="Old words on the page.")
    make_article(slug="neighbour", title="Neighbour")
    server_a, server_b = two_servers
    reader_a, reader_b = Browser(server_a), Browser(server_b)
    for reader in (reader_a, reader_b):
        assert "Old words on the page." in reader.get("/learn/shared/")[1]
        assert "Old words on the page." in reader.get("/learn/shared/")[1]  # now from memory

    editor = Browser(server_a)
    editor.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": TEST_PASSWORD, "next": "/admin/"},
    )
    change_page = f"/admin/education/article/{article.pk}/change/"
    _, _, draft_url = editor.post(
        f"/admin/education/article/{article.pk}/start-draft/", {}, form_page=change_page
    )
    draft_path = urllib.parse.urlparse(draft_url).path
    draft_id = draft_path.rstrip("/").split("/")[-2]
    editor.post(
        draft_path,
        {
            "title": "Shared guide",
            "summary": "A short summary.",
            "body": "New words on the page.",
            "figures-TOTAL_FORMS": "0",
            "figures-INITIAL_FORMS": "0",
        },
    )
    assert "Old words on the page." in reader_b.get("/learn/shared/")[1]
    editor.post(f"/admin/education/articlerevision/{draft_id}/publish/", {}, form_page=draft_path)
    seen_edit_after = wait_for(
        lambda: "New words on the page." in reader_b.get("/learn/shared/")[1]
    )
    assert seen_edit_after is not None, "server B still served the old text"

    editor.post(
        "/admin/education/article/",
        {"action": "unpublish", "_selected_action": [article.pk], "confirm": "yes"},
    )
    assert Article.objects.get(pk=article.pk).is_published is False
    seen_unpublish_after = wait_for(lambda: reader_b.get("/learn/shared/")[0] == 404)
    assert seen_unpublish_after is not None, "server B still served the unpublished article"
    assert reader_a.get("/learn/shared/")[0] == 404
    print(
        f"server B saw the edit after {seen_edit_after:.2f} s, the unpublish after "
        f"{seen_unpublish_after:.2f} s"
    )
