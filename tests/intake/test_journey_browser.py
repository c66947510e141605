"""A patient completes the whole intake on a phone in headless Chromium."""

import pytest
from playwright.sync_api import expect

from intake.models import Intake
from tests.helpers import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = "/tmp/intake-journey"


def check_page(page, name, violations_seen):
    violations_seen[name] = axe_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}-{name}.png", full_page=True)


def continue_(page):
    page.get_by_role("button", name="Continue").click()


def test_a_patient_completes_the_intake_on_a_phone(page, live_server, content):
    seen = {}
    page.goto(live_server.url + "/intake/")
    check_page(page, "start", seen)
    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_role("alert")).to_contain_text("Tick the box to say you agree")
    check_page(page, "start-error", seen)
    page.get_by_label("I agree to share my answers").check()
    page.get_by_role("button", name="Start now").click()

    # 1 About you: an error first, then fixed.
    expect(page.locator("h1")).to_have_text("About you")
    page.get_by_label("Full name").fill("María José 李")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("1970")
    continue_(page)
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Enter a real date of birth")
    check_page(page, "about-you-error", seen)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_dob_day"
    page.get_by_label("Day").fill("28")
    continue_(page)

    # 2 Medicines: add one by brand name, add a patch, remove it.
    expect(page.locator("h1")).to_have_text("Your opioid medicines")
    check_page(page, "medicines", seen)
    page.get_by_label("Medicine name").select_option(label="Norco (hydrocodone)")
    page.get_by_label("Tablet, capsule or liquid").check()
    page.get_by_label("Strength of one dose").fill("10")
    page.get_by_label("How many doses do you take in a day?").fill("4")
    page.get_by_label("For pain").check()
    page.get_by_role("button", name="Add this medicine").click()
    expect(page.locator("#medicine-list")).to_contain_text("Norco")
    page.get_by_label("Medicine name").select_option(label="Fentanyl")
    page.get_by_label("Skin patch").check()
    page.get_by_label("Strength of one dose").fill("25")
    page.get_by_label("For pain").check()
    page.get_by_role("button", name="Add this medicine").click()
    expect(page.locator("#medicine-list")).to_contain_text("25 mcg an hour")
    page.get_by_role("button", name="Remove Fentanyl").click()
    expect(page.locator("#medicine-list")).not_to_contain_text("Fentanyl")
    continue_(page)

    # 3 Opioids over time
    expect(page.locator("h1")).to_have_text("Opioids over time")
    expect(page.get_by_text("Do not stop or change your opioid dose on your own.")).to_be_visible()
    check_page(page, "opioid-use", seen)
    page.get_by_role("group", name="Do you take opioid medicine now?").get_by_label("Yes").check()
    page.locator("#id_use_years").fill("2")
    page.get_by_label("It went up").check()
    page.get_by_label("About how many weeks ago").fill("10")
    continue_(page)

    # 4 Dose changes and pain
    expect(page.locator("h1")).to_have_text("Dose changes and your pain")
    check_page(page, "dose-changes", seen)
    page.get_by_role("group", name="When your dose went up").get_by_label(
        "My pain got worse"
    ).check()
    page.get_by_role("group", name="When your dose went down").get_by_label(
        "This has not happened"
    ).check()
    page.get_by_label("No, it does not change").check()
    continue_(page)

    # 5 Body map, by keyboard only.
    expect(page.locator("h1")).to_have_text("Where it hurts")
    check_page(page, "pain-map", seen)
    page.locator("#id_current_pain_sites_lower_back").focus()
    page.keyboard.press("Space")
    for code in ("neck", "left_shoulder", "right_shoulder"):
        page.locator(f"#id_current_pain_sites_{code}").focus()
        page.keyboard.press("Space")
    page.locator("#id_original_pain_sites_lower_back").focus()
    page.keyboard.press("Space")
    expect(page.locator("#id_current_pain_sites_neck")).to_be_checked()
    check_page(page, "pain-map-marked", seen)
    continue_(page)

    # 6 How it hurts
    expect(page.locator("h1")).to_have_text("How it hurts")
    check_page(page, "pain-details", seen)
    for question, score in (
        ("How bad is your pain now?", "8"),
        ("How bad was your pain before you started opioids?", "5"),
        ("what number best describes your pain", "8"),
        ("enjoying life", "7"),
        ("daily activities", "8"),
    ):
        page.get_by_role("group", name=question).get_by_label(score, exact=True).check()
    page.get_by_label("Burning").check()
    page.get_by_label("Light touch or clothing hurts").check()
    page.get_by_role("group", name="new injury").get_by_label("No", exact=True).check()
    continue_(page)

    # 7 Other questions
    expect(page.locator("h1")).to_have_text("Other questions")
    check_page(page, "other-questions", seen)
    page.get_by_label("No", exact=True).check()
    continue_(page)

    # 8 Check, change one answer, send.
    expect(page.locator("h1")).to_have_text("Check your answers")
    check_page(page, "check", seen)
    expect(page.locator("main")).to_contain_text("María José 李")
    page.get_by_role("link", name="Change how it hurts").click()
    page.get_by_role("group", name="How bad is your pain now?").get_by_label(
        "9", exact=True
    ).check()
    continue_(page)
    expect(page.locator("h1")).to_have_text("Check your answers")
    expect(page.locator("main")).to_contain_text("9 out of 10")
    page.get_by_role("button", name="Send my answers").dblclick()

    expect(page.locator("h1")).to_contain_text("Thank you")
    check_page(page, "done", seen)
    main = page.locator("main").inner_text().lower()
    assert "flag" not in main and "borderline" not in main and "mme" not in main
    page.go_back()
    assert Intake.objects.count() == 1
    intake = Intake.objects.get()
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.current_pain_sites == ["neck", "right_shoulder", "left_shoulder", "lower_back"]
    assert intake.pain_score_now == 9
    assert intake.screenings.get().level == "flag"
    assert {name: v for name, v in seen.items() if v} == {}
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_idle_page_warns_before_closing_and_lets_the_patient_stay(page, live_server, settings):
    settings.INTAKE_IDLE_MINUTES = 1  # the warning shows at once: a minute is under its lead
    page.goto(live_server.url + "/intake/")
    page.get_by_label("I agree to share my answers").check()
    page.get_by_role("button", name="Start now").click()
    dialog = page.locator("#idle-warning")
    expect(dialog).to_be_visible(timeout=5000)
    expect(dialog).to_contain_text("Are you still there?")
    assert axe_violations(page) == []
    with page.expect_response("**/intake/keepalive/") as kept:
        page.get_by_role("button", name="Stay on this page").click()
    assert kept.value.status == 200
    expect(dialog).to_be_hidden()
