"""The clinicians' admin: the review queue, the intake page, reviews, the access log, the dashboard.

Intakes are built through the real write path (`import_document`) from the documents in
tests/cases; names, birth dates and submission times are then set on the models.
"""

import datetime
import itertools
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.exchange.imports import import_document
from intake.models import AccessLog, Intake, Review, Screening
from intake.review import dashboard
from intake.review.flag_card import card_summary
from intake.review.recording import AlreadyReviewed, record_review
from tests.conftest import login_staff, make_staff

pytestmark = pytest.mark.django_db

CASES = Path(__file__).resolve().parent.parent / "cases"
FLAG_CASE = "pub-01-oih-hydrocodone"  # flag, 60 MME, alert mme_ge_50
UNIT_ERROR_CASE = "pub-05-unit-error-oih"  # flag, MME not computable, data quality
MISUSE_CASE = "pub-06-oih-with-misuse"  # borderline, misuse signals
NO_DOSE_RESPONSE_CASE = "pub-08-no-dose-response"  # borderline, 80 MME
TOLERANCE_CASE = "pub-02-tolerance-morphine"  # none
QUEUE = reverse("admin:intake_screening_changelist")
DASHBOARD = reverse("admin:intake_screening_dashboard")
_numbers = itertools.count(1)


def make_intake(case, *, reference=None, name="", dob=None, days_ago=0, **answers):
    """A submitted, screened intake from a test case, submitted `days_ago` days ago."""
    document = json.loads((CASES / f"{case}.json").read_text())
    document.update(answers, reference=reference or f"{case}-{next(_numbers)}")
    intake = import_document(document)
    intake.full_name = name
    intake.date_of_birth = dob
    intake.submitted_at = timezone.now() - datetime.timedelta(days=days_ago)
    intake.save(update_fields=["full_name", "date_of_birth", "submitted_at"])
    # Back-dated as if submitted then: the screening keeps its copy of the date.
    intake.screenings.update(intake_submitted_at=intake.submitted_at)
    if intake.patient and name:
        intake.patient.full_name, intake.patient.date_of_birth = name, dob
        intake.patient.save()
    return intake


def screening_of(intake):
    return intake.screenings.get(is_current=True)


def queue_references(response):
    return [screening.intake.clinic_reference for screening in response.context["cl"].result_list]


def intake_url(intake):
    return reverse("admin:intake_intake_change", args=[intake.pk])


@pytest.fixture
def clinician_client(client, clinician):
    login_staff(client, clinician)
    return client


@pytest.fixture
def queue(clinician):
    """Four waiting, two reviewed and one with nothing to review."""
    made = {
        "reviewed-flag": make_intake(FLAG_CASE, reference="reviewed-flag", days_ago=10),
        "reviewed-borderline": make_intake(
            NO_DOSE_RESPONSE_CASE, reference="reviewed-borderline", days_ago=9
        ),
        "flag-old": make_intake(FLAG_CASE, reference="flag-old", name="Ada Lovelace", days_ago=5),
        "borderline-old": make_intake(MISUSE_CASE, reference="borderline-old", days_ago=4),
        "borderline-new": make_intake(
            NO_DOSE_RESPONSE_CASE, reference="borderline-new", days_ago=2
        ),
        "flag-new": make_intake(UNIT_ERROR_CASE, reference="flag-new", days_ago=1),
        "nothing": make_intake(TOLERANCE_CASE, reference="nothing", days_ago=3),
    }
    record_review(screening_of(made["reviewed-flag"]), clinician, "accept")
    record_review(screening_of(made["reviewed-borderline"]), clinician, "follow_up")
    return made


# The queue -------------------------------------------------------------------


def test_queue_puts_unreviewed_flags_first_then_borderline_then_reviewed_oldest_first(
    clinician_client, queue
):
    response = clinician_client.get(QUEUE)
    assert response.status_code == 200
    assert response.context["title"] == "Review queue"
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
        "level",
        "MME/day",
        "alerts",
        "rules version",
        "submitted",
        "review",
    ]
    flag_old = queue["flag-old"]
    assert f'href="{intake_url(flag_old)}?_changelist_filters=' not in content
    assert f'href="{intake_url(flag_old)}"' in content
    assert "Ada Lovelace" in content
    assert "mme_not_computable, data_quality" in content
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
        ({"rules_version": "2026.1", "alert": "data_quality"}, ["flag-new"]),
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
    make_intake(FLAG_CASE, reference="same-patient", days_ago=1)
    assert screening_of(Intake.objects.latest("pk")).is_repeat_of_reviewed is True

    assert queue_references(clinician_client.get(QUEUE)) == ["same-patient"]
    shown = clinician_client.get(QUEUE, {"repeats": "show"})
    # The repeat is unreviewed itself, so it comes first.
    assert [s.is_repeat_of_reviewed for s in shown.context["cl"].result_list] == [True, False]


def test_queue_lists_only_current_screenings(clinician_client, queue):
    old = screening_of(queue["flag-old"])
    Screening.objects.filter(pk=old.pk).update(is_current=False)
    assert "flag-old" not in queue_references(clinician_client.get(QUEUE))


# Every staff request: session, user, the OTP device, two permission lookups, and the
# session renewal (savepoint, update, release) that keeps the 15-minute idle sign-out moving.
PER_REQUEST_QUERIES = 8
# The queue: the planner's row estimate, the exact count (the estimate is small here), the
# rows, and the rules versions for the filter.
QUEUE_QUERIES = PER_REQUEST_QUERIES + 4


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


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:intake_patient_changelist",
        "admin:intake_intake_changelist",
        "admin:intake_review_changelist",
    ],
)
@pytest.mark.parametrize("intakes", [3, 30])
def test_other_lists_have_a_fixed_query_count(clinician_client, clinician, url_name, intakes):
    for number in range(intakes):
        intake = make_intake(FLAG_CASE, name=f"Patient {number}")
        record_review(screening_of(intake), clinician, "accept")
    with CaptureQueriesContext(connection) as queries:
        response = clinician_client.get(reverse(url_name))
    assert response.status_code == 200
    # The queries every staff request makes, one COUNT, the rows.
    assert len(queries) == PER_REQUEST_QUERIES + 2


# The intake page -------------------------------------------------------------


@pytest.fixture
def flagged(content):
    """A second visit for one patient: first with pain in the lower back only."""
    first = make_intake(
        FLAG_CASE,
        reference="clinic-42",
        name="Grace Hopper",
        dob=datetime.date(1960, 12, 9),
        days_ago=60,
        current_pain_sites=["lower_back"],
        pain_score_now=6,
        peg={"pain": 6, "enjoyment": 5, "activity": 4},
    )
    second = make_intake(
        FLAG_CASE, reference="clinic-42", name="Grace Hopper", dob=datetime.date(1960, 12, 9)
    )
    assert second.previous_intake == first
    return second


def test_intake_page_shows_the_card_with_reasons_evidence_and_sources(clinician_client, flagged):
    response = clinician_client.get(intake_url(flagged))
    assert response.status_code == 200
    card = response.context["card"]
    assert card["indicator"] == "warning"
    assert card["summary"] == (
        "OIH pattern to review: pain got worse after the opioid dose was increased "
        "(major feature M1)."
    )
    assert len(card["summary"]) < 140
    assert [reason["code"] for reason in card["reasons"]] == [
        "pain_worse_after_dose_increase",
        "pain_spread",
        "new_allodynia",
        "new_burning_or_diffuse_pain",
        "pain_at_or_above_baseline",
    ]
    assert card["reasons"][0]["evidence"] == [("Pain when dose increased", "My pain got worse")]
    assert card["reasons"][1]["evidence"] == [
        ("Current pain sites", "Lower back, Neck, Left upper arm, Right upper arm"),
        ("New regions since last visit", "Neck, Left upper arm, Right upper arm"),
        ("Original pain sites", "Lower back"),
    ]
    assert card["rules_version"] == "2026.1"
    content = response.content.decode()
    for text in [
        "Pain got worse after the opioid dose was increased (major feature M1).",
        '<span class="oih-key">Pain when dose increased:</span> My pain got worse',
        '<span class="oih-key">Pain score now:</span> 8',
        "Source: Chen L, Mao J et al., Pain 2009;143:65-70 (Table 4); oih-facts section 4",
        "Indicator: warning",
        "Screening rules 2026.1",
        "Estimated 60.0 MME/day is at or above 50, the CDC 2022 pause-and-reassess level.",
    ]:
        assert text in content, text


def test_intake_page_shows_the_visit_and_links_the_previous_one(clinician_client, flagged):
    response = clinician_client.get(intake_url(flagged))
    content = response.content.decode()
    assert "Grace Hopper" in content
    assert "9 Dec 1960" in content
    assert "clinic-42" in content
    assert response.context["history"]["visit_number"] == 2
    previous = flagged.previous_intake
    assert f'href="{intake_url(previous)}">previous visit {previous.reference}</a>' in content
    rows = response.context["history"]["rows"]
    assert [(row["pain_now"], row["peg"], row["is_this_visit"]) for row in rows] == [
        (6, 5.0, False),
        (8, 7.7, True),
    ]
    assert content.count('r="4.5" fill="#c1440e"/>') == 2
    assert "Pain and PEG over visits" in content


def test_intake_page_shows_mme_items_total_and_caveats(clinician_client, flagged):
    response = clinician_client.get(intake_url(flagged))
    medicines = response.context["medicines"]
    assert [(r["name"], r["dose"], r["factor"], r["mme"]) for r in medicines["rows"]] == [
        ("Hydrocodone", "60 mg/day", 1.0, 60.0)
    ]
    assert medicines["total"] == 60.0
    content = response.content.decode()
    for text in [
        "MME figures are estimates only",
        "Do not use them to convert a patient from one opioid to another.",
        "Take extra care with methadone and fentanyl",
        "Buprenorphine has no MME factor: it is shown, not added to the total.",
        "Total MME/day",
    ]:
        assert text in content, text


def test_buprenorphine_is_shown_but_not_added(clinician_client):
    intake = make_intake(
        FLAG_CASE,
        opioids=[
            {
                "name": "hydrocodone",
                "formulation": "immediate_release",
                "daily_dose": 60,
                "unit": "mg/day",
            },
            {
                "name": "buprenorphine",
                "formulation": "sublingual",
                "daily_dose": 8,
                "unit": "mg/day",
            },
        ],
    )
    medicines = clinician_client.get(intake_url(intake)).context["medicines"]
    assert [(r["name"], r["mme"], r["note"]) for r in medicines["rows"]] == [
        ("Hydrocodone", 60.0, ""),
        ("Buprenorphine", None, "No MME factor: shown, not added"),
    ]
    assert medicines["total"] == 60.0


def test_intake_page_shows_the_body_map_with_new_sites(clinician_client, flagged):
    response = clinician_client.get(intake_url(flagged))
    content = response.content.decode()
    assert "css/body_map.css" in content
    assert '<figure class="bm-picture">' in content
    assert response.context["new_sites"] == ["neck", "left_upper_arm", "right_upper_arm"]
    assert "<strong>New since last visit:</strong> Neck, Right upper arm, Left upper arm" in content
    assert content.count('data-region="neck"') == 2  # hurts now, and new
    assert "<strong>Where pain started:</strong> Lower back" in content


def test_intake_page_lists_the_articles_the_patient_was_offered(clinician_client, flagged):
    response = clinician_client.get(intake_url(flagged))
    assert [(a["title"], a["url"]) for a in response.context["articles"]] == [
        ("What is opioid-induced hyperalgesia?", "/learn/what-is-oih/"),
        ("How OIH is managed", "/learn/managing-oih/"),
        ("Signs to tell your clinician", "/learn/signs-of-oih/"),
        ("Is it OIH or tolerance?", "/learn/oih-or-tolerance/"),
    ]
    content = response.content.decode()
    assert '<a href="/learn/what-is-oih/">What is opioid-induced hyperalgesia?</a>' in content


def test_intake_page_shows_all_answers(clinician_client, flagged):
    content = clinician_client.get(intake_url(flagged)).content.decode()
    for text in [
        "About the patient",
        "Opioids over time",
        "Dose changes and your pain",
        "Where it hurts",
        "How it hurts",
        "Other questions",
        '<th scope="row">When the dose went up</th><td>My pain got worse</td>',
    ]:
        assert text in content, text


def test_viewing_an_intake_writes_exactly_one_access_log_row(clinician_client, clinician, flagged):
    url = intake_url(flagged)
    clinician_client.get(url)
    assert list(AccessLog.objects.values_list("user", "intake", "action", "path")) == [
        (clinician.pk, flagged.pk, "view", url)
    ]


def test_viewing_a_screening_detail_writes_one_access_log_row(clinician_client, clinician, flagged):
    url = reverse("admin:intake_screening_change", args=[screening_of(flagged).pk])
    assert clinician_client.get(url).status_code == 200
    assert list(AccessLog.objects.values_list("user", "intake", "action", "path")) == [
        (clinician.pk, flagged.pk, "view", url)
    ]


def test_an_intake_without_a_flag_shows_no_card_and_no_form(clinician_client):
    intake = make_intake(TOLERANCE_CASE)
    response = clinician_client.get(intake_url(intake))
    assert response.context["card"] is None
    assert response.context["form"] is None
    assert "No OIH pattern to review" in response.content.decode()


def test_unfinished_intakes_are_not_shown(clinician_client):
    unfinished = Intake(full_name="Not Yet")
    unfinished.issue_resume_secrets()
    unfinished.save()
    response = clinician_client.get(intake_url(unfinished))
    assert response.status_code == 302
    assert AccessLog.objects.count() == 0


# The access log --------------------------------------------------------------


def test_access_log_is_for_superusers_only(client, clinician, superuser, flagged):
    login_staff(client, clinician)
    client.get(intake_url(flagged))
    log = AccessLog.objects.get()
    urls = [
        reverse("admin:intake_accesslog_changelist"),
        reverse("admin:intake_accesslog_change", args=[log.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [403, 403]
    index = client.get(reverse("admin:index"))
    assert "accesslog" not in index.content.decode()

    login_staff(client, superuser)
    response = client.get(urls[0])
    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [log.pk]
    assert client.get(urls[1]).status_code == 200
    assert client.get(reverse("admin:intake_accesslog_add")).status_code == 403
    assert client.post(reverse("admin:intake_accesslog_delete", args=[log.pk])).status_code == 403
    assert AccessLog.objects.filter(pk=log.pk).exists()


# The review ------------------------------------------------------------------


def post_review(client, intake, **data):
    screening = screening_of(intake)
    return client.post(intake_url(intake), {"screening": screening.pk, "note": "", **data})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


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
        ({}, "decision", "This field is required."),
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


def test_card_summary_stays_under_140_characters():
    long_reason = [{"summary": "Pain " + "spread " * 40 + "everywhere."}]
    summary = card_summary("borderline", long_reason)
    assert len(summary) < 140
    assert summary.startswith("Partial OIH pattern (borderline, lower priority): pain spread")
    assert summary.endswith("…")
    assert card_summary("flag", []) == "OIH pattern to review."


def test_borderline_card_is_info(clinician_client):
    intake = make_intake(MISUSE_CASE)
    card = clinician_client.get(intake_url(intake)).context["card"]
    assert card["indicator"] == "info"
    assert card["reasons"][-1]["evidence"] == [
        (
            "Signs of misuse",
            "I have asked for a refill early, I have taken more than my prescription says",
        )
    ]


def test_a_user_who_may_view_but_not_review_gets_403_on_posting(client, flagged):
    viewer = make_staff("viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_intake"))
    login_staff(client, viewer)
    page = client.get(intake_url(flagged))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert post_review(client, flagged, decision="accept").status_code == 403
    assert Review.objects.count() == 0


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


# Who may see what ------------------------------------------------------------


def intake_admin_urls(intake):
    screening = screening_of(intake)
    patient = intake.patient
    return [
        reverse("admin:intake_screening_changelist"),
        reverse("admin:intake_screening_change", args=[screening.pk]),
        reverse("admin:intake_screening_history", args=[screening.pk]),
        reverse("admin:intake_screening_dashboard"),
        reverse("admin:intake_intake_changelist"),
        reverse("admin:intake_intake_change", args=[intake.pk]),
        reverse("admin:intake_intake_history", args=[intake.pk]),
        reverse("admin:intake_intake_delete", args=[intake.pk]),
        reverse("admin:intake_patient_changelist"),
        reverse("admin:intake_patient_change", args=[patient.pk]),
        reverse("admin:intake_review_changelist"),
        reverse("admin:intake_accesslog_changelist"),
    ]


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
        "Review",
        "Screening",
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, flagged):
    for url in intake_admin_urls(flagged):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url
    assert AccessLog.objects.count() == 0


# The dashboard ---------------------------------------------------------------


@pytest.fixture
def reviewed(clinician):
    """Four reviewed screenings and one still waiting, over three weeks."""
    now = timezone.now()
    accepted = make_intake(FLAG_CASE, days_ago=0)
    data_error = make_intake(UNIT_ERROR_CASE, days_ago=7)
    misuse = make_intake(MISUSE_CASE, days_ago=7)
    follow_up = make_intake(NO_DOSE_RESPONSE_CASE, days_ago=14)
    make_intake(FLAG_CASE, days_ago=0)
    make_intake(TOLERANCE_CASE, days_ago=0)
    record_review(screening_of(accepted), clinician, "accept")
    record_review(screening_of(data_error), clinician, "override", "data_error")
    record_review(screening_of(misuse), clinician, "override", "opioid_use_disorder")
    record_review(screening_of(follow_up), clinician, "follow_up")
    return now


EXPECTED_RATES = [
    ("misuse_signals_present", 1, 0, 1, 0, 100.0),
    ("pain_worse_after_dose_increase", 3, 1, 2, 0, 66.7),
    ("new_allodynia", 4, 1, 2, 1, 50.0),
    ("new_burning_or_diffuse_pain", 4, 1, 2, 1, 50.0),
    ("pain_at_or_above_baseline", 4, 1, 2, 1, 50.0),
    ("pain_spread", 4, 1, 2, 1, 50.0),
    ("no_dose_response_information", 1, 0, 0, 1, 0.0),
]


def test_override_rates_per_rule_are_exact_and_noisiest_first(reviewed):
    rates = dashboard.override_rates()
    assert [
        (r["code"], r["reviews"], r["accepted"], r["overridden"], r["follow_up"], r["percent"])
        for r in rates
    ] == EXPECTED_RATES


def test_weekly_counts_by_level_and_review_status(reviewed):
    weeks = dashboard.weekly_counts(timezone.localdate(reviewed))
    assert len(weeks) == 12
    columns = ("flag", "borderline", "unreviewed", "accepted", "overridden", "follow_up")
    assert [tuple(week[c] for c in columns) for week in weeks[-3:]] == [
        (0, 1, 0, 0, 0, 1),
        (1, 1, 0, 0, 2, 0),
        (2, 0, 1, 1, 0, 0),
    ]
    assert all(week["total"] == 0 for week in weeks[:-3])
    assert weeks[-1]["week"].weekday() == 0


def test_dashboard_page_shows_the_numbers_to_clinicians(clinician_client, reviewed):
    response = clinician_client.get(DASHBOARD)
    assert response.status_code == 200
    assert [
        (r["code"], r["reviews"], r["overridden"], r["percent"]) for r in response.context["rates"]
    ] == [(code, n, o, p) for code, n, _, o, _, p in EXPECTED_RATES]
    content = response.content.decode()
    assert "<code>misuse_signals_present</code>" in content
    assert '<td class="oih-number">66.7%</td>' in content
    assert content.count('fill="#b35900"/>') == 1 + 2  # the key, then two weeks with flags
    assert content.count('stroke="#0063a6" stroke-width="1"/>') == 2  # two with borderline
    assert 'id="weekly-table"' in content


def test_intake_page_query_count_does_not_grow_with_the_visits(clinician_client):
    counts = []
    for visits in (1, 3):
        for number in range(visits):
            latest = make_intake(
                FLAG_CASE,
                reference=f"visits-{visits}",
                name=f"Visits {visits}",
                days_ago=30 * (visits - number),
            )
        with CaptureQueriesContext(connection) as queries:
            response = clinician_client.get(reverse("admin:intake_intake_change", args=[latest.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_large_queue_is_counted_from_the_planners_estimate(clinician_client, monkeypatch):
    from intake.review.paginator import EstimatedCountPaginator

    for number in range(3):
        make_intake(FLAG_CASE, name=f"Patient {number}")
    monkeypatch.setattr(EstimatedCountPaginator, "ESTIMATE_ABOVE", 0)
    with CaptureQueriesContext(connection) as queries:
        response = clinician_client.get(QUEUE)
    assert not any("COUNT(" in q["sql"] for q in queries.captured_queries)
    assert response.context["cl"].result_count >= 1
    assert len(response.context["cl"].result_list) == 3


def test_a_review_is_audited_with_who_and_when(clinician):
    intake = make_intake(FLAG_CASE, name="Audited")
    review = record_review(screening_of(intake), clinician, "accept")
    [entry] = review.history.all()
    assert (entry.history_type, entry.decision, entry.reviewed_by) == ("+", "accept", clinician)
