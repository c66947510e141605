"""The client's address, behind a load balancer and without one, and the sign-in lockout on it."""

import pytest
from django.test import Client, RequestFactory

from oih_site.client_address import client_address
from tests.conftest import TEST_PASSWORD, make_staff

BALANCER = "10.0.0.2"
LOGIN = "/admin/login/"


def address(settings, proxies, forwarded_for=None, remote=BALANCER):
    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        # No proxy: the header is the client's own word and is ignored.
        (0, None, BALANCER),
        (0, "203.0.113.5", BALANCER),
        # One balancer: the address it appended, not what the client wrote before it.
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.66, 203.0.113.5", "203.0.113.5"),
        (1, "203.0.113.5:51234", "203.0.113.5"),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "2001:db8::7", "2001:db8::7"),
        # Two proxies: the second address from the right.
        (2, "198.51.100.66, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        # Nothing usable where the client should be: the balancer's address.
        (1, None, BALANCER),
        (1, "", BALANCER),
        (1, "not-an-address", BALANCER),
        (2, "203.0.113.5", BALANCER),
    ],
)
def test_the_client_is_the_address_the_outermost_trusted_proxy_saw(
    settings, proxies, forwarded_for, expected
):
    assert address(settings, proxies, forwarded_for) == expected


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


@pytest.mark.django_db
def test_behind_the_balancer_one_clients_wrong_passwords_do_not_lock_out_another(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_staff("editor", "Content editors")
    make_staff("other-editor", "Content editors")
    guesser = Client(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="203.0.113.5")
    colleague = Client(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _ in range(4):
        assert sign_in(guesser, "someone", "wrong password").status_code == 200
    assert sign_in(guesser, "someone", "wrong password").status_code == 429
    # The guesser's address is locked, whatever account it tries next...
    assert sign_in(guesser, "other-editor", TEST_PASSWORD).status_code == 429
    # ...but a colleague behind the same balancer signs in.
    assert sign_in(colleague, "editor", TEST_PASSWORD)["Location"] == "/admin/"


@pytest.mark.django_db
def test_without_a_proxy_a_forged_forwarded_for_does_not_dodge_the_lockout(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    make_staff("editor", "Content editors")
    for attempt in range(5):
        forged = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
        sign_in(forged, f"someone-{attempt}", "wrong password")
    again = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert sign_in(again, "editor", TEST_PASSWORD).status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(elsewhere, "editor", TEST_PASSWORD)["Location"] == "/admin/"
