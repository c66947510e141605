"""Sign-in lockout, the second factor, idle sign-out and security headers."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.helpers import TEST_PASSWORD, current_totp, make_staff

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one():
    make_staff("editor", "Content editors")
    client = Client()
    for _ in range(4):
        assert sign_in(client, "editor", "wrong password").status_code == 200
    assert sign_in(client, "editor", "wrong password").status_code == 429
    response = sign_in(client, "editor", TEST_PASSWORD)
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_right_password_after_a_few_misses_signs_in_and_resets_the_count():
    make_staff("editor", "Content editors")
    client = Client()
    for _ in range(3):
        sign_in(client, "editor", "wrong password")
    assert sign_in(client, "editor", TEST_PASSWORD)["Location"] == "/admin/"


def test_a_clinician_enrols_an_authenticator_then_needs_a_code_every_time():
    clinician = make_staff("clinician", "Clinicians")
    client = Client()
    response = sign_in(client, "clinician", TEST_PASSWORD)
    assert response["Location"].startswith("/admin/two-factor/")
    page = client.get(response["Location"]).content.decode()
    assert "Set up sign-in codes" in page and "two-factor-qr" in page
    wrong = client.post("/admin/two-factor/", {"otp_token": "000000", "next": "/admin/"})
    assert "That code is not right" in wrong.content.decode()
    assert client.get(reverse("admin:intake_screening_changelist")).status_code == 302
    # django-otp slows guessing after a wrong code; the test waits out that delay.
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    right = client.post(
        "/admin/two-factor/",
        {"otp_token": current_totp(clinician), "next": "/admin/intake/screening/"},
    )
    assert right["Location"] == "/admin/intake/screening/"
    assert client.get(reverse("admin:intake_screening_changelist")).status_code == 200

    later = Client()
    sign_in(later, "clinician", TEST_PASSWORD)
    page = later.get("/admin/two-factor/").content.decode()
    assert "Enter your sign-in code" in page and "two-factor-qr" not in page


def test_the_second_factor_refuses_an_outside_next_address():
    clinician = make_staff("clinician", "Clinicians")
    client = Client()
    sign_in(client, "clinician", TEST_PASSWORD)
    client.get("/admin/two-factor/")
    response = client.post(
        "/admin/two-factor/",
        {"otp_token": current_totp(clinician), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/admin/intake/screening/"


def test_staff_sessions_end_after_15_idle_minutes_and_warn_first(client):
    user = make_staff("editor", "Content editors")
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert client.session.get_expiry_age() == 15 * 60
    page = response.content.decode()
    assert 'data-session-seconds="900"' in page and 'data-warning-seconds="120"' in page
    assert client.get(reverse("admin:keepalive")).status_code == 204


def test_passwords_must_pass_the_validators():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = User(username="someone")
    for weak in ("password", "12345678901234", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)


def test_every_page_carries_a_strict_content_security_policy(client):
    for path in ("/", "/learn/", "/intake/", "/admin/login/"):
        policy = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "'unsafe-inline'" not in policy
        assert "frame-ancestors 'none'" in policy
        assert "object-src 'none'" in policy


def test_frame_referrer_and_content_type_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_production_transport_settings_show_in_responses():
    client = Client()
    assert client.get("/learn/")["Location"] == "https://testserver/learn/"
    response = client.post("/intake/", {"consent": "on"}, secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_health_checks_answer_over_plain_http_when_https_is_on():
    client = Client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    # Everything else still goes to https.
    assert client.get("/healthz/extra")["Location"] == "https://testserver/healthz/extra"
    assert client.get("/")["Location"] == "https://testserver/"
