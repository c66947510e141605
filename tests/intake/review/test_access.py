"""The clinicians' pages reach an intake through one access helper (intake/review/access.py):
no intake is a redirect with a message, never a 500; no right to see it is a 403."""

import pytest
from django.urls import reverse

from tests.intake.review.helpers import FLAG_CASE, intake_url, make_intake

pytestmark = pytest.mark.django_db

PAGES = ("intake_intake_change", "intake_intake_summary", "intake_intake_follow_up")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("object_id", ["999999", "abc"])
def test_a_missing_intake_is_said_and_sent_back_to_the_index(clinician_client, page, object_id):
    response = clinician_client.get(reverse(f"admin:{page}", args=[object_id]), follow=True)
    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    assert f"There is no intake with ID “{object_id}”" in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_an_editor_may_not_open_a_clinicians_page(editor_client, page):
    intake = make_intake(FLAG_CASE)
    assert editor_client.get(reverse(f"admin:{page}", args=[intake.pk])).status_code == 403


def test_the_intake_page_opens_for_a_clinician(clinician_client):
    intake = make_intake(FLAG_CASE)
    assert clinician_client.get(intake_url(intake)).status_code == 200
