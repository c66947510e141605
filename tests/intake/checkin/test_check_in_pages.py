"""The patient's check-in pages: the private link, saving as they go, kind errors, expiry."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone, translation

from intake import check_ins
from intake.check_ins import CHECK_IN_STEPS
from intake.models import FollowUp, Intake
from intake.review.follow_up import start_follow_up
from tests.helpers import in_language, mentions, words_shown
from tests.intake.checkin.helpers import (
    PLAN_WITHOUT_DOSE_CHANGE,
    WITHDRAWAL_CHECK_IN,
    check_in,
    make_first_visit,
)
from tests.intake.journey import post

pytestmark = pytest.mark.django_db
PLAN = PLAN_WITHOUT_DOSE_CHANGE


@pytest.fixture
def follow_up(clinician):
    follow_up, token = start_follow_up(make_first_visit(), clinician, PLAN)
    return follow_up, f"/intake/check-in/link/{token}/"


def test_the_link_becomes_a_session_and_a_clean_address(client, follow_up):
    _, link = follow_up
    response = client.get(link)
    assert (response.status_code, response.url) == (302, "/intake/check-in/")
    page = client.get("/intake/check-in/")
    assert page.status_code == 200
    assert "Start my check-in" in page.content.decode()
    # Another browser without the link gets nothing.
    assert Client().get("/intake/check-in/").status_code == 410


def test_a_wrong_or_ended_link_opens_nothing(client, follow_up):
    record, link = follow_up
    assert client.get("/intake/check-in/link/not-the-token/").status_code == 410
    FollowUp.objects.filter(pk=record.pk).update(ends_at=timezone.now())
    assert client.get(link).status_code == 410
    assert Intake.objects.filter(kind="check_in").count() == 0


def test_answers_are_saved_page_by_page_and_doses_are_pre_filled(client, follow_up):
    _, link = follow_up
    client.get(link)
    post(client, "/intake/check-in/")
    assert post(client, "/intake/check-in/pain/", {"pain_score_now": "7"}).url == (
        "/intake/check-in/peg/"
    )
    saved = Intake.objects.get(kind="check_in")
    own_steps = [step for step in saved.completed_steps if step in CHECK_IN_STEPS]
    assert (saved.pain_score_now, own_steps, saved.status) == (
        7,
        ["pain"],
        "in_progress",
    )
    doses = client.get("/intake/check-in/doses/").content.decode()
    assert 'value="120"' in doses
    # Coming back later with the link finds the same check-in, where it was left.
    other = Client()
    other.get(link)
    assert post(other, "/intake/check-in/").url == "/intake/check-in/peg/"
    assert Intake.objects.filter(kind="check_in").count() == 1


@pytest.mark.parametrize("dose", ["", "abc", "-5", "0", "99999", "NaN"])
def test_a_bad_dose_gets_a_kind_message_and_changes_nothing(client, follow_up, dose):
    _, link = follow_up
    client.get(link)
    post(client, "/intake/check-in/")
    check_in_intake = Intake.objects.get(kind="check_in")
    medicine = check_in_intake.medicines.get()
    response = post(client, "/intake/check-in/doses/", {f"dose_{medicine.pk}": dose})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"dose_{medicine.pk}": ["Enter the amount as a number, like 40, or tick that you stopped."]
    }
    medicine.refresh_from_db()
    assert medicine.daily_dose == 120


@pytest.mark.parametrize("language", ["en", "es"])
def test_three_missing_peg_numbers_are_three_different_messages(client, follow_up, language):
    """The error list names each of the three questions, as the first visit's does: three
    times the same "Choose a number from 0 to 10" did not say which one was missing."""
    _, link = follow_up
    client.get(link)
    post(client, "/intake/check-in/")
    post(client, "/intake/check-in/pain/", {"pain_score_now": "7"})
    with translation.override(language):
        page = post(client, in_language("/intake/check-in/peg/", language))
        expected = [
            translation.gettext(message)
            for message in (
                "Choose a number from 0 to 10 for your average pain.",
                "Choose a number from 0 to 10 for enjoying life.",
                "Choose a number from 0 to 10 for daily activities.",
            )
        ]
        errors = page.context["form"].errors
        shown = [errors[name][0] for name in ("peg_pain", "peg_enjoyment", "peg_activity")]
    assert shown == expected
    assert len(set(expected)) == 3
    for message in expected:
        assert message in page.content.decode()


def test_a_stopped_medicine_is_removed(client, follow_up):
    _, link = follow_up
    client.get(link)
    post(client, "/intake/check-in/")
    medicine = Intake.objects.get(kind="check_in").medicines.get()
    post(client, "/intake/check-in/doses/", {f"stopped_{medicine.pk}": "on"})
    assert Intake.objects.get(kind="check_in").medicines.count() == 0


def test_the_patient_never_sees_a_flag_or_mme(client, follow_up, clinician):
    _, link = follow_up
    sent = check_in(client, link, WITHDRAWAL_CHECK_IN)
    # No change was planned, so the cut's date is unknown: its window runs from this check-in,
    # where it was first seen (follow-up ruling F3), and the urgent alert is raised.
    assert sent.weeks_since_last_dose_change == 0
    assert sent.screenings.get().alert_codes == ["mme_ge_50", "withdrawal_after_dose_cut"]
    shown = words_shown(client.get("/intake/check-in/done/").content.decode())
    for word in ("flag", "MME", "borderline", "hyperalgesia", "withdrawal window"):
        assert not mentions(shown, word)


def test_a_check_in_records_the_language_the_patient_used(client, follow_up):
    _, link = follow_up
    assert check_in(client, link, WITHDRAWAL_CHECK_IN, prefix="/es").language == "es"
    assert check_in(Client(), link, WITHDRAWAL_CHECK_IN).language == "en"


def test_sending_twice_sends_once(client, follow_up):
    _, link = follow_up
    check_in(client, link, WITHDRAWAL_CHECK_IN)
    # The back button and "send" again: a new, empty check-in is started, not a copy sent.
    post(client, "/intake/check-in/check/")
    assert Intake.objects.filter(kind="check_in", status="submitted").count() == 1


def test_a_check_in_expires_with_its_follow_up(client, follow_up):
    record, link = follow_up
    client.get(link)
    post(client, "/intake/check-in/")
    opened = Intake.objects.get(kind="check_in")
    assert opened.expires_at <= record.ends_at
    assert opened.expires_at <= timezone.now() + datetime.timedelta(days=14, seconds=5)


@pytest.mark.django_db(transaction=True)
def test_two_first_pages_at_once_start_one_check_in(clinician):
    """The open check-in is read without a lock; a new one is made under the follow-up's."""
    follow_up, _ = start_follow_up(make_first_visit(), clinician, PLAN)
    barrier = threading.Barrier(2)
    started = []

    def first_page():
        try:
            barrier.wait()
            started.append(check_ins.start_check_in(follow_up).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_page) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(started) == 2 and started[0] == started[1]
    assert Intake.objects.filter(kind=Intake.Kind.CHECK_IN).count() == 1
