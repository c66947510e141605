import os
import subprocess
import sys

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
