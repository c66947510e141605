"""Secret links are masked in every log, in every language (issue 23, finding 3).

A real gunicorn runs with the documented configuration (oih_site/gunicorn.conf.py, as
docs/deploy.md names it); its access log and its own log (where Django's request log
writes) are read back for the tokens. The nginx log format the deployment note gives is
checked on the same paths.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from oih_site.log_filters import loggable_path
from tests.helpers import database_url_for_a_subprocess
from tests.test_gunicorn import get, running_gunicorn

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
TOKEN = "Zq8rT2vLx0PkW4mN7bYcSECRET"
SECRET_PATHS = [
    f"/intake/resume/{TOKEN}/",
    f"/es/formulario/retomar/{TOKEN}/",
    f"/intake/check-in/link/{TOKEN}/",
    f"/es/formulario/control/enlace/{TOKEN}/",
    # Spanish links sent with the English words, sent on to the Spanish ones.
    f"/es/intake/resume/{TOKEN}/",
    f"/es/intake/check-in/link/{TOKEN}/",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory, django_db_setup):
    """gunicorn as docs/deploy.md runs it: its configuration, debug off, static files
    collected (so that pages render as in production), logs written to files."""
    work = tmp_path_factory.mktemp("gunicorn-logs")
    access_log = work / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_a_subprocess(),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        # The documented default (80, 443), not the test suite's "*".
        "DJANGO_ALLOWED_HOST_PORTS": "",
        "DJANGO_SECRET_KEY": "gunicorn-log-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CACHE_DIR": str(work / "cache"),
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "GUNICORN_WORKERS": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with running_gunicorn(work, env) as port:
        yield port, access_log


def _wait_for(log, text):
    deadline = time.monotonic() + 5
    while text not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    return log.read_text()


@pytest.mark.parametrize("number", range(len(SECRET_PATHS)))
def test_gunicorns_logs_hold_no_secret_link_token(server, number):
    port, access_log = server
    path = SECRET_PATHS[number].replace(TOKEN, f"{TOKEN}{number}")
    client = f"203.0.113.{50 + number}"
    headers = {"X-Forwarded-For": client, "X-Forwarded-Proto": "https"}
    status, _, _ = get(port, path, headers=headers)
    assert status in (301, 302, 410)
    logged = [line for line in _wait_for(access_log, client).splitlines() if client in line]
    assert len(logged) == 1
    prefix = path.removesuffix(f"{TOKEN}{number}/")
    assert f'"GET {prefix}[token] HTTP/1.1"' in logged[0]
    # Django's request log ("Gone: <path>" for an ended check-in link) goes to gunicorn's log.
    server_log = access_log.parent / "gunicorn.log"
    assert TOKEN not in access_log.read_text()
    assert TOKEN not in server_log.read_text()


def test_djangos_request_log_masks_an_ended_check_in_link(client, caplog):
    for path in SECRET_PATHS:
        client.get(path)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Gone: /es/formulario/control/enlace/[token]" in logged
    assert TOKEN not in logged


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (f"/intake/resume/{TOKEN}/", "/intake/resume/[token]"),
        (f"/es/intake/resume/{TOKEN}/", "/es/intake/resume/[token]"),
        (f"/es/intake/check-in/link/{TOKEN}/", "/es/intake/check-in/link/[token]"),
        (f"/es/formulario/retomar/{TOKEN}/", "/es/formulario/retomar/[token]"),
        (f"/es/formulario/control/enlace/{TOKEN}/", "/es/formulario/control/enlace/[token]"),
        (f"/ES/Formulario//Control/Enlace/{TOKEN}", "/ES/Formulario//Control/Enlace/[token]"),
        (f"//es//intake/resume/{TOKEN}", "//es//intake/resume/[token]"),
        (f"/ES/INTAKE/RESUME/{TOKEN}/x/y", "/ES/INTAKE/RESUME/[token]"),
        ("/intake/resume/", "/intake/resume/"),
        ("/es/guias/", "/es/guias/"),
    ],
)
def test_loggable_path_masks_the_token_in_any_language(path, logged):
    assert loggable_path(path) == logged


def _nginx_map():
    """The documented nginx map's regex and replacement (docs/deploy.md)."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    match = re.search(r'map \$uri \$loggable_uri \{\s*"~\*?(\^[^"]+)"\s+"([^"]+)";', text)
    assert match, "docs/deploy.md gives the nginx map for the log format"
    assert "$loggable_uri" in text.split("log_format oih", 1)[1][:300]
    return match.group(1), match.group(2)


@pytest.mark.parametrize("path", SECRET_PATHS)
def test_the_documented_nginx_log_format_masks_the_token(path):
    pattern, replacement = _nginx_map()
    # As nginx's map does: the first regex that matches gives the value, its $1 filled in.
    found = re.match(pattern, path, flags=re.I)
    assert found
    masked = re.sub(r"\$(\d)", lambda capture: found.group(int(capture.group(1))), replacement)
    assert TOKEN not in masked
    assert masked.endswith("[token]")
