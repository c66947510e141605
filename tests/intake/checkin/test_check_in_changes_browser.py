"""A check-in with withdrawal after a cut and a new place of pain, in headless Chromium: the
patient marks the new place on the body map (phone size), the clinician decides from the
urgent card, its evidence and the features beneath it (desktop size). axe-core on both."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from intake.models import Intake
from intake.review.follow_up import start_follow_up
from tests.helpers import DESKTOP_VIEWPORT, PHONE_VIEWPORT, axe_violations, make_staff
from tests.intake.checkin.changes import day
from tests.intake.checkin.helpers import make_first_visit, travel
from tests.intake.checkin.test_follow_up_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, content):
    return live_server.url


def test_the_urgent_card_explains_itself_and_the_new_place_of_pain_counts(open_page, site):
    first = make_first_visit()
    clinician = make_staff("clinician", "Clinicians")
    planned = datetime.date.today() + datetime.timedelta(days=7)
    _, token = start_follow_up(
        first,
        clinician,
        {
            "every_weeks": 2,
            "for_weeks": 12,
            "planned_dose_change": "decrease",
            "planned_dose_change_on": planned,
        },
    )
    travel(first.patient, 14)
    patient = open_page(viewport=PHONE_VIEWPORT)
    desk = open_page(viewport=DESKTOP_VIEWPORT)
    for page in (patient, desk):
        page.set_default_timeout(15_000)

    patient.goto(f"{site}/intake/check-in/link/{token}/")
    patient.get_by_role("button", name="Start my check-in").click()
    patient.locator('input[name="pain_score_now"][value="9"]').check()
    patient.get_by_role("button", name="Save and continue").click()
    for name in ("peg_pain", "peg_enjoyment", "peg_activity"):
        patient.locator(f'input[name="{name}"][value="8"]').check()
    patient.get_by_role("button", name="Save and continue").click()
    patient.get_by_label(re.compile("how much do you take now")).fill("80")
    patient.get_by_role("button", name="Save and continue").click()
    patient.locator('input[name="withdrawal_symptoms_between_doses"][value="sweating"]').check()
    patient.get_by_role("button", name="Save and continue").click()
    patient.locator('input[name="has_something_new"][value="True"]').check()
    patient.locator('input[name="new_pain_sites"][value="left_knee"]').check()
    assert axe_violations(patient) == []
    patient.get_by_role("button", name="Save and continue").click()
    expect(patient.locator("h1")).to_have_text("Check and send")
    expect(patient.locator("body")).to_contain_text("Yes; New pain in: Left knee")
    patient.get_by_role("button", name="Send my check-in").click()
    expect(patient.locator("h1")).to_contain_text("Your check-in has been sent")

    check_in = Intake.objects.get(kind=Intake.Kind.CHECK_IN)
    assert "left_knee" in check_in.current_pain_sites
    log_in(desk, site, "clinician")
    desk.goto(site + check_in.get_admin_url())
    card = desk.locator(".oih-card-critical")
    expect(card.locator("h2")).to_have_text("Withdrawal after a dose cut: urgent")
    cut_on = planned - datetime.timedelta(days=14)
    for row in [
        f"Changed on: {day(cut_on)}",
        "Opioids before: morphine 120 mg/day",
        "Opioids after: morphine 80 mg/day",
        "Pain before: 8",
        "Pain now: 9",
        "Withdrawal symptoms in the past week: Sweating",
    ]:
        expect(card).to_contain_text(row)
    features = card.locator(".oih-reasons > li")
    expect(features.first).to_contain_text("(major feature M1)")
    expect(card).to_contain_text("Pain has spread to 4 body regions beyond where it started")
    expect(desk.locator("#no-flag-title")).to_have_text("OIH level: none")
    assert axe_violations(desk) == []
