"""Site-wide behaviour: error pages, body limits, database outages."""

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("where", ["view", "middleware", "session update"])
def test_a_database_outage_gets_a_friendly_503_not_a_stack_trace(monkeypatch, where):
    def unavailable(*args, **kwargs):
        raise OperationalError("connection to server failed: password=secret patient=Jane")

    client = Client(raise_request_exception=False)
    client.post("/intake/", {"consent": "on"})
    if where == "view":
        monkeypatch.setattr("intake.journey.views.Intake.objects.filter", unavailable)
    elif where == "middleware":
        # The session is saved after the view, by a middleware, outside any view.
        monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.save", unavailable)
    else:
        # A failed session update surfaces as a 400 "session interrupted".
        monkeypatch.setattr("django.db.models.Model.save_base", unavailable)
    response = client.get("/intake/about-you/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Everything you saved before is safe" in page
    assert "secret" not in page and "Traceback" not in page


def test_an_oversized_body_is_refused_with_a_friendly_400(client):
    response = client.post("/intake/", {"consent": "on", "padding": "x" * 300_000})
    assert response.status_code == 400
    assert "We could not read what was sent" in response.content.decode()


def test_a_form_without_its_csrf_token_gets_a_kind_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/intake/", {"consent": "on"})
    assert response.status_code == 403
    assert "This page was open too long" in response.content.decode()


def test_the_500_page_is_friendly(client):
    from oih_site.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "This is not your fault" in response.content.decode()
