import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User


def run_settings(env):
    """Import the settings in a fresh interpreter with only the given variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import oih_site.settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT)",
        ],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_settings({"DJANGO_ALLOWED_HOSTS": "x.org"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    result = run_settings({"DJANGO_SECRET_KEY": "k" * 60})
    assert result.returncode != 0


def test_debug_defaults_off_with_https_on():
    result = run_settings({"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "x.org"})
    assert result.stdout.strip() == "False True"


@pytest.mark.django_db
def test_seed_demo_is_refused_when_debug_is_off():
    with pytest.raises(CommandError, match="only with DJANGO_DEBUG=1"):
        call_command("seed_demo")
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_seed_demo_creates_an_editor_and_a_clinician(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    users = {u.username: [g.name for g in u.groups.all()] for u in User.objects.all()}
    assert users == {"demo-clinician": ["Clinicians"], "demo-editor": ["Content editors"]}
    assert "password" in capsys.readouterr().out


def run_settings_without_database(env):
    """As run_settings, with neither DATABASE_URL nor OIH_EMBEDDED_DB set."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in ("DATABASE_URL", "OIH_EMBEDDED_DB")
    }
    return subprocess.run(
        [sys.executable, "-c", "import oih_site.settings"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("word", ["of", "tru", "enabled", "2"])
def test_a_yes_no_variable_with_any_other_word_stops_the_start(word):
    result = run_settings(
        {"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "x.org", "DJANGO_HTTPS": word}
    )
    assert result.returncode != 0
    assert f"DJANGO_HTTPS={word!r} is neither true nor false" in result.stderr


@pytest.mark.parametrize(
    ("word", "expected"), [("off", "False"), ("No", "False"), ("TRUE", "True")]
)
def test_a_yes_no_variable_takes_the_usual_words_in_any_case(word, expected):
    result = run_settings(
        {"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "x.org", "DJANGO_HTTPS": word}
    )
    assert result.stdout.strip() == f"False {expected}"


def test_a_production_start_without_a_database_url_refuses():
    result = run_settings_without_database(
        {"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "x.org"}
    )
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr


def test_a_command_that_needs_no_database_starts_no_embedded_one():
    code = (
        "import django, sys; django.setup(); "
        "from django.core.management import call_command; "
        "call_command('screen', 'tests/cases/pub-01-oih-hydrocodone.json'); "
        "print('pgserver' in sys.modules, file=sys.stderr)"
    )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **base,
            "OIH_EMBEDDED_DB": "1",
            "DJANGO_DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "oih_site.settings",
        },
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "False"


def test_the_embedded_backend_connects_to_the_servers_socket_directory(monkeypatch):
    """pgserver gives its address as ?host=<socket directory>; that, never the system's default
    socket, is where the embedded database's connections go."""
    from oih_site import embedded_postgres
    from oih_site.embedded_db.base import DatabaseWrapper

    monkeypatch.setattr(
        embedded_postgres, "database_url", lambda: "postgresql://postgres:@/oih?host=/tmp/pg-here"
    )
    settings_dict = {
        "ENGINE": "oih_site.embedded_db",
        "NAME": "",
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "OPTIONS": {},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
    }
    params = DatabaseWrapper(settings_dict).get_connection_params()
    assert (params["host"], params["dbname"], params["user"]) == ("/tmp/pg-here", "oih", "postgres")
