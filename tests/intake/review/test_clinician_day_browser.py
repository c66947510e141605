"""A clinician's morning on the worklist at 1366 px, in headless Chromium (issue 24).

One test works the items as a clinician would: an urgent item escalated after an hour
unreviewed, handed to a colleague with a note (who gets the email); a patient whose
check-ins share one row, the urgent one reviewed; the printed summary on one Letter and one
A4 page; an imported intake named by its MRN; pub-05's patch unit corrected and the intake
screened again at once; a follow-up due today that stays on top. Every page it opens has no
axe violations, and the clicks (and selections) each item takes are counted.
"""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from intake.models import Intake, Review, Screening
from tests.helpers import TEST_PASSWORD, axe_violations, current_totp, make_staff
from tests.intake.checkin.helpers import (
    STEADY_CHECK_IN,
    WITHDRAWAL_CHECK_IN,
    follow_up_with_check_ins,
    make_first_visit,
)
from tests.intake.review.helpers import (
    FLAG_CASE,
    MISUSE_CASE,
    UNIT_ERROR_CASE,
    URGENT_ONLY,
    make_alert_only,
    make_intake,
    screening_of,
)
from tests.smtp import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def pdf_pages(pdf):
    """The pages of a PDF that Chromium printed: its page objects (not the /Pages tree)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


class Clicks:
    """Counts the clicks (and selections) spent on each worklist item."""

    def __init__(self, page):
        self.page, self.per_item, self.current = page, {}, None

    def item(self, name):
        self.current = name
        self.per_item[name] = 0

    def click(self, locator):
        self.per_item[self.current] += 1
        locator.click()

    def check(self, locator):
        self.per_item[self.current] += 1
        locator.check()

    def select(self, locator, value=None, *, label=None):
        self.per_item[self.current] += 1
        locator.select_option(value, label=label)


def test_a_clinician_works_the_morning_worklist(
    page, live_server, content, settings, smtp_server, empty_job_queue
):
    site = settings.SITE_URL = live_server.url
    settings.URGENT_ALERT_EMAILS = ["duty@clinic.example.org"]
    clinician = make_staff("clinician", "Clinicians")
    make_staff("grace", "Clinicians", email="grace@clinic.example.org")
    imported = make_intake(FLAG_CASE, reference="MRN-4411", days_ago=2)
    make_intake(MISUSE_CASE, reference="MRN-5150", days_ago=1)
    unit_error = make_intake(UNIT_ERROR_CASE, reference="MRN-0505", days_ago=3)
    # An urgent item that arrived two hours ago and that nobody has reviewed: escalated.
    waiting = make_alert_only(URGENT_ONLY, reference="MRN-7777")
    two_hours_ago = timezone.now() - datetime.timedelta(hours=2)
    Intake.objects.filter(pk=waiting.pk).update(submitted_at=two_hours_ago)
    Screening.objects.filter(intake=waiting).update(intake_submitted_at=two_hours_ago)
    call_command("escalate_urgent", stdout=io.StringIO())
    first = make_first_visit()
    _, _, check_ins = follow_up_with_check_ins(
        clinician, first, [WITHDRAWAL_CHECK_IN, STEADY_CHECK_IN, STEADY_CHECK_IN]
    )
    violations = {}

    # Sign in: password, then the authenticator; the clinician lands on the worklist.
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("clinician")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code from your authenticator app").fill(
        current_totp(User.objects.get(username="clinician"))
    )
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("h1")).to_have_text("Worklist")
    expect(page.locator(".oih-priority-counts")).to_contain_text("Urgent: 2")
    violations["worklist"] = axe_violations(page)
    clicks = Clicks(page)

    # The escalated urgent item: the row says how long it has waited; it is handed to a
    # colleague with a note, who gets an email with the link.
    clicks.item("hand-off")
    row = page.locator("#result_list tbody tr", has_text="MRN-7777")
    expect(row).to_contain_text("waiting 2 h")
    expect(row).to_contain_text("Sent again to the duty list")
    clicks.click(row.locator(".field-intake_reference a"))
    clicks.select(page.get_by_label("Assign to"), label="grace")
    page.get_by_label("Message for your colleague (hand-off)").fill(
        "Please call today; I am in theatre."
    )
    clicks.click(page.get_by_role("button", name="Assign"))
    expect(page.locator(".messagelist .success")).to_contain_text("grace gets an email")
    expect(page.locator(".oih-handoff")).to_contain_text("Please call today; I am in theatre.")
    violations["hand-off"] = axe_violations(page)
    run_jobs()
    handed = [m for m in smtp_server.messages if m["Subject"] == "An item was handed to you"]
    assert [m["To"] for m in handed] == ["grace@clinic.example.org"]
    assert f"{site}{waiting.get_admin_url()}" in handed[0].get_content()
    escalated = [m for m in smtp_server.messages if m["Subject"].startswith("Still waiting")]
    assert [m["To"] for m in escalated] == ["duty@clinic.example.org"]
    clicks.click(page.get_by_role("link", name="Worklist"))

    # The patient on a follow-up: the check-ins and the first visit in one row, newest
    # first, at the top because one check-in is urgent.
    clicks.item("check-ins")
    top = page.locator("#result_list tbody tr").first
    expect(top.locator(".field-patient")).to_have_text("Mary Seacole")
    items = top.locator(".oih-patient-items > li")
    expect(items.first).to_contain_text("Check-in")
    expect(items.last).to_contain_text("First visit")
    clicks.click(items.filter(has_text="urgent").get_by_role("link"))
    expect(page.locator("h1")).to_contain_text("Mary Seacole")
    violations["urgent check-in"] = axe_violations(page)
    clicks.check(page.get_by_label("Contacted the patient"))
    clicks.click(page.get_by_role("button", name="Record review"))
    expect(page.locator("h1")).to_have_text("Worklist")
    assert Review.objects.get(screening=screening_of(check_ins[0])).action == "contacted_patient"

    # The printed summary of the urgent check-in (its features, both alerts, the chart of
    # the visits and every answer): one page on Letter and on A4, the urgent alert first,
    # the alerts-only review with its action. The same for the newest check-in.
    for printed in (check_ins[0], check_ins[-1]):
        page.goto(f"{site}/admin/intake/intake/{printed.pk}/summary/")
        assert pdf_pages(page.pdf(format="Letter")) == 1
        assert pdf_pages(page.pdf(format="A4")) == 1
    page.goto(f"{site}/admin/intake/intake/{check_ins[0].pk}/summary/")
    expect(page.locator(".oih-print-review")).to_contain_text(
        "Review: Contacted the patient, clinician"
    )
    expect(page.locator(".oih-alert").first).to_contain_text("Critical")
    violations["summary"] = axe_violations(page)
    page.goto(site + "/admin/intake/screening/")

    # The imported intake: named by its MRN, its age unknown.
    clicks.item("imported")
    row = page.locator("#result_list tbody tr", has_text="MRN-4411")
    expect(row.locator(".field-patient")).to_have_text("MRN MRN-4411")
    clicks.click(row.locator(".field-intake_reference a"))
    expect(page.locator("h1")).to_contain_text("MRN MRN-4411")
    violations["imported"] = axe_violations(page)
    clicks.check(page.get_by_label("Accept: OIH pattern worth discussing"))
    clicks.check(page.get_by_label("Will discuss at the visit"))
    clicks.click(page.get_by_role("button", name="Record review"))
    expect(page.locator("h1")).to_have_text("Worklist")
    assert Review.objects.get(screening=screening_of(imported)).decision == "accept"

    # pub-05's fentanyl patch "50 mg/hr": corrected to mcg/hr with a reason, screened again
    # at once (120 MME/day), then reviewed as "Data corrected".
    clicks.item("correction")
    row = page.locator("#result_list tbody tr", has_text="MRN-0505")
    expect(row).to_contain_text("MME not computed")
    clicks.click(row.locator(".field-intake_reference a"))
    expect(page.get_by_label("Data corrected")).to_have_count(0)
    clicks.click(page.get_by_text("Correct a medicine's dose or unit"))
    page.get_by_label("Corrected daily dose").fill("50")
    clicks.select(page.get_by_label("Unit", exact=True), "mcg/hr")
    page.get_by_label("Reason for the correction").fill("The patch box reads 50 mcg/hr.")
    clicks.click(page.get_by_role("button", name="Correct and screen again"))
    expect(page.locator(".messagelist .success")).to_contain_text("50 mg/hr to 50 mcg/hr")
    expect(page.locator(".oih-corrections")).to_contain_text("The patch box reads 50 mcg/hr.")
    expect(page.locator(".oih-total")).to_have_text("120.0")
    violations["corrected"] = axe_violations(page)
    clicks.check(page.get_by_label("Accept: OIH pattern worth discussing"))
    clicks.check(page.get_by_label("Data corrected"))
    clicks.click(page.get_by_role("button", name="Record review"))
    expect(page.locator("h1")).to_have_text("Worklist")
    assert Review.objects.get(screening=screening_of(unit_error)).action == "data_corrected"

    # A borderline result with misuse signals: "Needs follow-up" by today, so it stays with
    # the items waiting now instead of sinking below the reviewed ones.
    clicks.item("follow-up")
    clicks.click(
        page.locator("#result_list tbody tr", has_text="MRN-5150").locator(
            ".field-intake_reference a"
        )
    )
    clicks.check(page.get_by_label("Needs follow-up"))
    page.get_by_label("Follow up by").fill(timezone.localdate().isoformat())
    clicks.check(page.get_by_label("Will discuss at the visit"))
    clicks.click(page.get_by_role("button", name="Record review"))
    expect(page.locator("h1")).to_have_text("Worklist")
    expect(page.locator("#result_list tbody tr", has_text="MRN-5150")).to_contain_text("now due")
    violations["worklist after the reviews"] = axe_violations(page)

    print("clicks per item:", clicks.per_item)
    assert clicks.per_item == {
        "hand-off": 4,
        "check-ins": 3,
        "imported": 4,
        "correction": 7,
        "follow-up": 4,
    }
    assert violations == {name: [] for name in violations}
