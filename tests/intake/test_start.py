"""Starting the form: the start token is bound to the browser that was given it, and a
double-clicked or retried Start always leaves the patient holding a code that works."""

import re
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from intake.models import Intake, keyed_hash
from tests.intake.journey import VALID_ANSWERS

pytestmark = pytest.mark.django_db


def start_page(client):
    page = client.get("/intake/").content.decode()
    return re.search(r'name="start_token" value="([^"]+)"', page).group(1)


def same_browser(client):
    """Another request from the browser `client` is: it carries the same session cookie."""
    twin = Client()
    twin.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return twin


def held_code_works(client):
    """The code this browser was shown resumes the intake this browser holds."""
    session = client.session
    intake = Intake.objects.get(pk=session["intake_id"])
    return intake.resume_code_hash == keyed_hash(session["intake_resume_code"])


def test_another_browser_s_start_token_starts_a_separate_intake(client):
    token = start_page(client)
    client.post("/intake/", {"consent": "on", "start_token": token})
    stranger = Client()
    stranger.get("/intake/")
    stranger.post("/intake/", {"consent": "on", "start_token": token})
    assert Intake.objects.count() == 2
    assert client.session["intake_id"] != stranger.session["intake_id"]
    # What the first patient types never reaches the stranger.
    client.post("/intake/about-you/", VALID_ANSWERS["about-you"])
    assert "Rosa" not in stranger.get("/intake/about-you/").content.decode()


def test_a_token_posted_from_a_browser_with_no_session_is_no_key_either(client):
    token = start_page(client)
    client.post("/intake/", {"consent": "on", "start_token": token})
    stranger = Client()
    stranger.post("/intake/", {"consent": "on", "start_token": token})
    assert client.session["intake_id"] != stranger.session["intake_id"]


def test_a_start_sent_twice_from_one_browser_shows_a_code_that_works(client):
    """The second click's browser never got the first reply's cookie; its code must work."""
    token = start_page(client)
    second_click = same_browser(client)
    client.post("/intake/", {"consent": "on", "start_token": token})
    response = second_click.post("/intake/", {"consent": "on", "start_token": token})
    assert response.url == "/intake/about-you/"
    assert held_code_works(second_click)
    assert held_code_works(client)
    assert (
        "Save your place: your code is" in second_click.get("/intake/about-you/").content.decode()
    )


def test_the_start_form_keeps_its_token_while_it_is_shown_again(client):
    assert start_page(client) == start_page(client)


def double_click(token, clicks):
    """Both requests at the same moment, each on its own database connection."""
    barrier = threading.Barrier(len(clicks))
    statuses = []

    def click(browser):
        try:
            barrier.wait()
            response = browser.post("/intake/", {"consent": "on", "start_token": token})
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(browser,)) for browser in clicks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.django_db(transaction=True)
def test_two_racing_starts_from_one_browser_each_show_a_code_that_works():
    """A double click: two requests with the same cookie and token. 10 trials; every code
    shown must work."""
    for _ in range(10):
        client = Client()
        token = start_page(client)
        clicks = [same_browser(client), same_browser(client)]
        assert double_click(token, clicks) == [302, 302]
        for browser in clicks:
            assert held_code_works(browser)
