"""A follow-up from start to printed summary, driven in headless Chromium.

A clinician starts a follow-up with a planned dose reduction; the patient sends four
check-ins two weeks apart (the first inside the withdrawal window, with symptoms, in their
phone's browser; the other three, through the same pages, by the test client); the
chart, its table and its sentence show the pain falling after the window; the clinician
prints the summary.
"""

import datetime
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from intake.models import AccessLog, Intake
from tests.helpers import (
    DESKTOP_VIEWPORT,
    PHONE_VIEWPORT,
    TEST_PASSWORD,
    axe_violations,
    current_totp,
    make_staff,
)
from tests.intake.checkin.changes import day
from tests.intake.checkin.helpers import (
    BEST_CHECK_IN,
    BETTER_CHECK_IN,
    STEADY_CHECK_IN,
    WITHDRAWAL_CHECK_IN,
    check_in,
    make_first_visit,
    travel,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, content):
    return live_server.url


def log_in(page, site, username):
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code from your authenticator app").fill(
        current_totp(User.objects.get(username=username))
    )
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#site-name")).to_be_visible()


def send_check_in(page, site, link_path, answers):
    """The first check-in of the follow-up, through every page in the browser."""
    page.goto(site + link_path)
    expect(page).to_have_url(site + "/intake/check-in/")
    page.get_by_role("button", name="Start my check-in").click()
    page.locator(f'input[name="pain_score_now"][value="{answers["pain"]}"]').check()
    page.get_by_role("button", name="Save and continue").click()
    for name, value in zip(
        ("peg_pain", "peg_enjoyment", "peg_activity"), answers["peg"], strict=True
    ):
        page.locator(f'input[name="{name}"][value="{value}"]').check()
    page.get_by_role("button", name="Save and continue").click()
    dose = page.get_by_label(re.compile("how much do you take now"))
    expect(dose).to_have_value("120")
    dose.fill(answers["dose"])
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save and continue").click()
    for symptom in answers["symptoms"]:
        page.locator(f'input[name="withdrawal_symptoms_between_doses"][value="{symptom}"]').check()
    page.get_by_role("button", name="Save and continue").click()
    page.locator('input[name="has_something_new"][value="False"]').check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Check and send")
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.locator("h1")).to_contain_text("Your check-in has been sent")
    assert axe_violations(page) == []


def test_a_follow_up_shows_better_pain_after_the_withdrawal_window(open_page, site):
    first = make_first_visit()
    make_staff("clinician", "Clinicians")
    clinician = open_page(viewport=DESKTOP_VIEWPORT)
    patient = open_page(viewport=PHONE_VIEWPORT)
    for page in (clinician, patient):
        page.set_default_timeout(15_000)
    log_in(clinician, site, "clinician")

    # The clinician plans a reduction a week from now, with check-ins every 2 weeks.
    clinician.goto(site + f"/admin/intake/intake/{first.pk}/change/")
    clinician.get_by_role("link", name="Start a follow-up").click()
    assert axe_violations(clinician) == []
    clinician.get_by_label("Check-ins").select_option("2")
    clinician.get_by_label("For").select_option("12")
    clinician.get_by_label("Dose reduction").check()
    planned = datetime.date.today() + datetime.timedelta(days=7)
    clinician.get_by_label("It starts on").fill(planned.isoformat())
    clinician.get_by_role("button", name="Start the follow-up").click()
    expect(clinician.locator("#link-title")).to_have_text("Follow-up started")
    link = clinician.locator("#check-in-link").input_value()
    link_path = re.sub(r"^https?://[^/]+", "", link)
    assert link_path.startswith("/intake/check-in/link/")

    # Four check-ins, two weeks apart: the first in the browser; the next three walk the same
    # pages with other numbers, through the test client.
    travel(first.patient, 14)
    send_check_in(patient, site, link_path, WITHDRAWAL_CHECK_IN)
    for answers in (STEADY_CHECK_IN, BETTER_CHECK_IN, BEST_CHECK_IN):
        travel(first.patient, 14)
        check_in(Client(), link_path, answers)
    check_ins = list(Intake.objects.filter(kind="check_in").order_by("submitted_at"))
    urgent = check_ins[0].screenings.get(is_current=True)
    assert (urgent.level, urgent.alert_codes) == (
        "none",
        ["mme_ge_50", "withdrawal_after_dose_cut"],
    )

    # The worklist: the patient's open items share one row, first because the check-in in
    # the withdrawal window has its urgent alert.
    clinician.goto(site + "/admin/intake/screening/")
    first_row = clinician.locator("#result_list tbody tr").first
    urgent_item = first_row.locator(".oih-patient-items > li", has_text="urgent")
    expect(urgent_item.get_by_role("link")).to_have_attribute("href", check_ins[0].get_admin_url())
    expect(urgent_item).to_contain_text("Withdrawal after a dose cut, stop or switch: urgent")

    # The latest check-in's page: the chart, the numbers beside it, and the sentence.
    clinician.goto(site + f"/admin/intake/intake/{check_ins[-1].pk}/change/")
    chart = clinician.locator(".oih-visit-chart")
    cut_on = planned - datetime.timedelta(days=56)
    window_ended = cut_on + datetime.timedelta(weeks=4)
    expect(chart.locator("#visit-chart-sentence")).to_have_text(
        "The dose went down from 120 to 80 MME/day (morphine 120 mg/day to morphine 80 mg/day) "
        f"on {day(cut_on)}. Pain fell from 8 to 5, 7 weeks after the change: outside the "
        f"withdrawal window, which ended {day(window_ended)}."
    )
    table_rows = chart.locator("#visit-chart-table tbody tr")
    expect(table_rows).to_have_count(5)
    assert [
        [cell.strip() for cell in table_rows.nth(index).locator("td").all_inner_texts()]
        for index in range(5)
    ] == [
        ["8", "7.7", "120.0", "-"],
        ["9", "8.7", "80.0", "Inside, 2 symptoms"],
        ["8", "7.7", "80.0", "Inside"],
        ["6", "5.7", "80.0", "-"],
        ["5", "4.3", "80.0", "-"],
    ]
    expect(chart.locator("rect.oih-window")).to_have_count(1)
    expect(chart.locator("line.oih-dose-change")).to_have_count(1)
    chart.scroll_into_view_if_needed()

    # The printable summary, as it comes out on paper.
    clinician.get_by_role("link", name="Printable summary").click()
    expect(clinician.locator("h1")).to_contain_text("Mary Seacole")
    clinician.emulate_media(media="print")
    expect(clinician.locator(".oih-print-controls")).to_be_hidden()
    clinician.emulate_media(media="screen")
    assert list(
        AccessLog.objects.filter(intake=check_ins[-1], action="print").values_list(
            "user__username", flat=True
        )
    ) == ["clinician"]

    # The clinician reviews the check-in in the withdrawal window from the worklist...
    clinician.goto(site + "/admin/intake/screening/")
    clinician.locator("#result_list tbody tr").first.locator(
        ".oih-patient-items > li", has_text="urgent"
    ).get_by_role("link").click()
    expect(clinician.locator(".oih-card-critical h2")).to_have_text(
        "Withdrawal after a dose cut: urgent"
    )
    clinician.get_by_label("Contacted the patient").check()
    clinician.get_by_label("Note").fill("Phoned: withdrawal in week one; taper slowed.")
    clinician.get_by_role("button", name="Record review").click()
    expect(clinician.locator(".messagelist .success")).to_have_text(
        f"Review recorded for {check_ins[0].reference}: Contacted the patient."
    )
    # ...amends it (the first version stays in the history)...
    clinician.goto(site + check_ins[0].get_admin_url())
    clinician.get_by_role("link", name="Amend this review").click()
    clinician.get_by_label("Will discuss at the visit").check()
    clinician.get_by_role("textbox", name="Note").fill("Taper slowed; to discuss at the visit.")
    clinician.get_by_role("button", name="Save the amended review").click()
    expect(clinician.locator(".messagelist .success")).to_have_text(
        f"Review amended for {check_ins[0].reference}: Will discuss at the visit."
    )
    clinician.goto(site + check_ins[0].get_admin_url())
    clinician.get_by_text("Earlier versions (1)").click()
    expect(clinician.locator(".oih-review-history")).to_contain_text("Contacted the patient")
    assert axe_violations(clinician) == []
    review = check_ins[0].screenings.get(is_current=True).review
    assert [h.action for h in review.history.order_by("history_date")] == [
        "contacted_patient",
        "discuss_at_visit",
    ]
    # ...and the next check-in's page shows that review.
    clinician.goto(site + check_ins[1].get_admin_url())
    expect(clinician.locator("body")).to_contain_text("Taper slowed; to discuss at the visit.")
