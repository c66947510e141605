"""Recording a review on the intake page, and record_review itself."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from intake.models import Review
from intake.review.recording import AlreadyReviewed, record_review
from tests.helpers import login_staff, make_staff
from tests.intake.review.helpers import (
    FLAG_CASE,
    QUEUE,
    TOLERANCE_CASE,
    intake_url,
    make_intake,
    messages_of,
    post_review,
    screening_of,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "decision", "reason", "message"),
    [
        ({"decision": "accept"}, "accept", "", "Accepted"),
        (
            {"decision": "override", "override_reason": "tolerance"},
            "override",
            "tolerance",
            "Overridden (Tolerance)",
        ),
        ({"decision": "follow_up"}, "follow_up", "", "Needs follow-up"),
    ],
)
def test_a_clinician_records_a_review_and_returns_to_the_queue(
    clinician_client, clinician, flagged, data, decision, reason, message
):
    response = post_review(clinician_client, flagged, **data)
    assert response.status_code == 302
    assert response.url == QUEUE
    review = Review.objects.get()
    assert (review.screening, review.decision, review.override_reason, review.reviewed_by) == (
        screening_of(flagged),
        decision,
        reason,
        clinician,
    )
    assert messages_of(response) == [f"Review recorded for {flagged.reference}: {message}."]


def test_after_a_review_the_queue_keeps_the_filters_the_clinician_came_from(
    clinician_client, flagged
):
    url = intake_url(flagged) + "?_changelist_filters=level%3Dflag%26review%3Dunreviewed"
    response = clinician_client.post(
        url, {"screening": screening_of(flagged).pk, "decision": "accept"}
    )
    assert response.url == QUEUE + "?level=flag&review=unreviewed"


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        (
            {"decision": "override"},
            "override_reason",
            "Choose the reason you are overriding the flag.",
        ),
        (
            {"decision": "override", "override_reason": "other"},
            "note",
            'Add a note saying why when the reason is "Other".',
        ),
        ({"decision": "accept", "note": "x" * 2001}, "note", None),
        ({}, "decision", "Choose your conclusion on the OIH result."),
        ({"decision": "maybe"}, "decision", None),
    ],
)
def test_an_invalid_review_shows_the_error_and_writes_nothing(
    clinician_client, flagged, data, field, error
):
    response = post_review(clinician_client, flagged, **data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if error:
        assert errors[field] == [error]
        assert error.replace('"', "&quot;") in response.content.decode()
    assert Review.objects.count() == 0


def test_override_with_other_and_a_note_is_saved(clinician_client, flagged):
    post_review(
        clinician_client,
        flagged,
        decision="override",
        override_reason="other",
        note="Known central sensitisation.",
    )
    review = Review.objects.get()
    assert (review.override_reason, review.note) == ("other", "Known central sensitisation.")


def test_a_second_review_changes_nothing(clinician_client, clinician, flagged):
    post_review(clinician_client, flagged, decision="accept")
    response = post_review(
        clinician_client, flagged, decision="override", override_reason="tolerance"
    )
    assert response.status_code == 302
    assert response.url == intake_url(flagged)
    assert list(Review.objects.values_list("decision", "override_reason")) == [("accept", "")]
    assert messages_of(response)[-1] == (
        f"{flagged.reference} was already reviewed by clinician "
        "(Accept: OIH pattern worth discussing). Nothing was changed."
    )
    page = clinician_client.get(intake_url(flagged))
    assert page.context["form"] is None
    assert "Recorded by clinician on" in page.content.decode()


def test_a_review_of_a_screening_replaced_since_the_page_was_opened_is_refused(
    clinician_client, flagged
):
    old = screening_of(flagged)
    response = clinician_client.post(
        intake_url(flagged), {"screening": old.pk + 1000, "decision": "accept"}
    )
    assert response.status_code == 302
    assert Review.objects.count() == 0
    assert "screened again" in messages_of(response)[0]


def test_record_review_validates_and_refuses_a_second_review(clinician, flagged):
    screening = screening_of(flagged)
    with pytest.raises(ValidationError) as invalid:
        record_review(screening, clinician, "override")
    assert invalid.value.error_dict["override_reason"][0].code == "override_needs_reason"
    first = record_review(screening, clinician, "override", "withdrawal", "Cut 2 weeks ago")
    with pytest.raises(AlreadyReviewed) as refused:
        record_review(screening, clinician, "accept")
    assert refused.value.args[0] == first
    assert list(Review.objects.values_list("decision", "override_reason", "note")) == [
        ("override", "withdrawal", "Cut 2 weeks ago")
    ]


def test_record_review_refuses_a_screening_with_nothing_to_review(clinician):
    screening = screening_of(make_intake(TOLERANCE_CASE))
    with pytest.raises(ValidationError) as refused:
        record_review(screening, clinician, "accept")
    assert refused.value.code == "not_reviewable"
    assert Review.objects.count() == 0


def test_a_reason_is_kept_only_for_an_override(clinician, flagged):
    review = record_review(screening_of(flagged), clinician, "accept", "tolerance")
    assert review.override_reason == ""


def test_a_user_who_may_view_but_not_review_gets_403_on_posting(client, flagged):
    viewer = make_staff("viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_intake"))
    login_staff(client, viewer)
    page = client.get(intake_url(flagged))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert post_review(client, flagged, decision="accept").status_code == 403
    assert Review.objects.count() == 0


def test_a_review_is_audited_with_who_and_when(clinician):
    intake = make_intake(FLAG_CASE, name="Audited")
    review = record_review(screening_of(intake), clinician, "accept")
    [entry] = review.history.all()
    assert (entry.history_type, entry.decision, entry.reviewed_by) == ("+", "accept", clinician)
