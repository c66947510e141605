"""The intake page of an intake that needs a clinician for its alerts: the alert cards, the
notes, the MME items, and one review covering the OIH result and the alerts; amending a
review, assigning an item, and the previous visit's review (issues 10 and 16)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from intake.models import Review, Screening
from intake.review.recording import amend_review, record_review
from tests.helpers import confirm_returning_patient
from tests.intake.review.helpers import (
    FLAG_CASE,
    HIGH_DOSE_ONLY,
    INTAKE_PAGE_QUERIES,
    MISUSE_CASE,
    QUEUE,
    TOLERANCE_CASE,
    URGENT_ONLY,
    intake_url,
    make_alert_only,
    make_intake,
    messages_of,
    screening_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def urgent(content):
    return make_alert_only(URGENT_ONLY, reference="clinic-9", name="Mary Seacole")


def test_an_urgent_only_intake_shows_its_alert_as_an_urgent_card(clinician_client, urgent):
    response = clinician_client.get(intake_url(urgent))
    assert response.status_code == 200
    assert response.context["card"] is None
    [card] = response.context["alert_cards"]
    assert (card["code"], card["indicator"], card["heading"], card["is_urgent"]) == (
        "withdrawal_after_dose_cut",
        "critical",
        "Withdrawal after a dose cut: urgent",
        True,
    )
    content = response.content.decode()
    assert 'class="oih-card oih-card-critical oih-alert-card"' in content
    assert '<span class="oih-badge oih-badge-critical">Urgent</span>' in content
    assert "Withdrawal after a dose cut: urgent</h2>" in content
    assert "Nothing to review at this visit." not in content
    assert "The alerts above still need a review." in content
    form = response.context["form"]
    assert sorted(form.fields) == ["action", "note", "screening"]
    assert form.fields["action"].label == "What was done"


def test_alert_cards_come_urgent_first_then_warnings_then_information(clinician_client):
    intake = make_alert_only(
        {**URGENT_ONLY, **HIGH_DOSE_ONLY, "signs_of_misuse": ["craving"]}, reference="many"
    )
    cards = clinician_client.get(intake_url(intake)).context["alert_cards"]
    assert [(card["indicator"], card["heading"]) for card in cards] == [
        ("critical", "Withdrawal after a dose cut: urgent"),
        ("warning", "MME 120/day: 90 or more, avoid or justify"),
        ("warning", "Misuse signals: OUD assessment"),
        ("info", "MME 50 or more: pause and reassess"),
    ]


def test_nothing_to_review_only_when_there_is_truly_nothing(clinician_client):
    intake = make_intake(TOLERANCE_CASE)
    response = clinician_client.get(intake_url(intake))
    assert [card["indicator"] for card in response.context["alert_cards"]] == ["info"]
    assert response.context["form"] is None
    assert response.context["assign_form"] is None
    assert "Nothing to review at this visit." in response.content.decode()


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"action": "contacted_patient"}, "Contacted the patient"),
        ({"action": "no_action", "note": "Taper paused by the GP yesterday."}, "No action"),
    ],
)
def test_a_clinician_reviews_an_alert_only_intake(
    clinician_client, clinician, urgent, data, status
):
    screening = screening_of(urgent)
    response = clinician_client.post(
        intake_url(urgent), {"screening": screening.pk, "note": "", **data}
    )
    assert response.status_code == 302
    assert response.url == QUEUE
    review = Review.objects.get()
    assert (review.screening, review.decision, review.action, review.reviewed_by) == (
        screening,
        "",
        data["action"],
        clinician,
    )
    assert messages_of(response) == [f"Review recorded for {urgent.reference}: {status}."]
    assert Screening.objects.get(pk=screening.pk).is_reviewed is True


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({}, "action", "Say what was done about the alerts."),
        ({"action": "no_action"}, "note", "Add a note saying why no action is taken."),
        ({"action": "called"}, "action", None),
    ],
)
def test_an_alert_review_without_what_was_done_is_refused_at_the_field(
    clinician_client, urgent, data, field, error
):
    response = clinician_client.post(
        intake_url(urgent), {"screening": screening_of(urgent).pk, "note": "", **data}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if error:
        assert errors[field] == [error]
    assert Review.objects.count() == 0


def test_a_flag_with_warning_alerts_needs_a_conclusion_and_what_was_done(clinician):
    screening = screening_of(make_intake(MISUSE_CASE))
    with pytest.raises(ValidationError) as refused:
        record_review(screening, clinician, "accept")
    assert [e.code for e in refused.value.error_dict["action"]] == ["action_needed"]
    with pytest.raises(ValidationError) as refused:
        record_review(screening, clinician, action="contacted_patient")
    assert [e.code for e in refused.value.error_dict["decision"]] == ["decision_needed"]
    review = record_review(screening, clinician, "follow_up", action="discuss_at_visit")
    assert (review.decision, review.action) == ("follow_up", "discuss_at_visit")


def test_a_decision_is_not_kept_where_there_is_no_oih_level(clinician, urgent):
    review = record_review(screening_of(urgent), clinician, "accept", action="contacted_patient")
    assert (review.decision, review.action) == ("", "contacted_patient")


def test_the_page_shows_notes_on_answers_that_disagree(clinician_client):
    intake = make_intake(FLAG_CASE, current_pain_sites=[], reference="no-sites")
    response = clinician_client.get(intake_url(intake))
    assert [(n["code"], n["summary"]) for n in response.context["notes"]] == [
        ("pain_without_sites", "Pain now is 8/10, but no current pain sites are marked.")
    ]
    content = response.content.decode()
    assert "Answers that disagree" in content
    assert '<span class="oih-key">Pain score now:</span> 8' in content


def test_the_page_shows_which_mme_items_are_added_and_a_lower_bound(clinician_client):
    intake = make_intake("pub-11-unknown-opioid-lower-bound")
    response = clinician_client.get(intake_url(intake))
    medicines = response.context["medicines"]
    assert [(r["generic"], r["mme"], r["note"]) for r in medicines["rows"]] == [
        ("Other", None, "Not converted: check the dose unit or form"),
        ("Morphine", 80.0, "Yes"),
    ]
    assert (medicines["total"], medicines["is_lower_bound"]) == (80.0, True)
    content = response.content.decode()
    assert "at least 80.0" in content
    assert "A lower bound: an item could not be converted" in content


def test_a_review_can_be_amended_and_the_first_stays_in_the_history(
    clinician_client, clinician, urgent
):
    first = record_review(screening_of(urgent), clinician, action="discuss_at_visit")
    page = clinician_client.get(intake_url(urgent))
    assert page.context["form"] is None
    assert "Amend this review" in page.content.decode()
    amending = clinician_client.get(intake_url(urgent) + "?amend=1")
    assert amending.context["form"].initial["action"] == "discuss_at_visit"

    response = clinician_client.post(
        intake_url(urgent) + "?amend=1",
        {
            "screening": screening_of(urgent).pk,
            "intent": "amend",
            "action": "contacted_patient",
            "note": "Phoned: taper slowed.",
        },
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        f"Review amended for {urgent.reference}: Contacted the patient."
    ]
    review = Review.objects.get()
    assert review.pk == first.pk
    assert (review.action, review.note) == ("contacted_patient", "Phoned: taper slowed.")
    assert review.amended_at is not None
    assert [
        (h.history_type, h.action, h.note) for h in review.history.order_by("history_date")
    ] == [
        ("+", "discuss_at_visit", ""),
        ("~", "contacted_patient", "Phoned: taper slowed."),
    ]
    content = clinician_client.get(intake_url(urgent)).content.decode()
    assert "Earlier versions (1)" in content
    assert "Will discuss at the visit" in content
    assert "Amended by clinician on" in content


def test_amend_review_holds_the_same_rules(clinician, urgent):
    review = record_review(screening_of(urgent), clinician, action="contacted_patient")
    with pytest.raises(ValidationError):
        amend_review(review, clinician, action="no_action")
    review.refresh_from_db()
    assert (review.action, review.amended_at) == ("contacted_patient", None)


def test_an_item_is_assigned_to_a_clinician_and_keeps_it_when_rescreened(
    clinician_client, clinician, urgent
):
    from intake.submission import record_screening

    response = clinician_client.post(
        intake_url(urgent), {"intent": "assign", "assigned_to": clinician.pk}
    )
    assert response.status_code == 302
    assert messages_of(response) == [f"{urgent.reference} is assigned to clinician."]
    screening = screening_of(urgent)
    assert screening.assigned_to == clinician
    again = record_screening(urgent, screening.result, cause=Screening.Cause.RESCREEN)
    assert again.assigned_to_id == clinician.pk
    page = clinician_client.get(intake_url(urgent))
    assert page.context["assign_form"].initial == {"assigned_to": clinician.pk, "handoff_note": ""}


def test_assigning_to_someone_who_is_not_a_clinician_is_refused(clinician_client, editor, urgent):
    response = clinician_client.post(
        intake_url(urgent), {"intent": "assign", "assigned_to": editor.pk}
    )
    assert messages_of(response) == ["Choose a clinician from the list."]
    assert screening_of(urgent).assigned_to is None


def test_the_previous_visits_review_is_shown_on_the_next_visit(clinician_client, clinician):
    dob = datetime.date(1955, 3, 1)
    first = make_intake(FLAG_CASE, reference="clinic-77", name="Ida Wells", dob=dob, days_ago=40)
    record_review(screening_of(first), clinician, "follow_up", note="Recheck in 6 weeks.")
    second = confirm_returning_patient(
        make_intake(FLAG_CASE, reference="clinic-77", name="Ida Wells", dob=dob, pain_score_now=9)
    )
    assert second.previous_intake == first
    response = clinician_client.get(intake_url(second))
    [earlier] = response.context["earlier_reviews"]
    assert (earlier.decision, earlier.note) == ("follow_up", "Recheck in 6 weeks.")
    content = response.content.decode()
    assert "Earlier reviews" in content
    assert f'Previous visit <a href="{intake_url(first)}">{first.reference}</a>' in content
    assert "Recheck in 6 weeks." in content


def test_a_reviewed_alert_is_not_raised_again_unless_its_evidence_changed(clinician):
    first = make_alert_only(HIGH_DOSE_ONLY, reference="clinic-5", days_ago=30)
    record_review(screening_of(first), clinician, action="discuss_at_visit")
    same = confirm_returning_patient(
        make_alert_only(HIGH_DOSE_ONLY, reference="clinic-5", days_ago=10)
    )
    higher = make_alert_only(
        {
            "opioids": [
                {
                    "name": "morphine",
                    "formulation": "extended_release",
                    "daily_dose": 150,
                    "unit": "mg/day",
                }
            ]
        },
        reference="clinic-5",
    )
    higher = confirm_returning_patient(higher)
    assert screening_of(same).is_repeat_of_reviewed is True
    assert screening_of(higher).is_repeat_of_reviewed is False
    waiting = Screening.objects.needing_review().filter(is_repeat_of_reviewed=False)
    assert list(waiting.filter(is_reviewed=False)) == [screening_of(higher)]


def test_the_reviewed_filter_finds_alert_only_reviews(clinician_client, clinician, urgent):
    flag = make_intake(FLAG_CASE, reference="flag")
    record_review(screening_of(urgent), clinician, action="contacted_patient")
    record_review(screening_of(flag), clinician, "accept")
    response = clinician_client.get(QUEUE, {"review": "reviewed"})
    assert [s.intake_id for s in response.context["cl"].result_list] == [urgent.pk]
    content = clinician_client.get(QUEUE).content.decode()
    assert "Reviewed (contacted the patient)" in content


@pytest.mark.parametrize("amendments", [1, 3])
def test_an_amended_review_adds_one_query_however_often_amended(
    clinician_client, clinician, urgent, django_assert_num_queries, amendments
):
    review = record_review(screening_of(urgent), clinician, action="discuss_at_visit")
    with django_assert_num_queries(INTAKE_PAGE_QUERIES):
        clinician_client.get(intake_url(urgent))
    for number in range(amendments):
        amend_review(review, clinician, action="contacted_patient", note=f"Call {number}")
    # The review's earlier versions, in one query.
    with django_assert_num_queries(INTAKE_PAGE_QUERIES + 1):
        response = clinician_client.get(intake_url(urgent))
    assert len(response.context["review_history"]) == amendments
