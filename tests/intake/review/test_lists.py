"""The patients, intakes and reviews lists: read-only, searchable, a fixed query count."""

import pytest
from django.urls import reverse

from intake.review.recording import record_review
from tests.intake.review.helpers import (
    FLAG_CASE,
    PER_REQUEST_QUERIES,
    make_intake,
    screening_of,
)

pytestmark = pytest.mark.django_db


def test_reviews_list_is_read_only(clinician_client, clinician, flagged):
    review = record_review(screening_of(flagged), clinician, "accept")
    response = clinician_client.get(reverse("admin:intake_review_changelist"))
    assert [row.pk for row in response.context["cl"].result_list] == [review.pk]
    assert clinician_client.get(reverse("admin:intake_review_add")).status_code == 403
    detail = clinician_client.get(reverse("admin:intake_review_change", args=[review.pk]))
    assert detail.context["has_change_permission"] is False


def test_patients_list_is_read_only_and_searchable(clinician_client, flagged):
    url = reverse("admin:intake_patient_changelist")
    response = clinician_client.get(url, {"q": "hopper"})
    assert [(p.full_name, p.visits) for p in response.context["cl"].result_list] == [
        ("Grace Hopper", 2)
    ]
    assert clinician_client.get(url, {"q": "lovelace"}).context["cl"].result_list.count() == 0
    assert clinician_client.get(reverse("admin:intake_patient_add")).status_code == 403


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:intake_patient_changelist",
        "admin:intake_intake_changelist",
        "admin:intake_review_changelist",
    ],
)
@pytest.mark.parametrize("intakes", [3, 30])
def test_other_lists_have_a_fixed_query_count(
    clinician_client, clinician, django_assert_num_queries, url_name, intakes
):
    for number in range(intakes):
        intake = make_intake(FLAG_CASE, name=f"Patient {number}")
        record_review(screening_of(intake), clinician, "accept")
    # The queries every staff request makes, one COUNT, the rows, the access log's row.
    with django_assert_num_queries(PER_REQUEST_QUERIES + 3):
        response = clinician_client.get(reverse(url_name))
    assert response.status_code == 200
