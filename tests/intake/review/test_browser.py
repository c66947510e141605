"""A clinician reviews a flag in the admin, driven in headless Chromium."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from intake.models import AccessLog, Review
from tests.helpers import TEST_PASSWORD, axe_violations, current_totp, list_overflow, make_staff
from tests.intake.review.helpers import (
    FLAG_CASE,
    HIGH_DOSE_ONLY,
    IMPLAUSIBLE_DOSE_ONLY,
    MISUSE_CASE,
    NO_DOSE_RESPONSE_CASE,
    URGENT_ONLY,
    make_alert_only,
    make_intake,
    screening_of,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def site(live_server, content):
    return live_server.url


@pytest.fixture
def waiting():
    """A flag at a second visit (the first found nothing) is the top of the queue."""
    first_visit = make_intake(
        FLAG_CASE,
        reference="clinic-7",
        name="Rosalind Franklin",
        days_ago=90,
        current_pain_sites=["lower_back"],
        pain_when_dose_increased="better",
        new_pain_qualities=[],
        pain_score_now=6,
        peg={"pain": 6, "enjoyment": 5, "activity": 5},
    )
    top = make_intake(FLAG_CASE, reference="clinic-7", name="Rosalind Franklin", days_ago=3)
    make_intake(MISUSE_CASE, name="Alan Turing", days_ago=5)
    make_intake(NO_DOSE_RESPONSE_CASE, name="Emmy Noether", days_ago=1)
    assert screening_of(first_visit).level == "none"
    return {"top": top, "first_visit": first_visit}


def log_in(page, site, username):
    """Password, then the first-time authenticator set-up every clinician goes through."""
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_have_text("Set up sign-in codes")
    expect(page.locator(".two-factor-qr svg")).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill(
        current_totp(User.objects.get(username=username))
    )
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#site-name")).to_be_visible()


def test_a_clinician_overrides_the_top_flag_from_the_queue(desktop_page, site, waiting):
    page = desktop_page
    clinician = make_staff("clinician", "Clinicians")
    log_in(page, site, "clinician")

    page.goto(site + "/admin/intake/screening/")
    expect(page.locator("h1")).to_have_text("Worklist")
    queue_violations = axe_violations(page)
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text("Rosalind Franklin")
    expect(first_row).to_contain_text("Flag")
    first_row.get_by_role("link").first.click()

    top = waiting["top"]
    expect(page.locator("h1")).to_contain_text("Rosalind Franklin")
    card = page.locator(".oih-flag-card")
    expect(card).to_be_visible()
    expect(card.locator("h2")).to_have_text(
        "OIH pattern to review: pain got worse after the opioid dose was increased "
        "(major feature M1)."
    )
    expect(card).to_contain_text("Indicator: warning")
    expect(card).to_contain_text("Screening rules 2026.3")
    expect(page.locator(".bm-picture")).to_be_visible()
    expect(page.get_by_role("link", name="What is opioid-induced hyperalgesia?")).to_be_visible()
    page_violations = axe_violations(page)

    page.get_by_label("Override").check()
    page.get_by_label("Reason for overriding").select_option("tolerance")
    page.get_by_label("Note").fill("Pain eased after the last increase; see letter.")
    page.get_by_role("button", name="Record review").click()

    expect(page.locator("h1")).to_have_text("Worklist")
    expect(page.locator(".messagelist .success")).to_have_text(
        f"Review recorded for {top.reference}: Overridden (Tolerance)."
    )
    review = Review.objects.get()
    assert (
        review.screening,
        review.decision,
        review.override_reason,
        review.note,
        review.reviewed_by,
    ) == (
        screening_of(top),
        "override",
        "tolerance",
        "Pain eased after the last increase; see letter.",
        clinician,
    )
    # The queue as a list (landing after sign-in, opened, and after the review), and the
    # intake page once.
    assert sorted(
        AccessLog.objects.values_list("what", "intake"), key=lambda row: (row[0], row[1] or 0)
    ) == [("list", None), ("list", None), ("list", None), ("record", top.pk)]
    assert queue_violations == []
    assert page_violations == []


def test_an_override_without_a_reason_is_refused_in_the_browser(desktop_page, site, waiting):
    make_staff("clinician", "Clinicians")
    page = desktop_page
    log_in(page, site, "clinician")
    page.goto(site + waiting["top"].get_admin_url())
    page.get_by_label("Override").check()
    page.get_by_role("button", name="Record review").click()
    expect(page.locator(".oih-error-summary")).to_contain_text("The review was not saved.")
    expect(page.locator("#override-reason-errors")).to_have_text(
        "Choose the reason you are overriding the flag."
    )
    assert page.get_by_label("Override").is_checked()
    assert Review.objects.count() == 0
    assert axe_violations(page) == []


def test_the_dashboard_has_no_axe_violations(desktop_page, site, waiting):
    make_staff("clinician", "Clinicians")
    page = desktop_page
    log_in(page, site, "clinician")
    page.goto(site + "/admin/intake/screening/")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("h1")).to_have_text("Review dashboard")
    assert axe_violations(page) == []


def test_a_clinician_reviews_an_alert_only_intake_from_the_worklist(desktop_page, site, waiting):
    """The urgent alert alone puts the intake first; the clinician records what was done."""

    urgent = make_alert_only(URGENT_ONLY, name="Mary Seacole", days_ago=0)
    make_alert_only(HIGH_DOSE_ONLY, name="Florence Nightingale", days_ago=8)
    make_alert_only(IMPLAUSIBLE_DOSE_ONLY, name="Elizabeth Blackwell", days_ago=6)
    clinician = make_staff("clinician", "Clinicians")
    page = desktop_page
    log_in(page, site, "clinician")

    page.goto(site + "/admin/intake/screening/")
    expect(page.locator("h1")).to_have_text("Worklist")
    first_row = page.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text("Mary Seacole")
    expect(first_row).to_contain_text("Withdrawal after a dose cut, stop or switch: urgent")
    expect(page.locator("#result_list")).to_contain_text("MME 1,950/day: check the entered dose")
    worklist_violations = axe_violations(page)
    first_row.get_by_role("link").first.click()

    expect(page.locator("h1")).to_contain_text("Mary Seacole")
    card = page.locator(".oih-card-critical")
    expect(card.locator("h2")).to_have_text("Withdrawal after a dose cut: urgent")
    expect(card).to_contain_text("Urgent")
    expect(page.get_by_text("Nothing to review at this visit.")).to_have_count(0)
    page_violations = axe_violations(page)

    page.get_by_label("Contacted the patient").check()
    page.get_by_label("Note").fill("Phoned: taper paused, seen tomorrow.")
    page.get_by_role("button", name="Record review").click()

    expect(page.locator("h1")).to_have_text("Worklist")
    expect(page.locator(".messagelist .success")).to_have_text(
        f"Review recorded for {urgent.reference}: Contacted the patient."
    )
    review = Review.objects.get()
    assert (review.screening, review.decision, review.action, review.note, review.reviewed_by) == (
        screening_of(urgent),
        "",
        "contacted_patient",
        "Phoned: taper paused, seen tomorrow.",
        clinician,
    )
    # Reviewed, it goes below everything still waiting.
    expect(page.locator("#result_list tbody tr").last).to_contain_text("Mary Seacole")
    expect(page.locator("#result_list tbody tr").last).to_contain_text(
        "Reviewed (contacted the patient)"
    )

    # Amended the next day: the first version stays in the history, shown under the review.
    page.goto(site + urgent.get_admin_url())
    expect(page.locator(".oih-recorded")).to_contain_text("Contacted the patient")
    page.get_by_role("link", name="Amend this review").click()
    page.get_by_label("Will discuss at the visit").check()
    page.get_by_role("textbox", name="Note").fill("Taper paused; to discuss at Friday's visit.")
    page.get_by_role("button", name="Save the amended review").click()
    expect(page.locator(".messagelist .success")).to_have_text(
        f"Review amended for {urgent.reference}: Will discuss at the visit."
    )
    page.goto(site + urgent.get_admin_url())
    page.get_by_text("Earlier versions (1)").click()
    expect(page.locator(".oih-review-history")).to_contain_text("Contacted the patient")
    amend_violations = axe_violations(page)
    assert [h.action for h in Review.objects.get().history.order_by("history_date")] == [
        "contacted_patient",
        "discuss_at_visit",
    ]
    assert worklist_violations == []
    assert page_violations == []
    assert amend_violations == []


@pytest.mark.parametrize("width", [1024, 1280, 1310])
def test_the_worklist_shows_every_column_without_sideways_scrolling(
    open_page, site, waiting, width
):
    """On a 1280 px laptop the review column is on the screen, the filters below the list;
    from 1300 px up the filters are beside it, and the list still fits. On a 1024 px screen
    (a tablet held sideways) the headings' padding narrows and a level's badge may take two
    lines, and every column is still on the screen."""
    make_alert_only(URGENT_ONLY, reference="MRN-00412345", name="Grace Hopper", days_ago=2)
    page = open_page(viewport={"width": width, "height": 900})
    make_staff("clinician", "Clinicians")
    log_in(page, site, "clinician")
    page.goto(site + "/admin/intake/screening/")
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    assert list_overflow(page) == [0]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.locator("#result_list thead th").last).to_be_in_viewport()
    filters, results = (
        page.locator(selector).bounding_box() for selector in ("#changelist-filter", ".results")
    )
    if width <= 1280:
        assert filters["y"] > results["y"] + results["height"]
        assert axe_violations(page) == []  # the filters below the list: a state of its own
    else:
        assert filters["x"] > results["x"] + results["width"]
