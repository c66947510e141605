"""The "Other medicines" page on a 390 x 844 phone, by touch, in English and in Spanish: axe
finds nothing before, with its errors and once filled; every box is a 44 px target; the
answers reach the check page."""

import pytest
from playwright.sync_api import expect

from intake.models import Intake
from tests.helpers import PHONE_VIEWPORT, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOWN = {
    "en": {"heading": "Other medicines", "naloxone": "Do you have naloxone (Narcan) at home?"},
    "es": {"heading": "Otros medicamentos", "naloxone": "¿Tiene naloxona (Narcan) en casa?"},
}
# WCAG 2.2 target size: the clinic's own rule is 44 px (issue 2), above AA's 24 px.
TARGET_PX = 44


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_other_medicines_page_works_by_touch_at_390_px(open_page, live_server, language):
    page = open_page(viewport=PHONE_VIEWPORT, has_touch=True)
    prefix = "" if language == "en" else f"/{language}"
    page.goto(live_server.url + prefix + "/intake/")
    page.locator("input[name='consent']").tap()
    with page.expect_navigation():
        page.locator("main form button[type='submit']").tap()
    page.goto(live_server.url + prefix + "/intake/other-medicines/")
    violations = {"empty": axe_violations(page)}
    expect(page.locator("h1")).to_have_text(SHOWN[language]["heading"])
    expect(page.locator("main")).to_contain_text(SHOWN[language]["naloxone"])

    with page.expect_navigation():
        page.locator("main form button[name='action'][value='continue']").tap()
    expect(page.locator("#error-summary")).to_be_focused()
    violations["errors"] = axe_violations(page)

    for value in ("clonazepam", "gabapentin"):
        box = page.locator(f"input[name='other_medicines_ticked'][value='{value}']")
        box.tap()
        expect(box).to_be_checked()
    page.locator("input[name='other_medicines_typed']").fill("Robaxin")
    page.locator("input[name='naloxone_at_home'][value='no']").tap()
    # Each row measured in the page in one go, not with a round trip per row.
    heights = page.locator("main .form-check").evaluate_all(
        "rows => rows.map(row => [row.innerText, row.getBoundingClientRect().height])"
    )
    assert [text for text, height in heights if height < TARGET_PX] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    violations["filled"] = axe_violations(page)
    with page.expect_navigation():
        page.locator("main form button[name='action'][value='continue']").tap()

    intake = Intake.objects.get()
    assert intake.other_medicines_ticked == ["clonazepam", "gabapentin"]
    assert intake.naloxone_at_home == "no"
    assert [item["class"] for item in intake.other_medicines] == [
        "benzodiazepine",
        "gabapentinoid",
        "muscle_relaxant",
    ]
    page.goto(live_server.url + prefix + "/intake/check/")
    expect(page.locator("main")).to_contain_text("Klonopin (clonazepam)")
    violations["check"] = axe_violations(page)
    assert {state: found for state, found in violations.items() if found} == {}
