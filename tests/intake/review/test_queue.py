"""The review queue: its order, columns, filters, search, query counts, and that it is read-only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import Intake, Screening
from intake.review.recording import record_review
from tests.helpers import confirm_returning_patient, login_staff
from tests.intake.review.helpers import (
    FLAG_CASE,
    MISUSE_CASE,
    QUEUE,
    QUEUE_QUERIES,
    UNIT_ERROR_CASE,
    intake_url,
    make_intake,
    queue_references,
    screening_of,
)

pytestmark = pytest.mark.django_db


def test_queue_puts_unreviewed_flags_first_then_borderline_then_reviewed_oldest_first(
    clinician_client, queue
):
    response = clinician_client.get(QUEUE)
    assert response.status_code == 200
    assert response.context["title"] == "Worklist"
    assert queue_references(response) == [
        "flag-old",
        "flag-new",
        "borderline-old",
        "borderline-new",
        "reviewed-flag",
        "reviewed-borderline",
    ]


def test_queue_rows_show_the_columns_and_open_the_intake_page(clinician_client, queue):
    response = clinician_client.get(QUEUE)
    content = response.content.decode()
    headers = [header["text"] for header in response.context["result_headers"]]
    assert headers == [
        "intake",
        "patient",
        "MRN",
        "age",
        "what needs a look",
        "OIH level",
        "MME/day",
        "submitted",
        "assigned to",
        "review",
    ]
    flag_old = queue["flag-old"]
    assert f'href="{intake_url(flag_old)}?_changelist_filters=' not in content
    assert f'href="{intake_url(flag_old)}"' in content
    assert "Ada Lovelace" in content
    assert (
        "<li>OIH pattern: review the flag</li><li>MME not computed: check the medicines entered</li>"
        in content
    )
    assert "mme_not_computable, data_quality" not in content
    assert "Needs follow-up" in content
    assert "Unreviewed" in content
    assert reverse("admin:intake_screening_dashboard") in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"level": "flag"}, ["flag-old", "flag-new", "reviewed-flag"]),
        ({"level": "borderline"}, ["borderline-old", "borderline-new", "reviewed-borderline"]),
        ({"alert": "misuse_signals"}, ["borderline-old"]),
        ({"alert": "data_quality"}, ["flag-new"]),
        (
            {"alert": "mme_ge_50"},
            [
                "flag-old",
                "borderline-old",
                "borderline-new",
                "reviewed-flag",
                "reviewed-borderline",
            ],
        ),
        ({"review": "unreviewed"}, ["flag-old", "flag-new", "borderline-old", "borderline-new"]),
        ({"review": "accept"}, ["reviewed-flag"]),
        ({"review": "follow_up"}, ["reviewed-borderline"]),
        ({"review": "override"}, []),
        ({"level": "flag", "review": "unreviewed"}, ["flag-old", "flag-new"]),
        ({"rules_version": "2026.3", "alert": "data_quality"}, ["flag-new"]),
        ({"rules_version": "1999.1"}, []),
    ],
)
def test_queue_filters_return_exactly_the_matching_intakes(
    clinician_client, queue, query, expected
):
    response = clinician_client.get(QUEUE, query)
    assert response.status_code == 200
    assert queue_references(response) == expected


def test_queue_rows_keep_the_filters_for_the_way_back(clinician_client, queue):
    content = clinician_client.get(QUEUE, {"level": "flag"}).content.decode()
    url = intake_url(queue["flag-old"])
    assert f'href="{url}?_changelist_filters=level%3Dflag"' in content


def test_queue_filters_by_submission_date(clinician_client, queue):
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    since = str(midnight - datetime.timedelta(days=2))
    response = clinician_client.get(QUEUE, {"intake_submitted_at__gte": since})
    assert queue_references(response) == ["flag-new", "borderline-new"]


@pytest.mark.parametrize(
    ("term", "expected"),
    [("lovelace", ["flag-old"]), ("borderline-new", ["borderline-new"]), ("nobody", [])],
)
def test_queue_searches_by_name_and_clinic_reference(clinician_client, queue, term, expected):
    assert queue_references(clinician_client.get(QUEUE, {"q": term})) == expected


def test_queue_searches_by_intake_reference(clinician_client, queue):
    reference = queue["flag-new"].reference
    assert queue_references(clinician_client.get(QUEUE, {"q": reference})) == ["flag-new"]


def test_queue_hides_repeats_of_reviewed_evidence_unless_asked(clinician_client, clinician):
    first = make_intake(FLAG_CASE, reference="same-patient", days_ago=30)
    record_review(screening_of(first), clinician, "accept")
    # The same clinic number only suggests the same patient; a clinician confirms it.
    confirm_returning_patient(make_intake(FLAG_CASE, reference="same-patient", days_ago=1))
    assert screening_of(Intake.objects.latest("pk")).is_repeat_of_reviewed is True

    assert queue_references(clinician_client.get(QUEUE)) == ["same-patient"]
    shown = clinician_client.get(QUEUE, {"repeats": "show"})
    # The repeat is unreviewed itself, so it comes first.
    assert [s.is_repeat_of_reviewed for s in shown.context["cl"].result_list] == [True, False]


def test_queue_lists_only_current_screenings(clinician_client, queue):
    old = screening_of(queue["flag-old"])
    Screening.objects.filter(pk=old.pk).update(is_current=False)
    assert "flag-old" not in queue_references(clinician_client.get(QUEUE))


@pytest.mark.parametrize("intakes", [3, 30])
def test_queue_query_count_does_not_grow_with_the_rows(
    clinician_client, django_assert_num_queries, intakes
):
    for number in range(intakes):
        make_intake([FLAG_CASE, MISUSE_CASE, UNIT_ERROR_CASE][number % 3], name=f"Patient {number}")
    with django_assert_num_queries(QUEUE_QUERIES):
        response = clinician_client.get(QUEUE)
    assert len(response.context["cl"].result_list) == intakes


def test_queue_is_read_only_for_everyone(client, superuser, queue):
    login_staff(client, superuser)
    screening = screening_of(queue["flag-old"])
    assert client.get(reverse("admin:intake_screening_add")).status_code == 403
    assert (
        client.post(reverse("admin:intake_screening_delete", args=[screening.pk])).status_code
        == 403
    )
    response = client.get(reverse("admin:intake_screening_change", args=[screening.pk]))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["has_delete_permission"] is False


def test_a_long_queue_is_counted_from_the_planners_estimate_with_the_same_queries(
    clinician_client, django_assert_num_queries, monkeypatch
):
    from intake.review.paginator import EstimatedCountPaginator

    for number in range(3):
        make_intake(FLAG_CASE, name=f"Patient {number}")
    clinician_client.get(QUEUE)  # the filter's rules versions, cached from here on
    with django_assert_num_queries(QUEUE_QUERIES - 1):
        exact = clinician_client.get(QUEUE)
    assert exact.context["cl"].result_count == 3
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_UP_TO", 1)
    # Past the exact part: the planner's estimate, never fewer than were counted, and the
    # same queries as a short queue.
    with django_assert_num_queries(QUEUE_QUERIES - 1) as queries:
        response = clinician_client.get(QUEUE)
    assert any(q["sql"].startswith("EXPLAIN") for q in queries.captured_queries)
    assert response.context["cl"].result_count >= 2
    assert len(response.context["cl"].result_list) == 3
