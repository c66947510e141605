"""Who may see the clinicians' pages: editors get 403, visitors the login page."""

import pytest
from django.urls import reverse

from intake.models import AccessLog, Review
from tests.intake.review.helpers import (
    intake_admin_urls,
    post_review,
)

pytestmark = pytest.mark.django_db


def test_editor_gets_403_on_every_intake_admin_url(editor_client, flagged):
    for url in intake_admin_urls(flagged):
        response = editor_client.get(url)
        assert response.status_code == 403, url
        assert b"Grace Hopper" not in response.content
    posted = post_review(editor_client, flagged, decision="accept")
    assert posted.status_code == 403
    assert Review.objects.count() == 0
    assert AccessLog.objects.count() == 0


def test_editor_admin_index_lists_no_intake_models(editor_client, flagged):
    response = editor_client.get(reverse("admin:index"))
    assert [app["app_label"] for app in response.context["app_list"]] == ["education"]
    assert b"Grace Hopper" not in response.content
    assert b"/admin/intake/" not in response.content


def test_clinician_index_lists_the_intake_models_but_not_the_access_log(clinician_client):
    response = clinician_client.get(reverse("admin:index"))
    intake_app = next(a for a in response.context["app_list"] if a["app_label"] == "intake")
    assert sorted(model["object_name"] for model in intake_app["models"]) == [
        "Intake",
        "Patient",
        "PatientMatch",
        "Review",
        "Screening",
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, flagged):
    for url in intake_admin_urls(flagged):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url
    assert AccessLog.objects.count() == 0
