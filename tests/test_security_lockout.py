"""Wrong passwords lock out the client that typed them, not the account for everyone; a
device that signed in before still signs in; old resume attempts are purged (issue 23,
finding 9)."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from intake.models import PatientEmail, ResumeAttempt
from tests.helpers import TEST_PASSWORD, make_staff

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def guess_five_times(client, username):
    for _ in range(5):
        sign_in(client, username, "wrong password")


def test_wrong_passwords_from_one_address_do_not_lock_the_account_elsewhere():
    make_staff("editor", "Content editors")
    guess_five_times(Client(REMOTE_ADDR="203.0.113.5"), "editor")
    assert sign_in(Client(REMOTE_ADDR="203.0.113.5"), "editor", TEST_PASSWORD).status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(elsewhere, "editor", TEST_PASSWORD)["Location"] == "/admin/"


def test_a_known_device_signs_in_even_when_its_address_is_locked():
    make_staff("editor", "Content editors")
    device = Client(REMOTE_ADDR="192.0.2.10")
    assert sign_in(device, "editor", TEST_PASSWORD)["Location"] == "/admin/"
    device.post("/admin/logout/")
    # Someone on the same network (one address for the whole clinic) guesses.
    guess_five_times(Client(REMOTE_ADDR="192.0.2.10"), "editor")
    assert sign_in(Client(REMOTE_ADDR="192.0.2.10"), "editor", TEST_PASSWORD).status_code == 429
    assert sign_in(device, "editor", TEST_PASSWORD)["Location"] == "/admin/"


def test_a_known_device_that_misses_is_a_stranger_again():
    make_staff("editor", "Content editors")
    device = Client(REMOTE_ADDR="192.0.2.11")
    sign_in(device, "editor", TEST_PASSWORD)
    device.post("/admin/logout/")
    guess_five_times(Client(REMOTE_ADDR="192.0.2.11"), "editor")
    assert sign_in(device, "editor", "wrong password").status_code in (200, 429)
    assert sign_in(device, "editor", TEST_PASSWORD).status_code == 429


def test_a_known_device_is_known_for_its_own_account_only():
    make_staff("editor", "Content editors")
    make_staff("other-editor", "Content editors")
    device = Client(REMOTE_ADDR="192.0.2.12")
    sign_in(device, "editor", TEST_PASSWORD)
    device.post("/admin/logout/")
    guess_five_times(Client(REMOTE_ADDR="192.0.2.12"), "other-editor")
    assert sign_in(device, "other-editor", TEST_PASSWORD).status_code == 429


def test_old_resume_attempts_and_email_counts_are_purged():
    old = timezone.now() - datetime.timedelta(days=3)
    ResumeAttempt.objects.create(address_hash="a" * 64, attempted_at=old)
    recent = ResumeAttempt.objects.create(address_hash="b" * 64)
    call_command("purge_expired_intakes")
    assert list(ResumeAttempt.objects.all()) == [recent]
    assert PatientEmail.objects.count() == 0
