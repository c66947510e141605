"""The patient's pages on a 390 px phone, in English and in Spanish: every control is at least
44 x 44 px (measured with boundingBox), a walk through the Spanish pages finds no English word
outside brand names (checked against the product list), the guides raise no CSP
console error, and the words in the guides' drawings are at least 12 px. axe runs once per page
state. Screenshots are left only when a test fails (tests/conftest.py)."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from intake import medicines
from intake.review.follow_up import start_follow_up
from tests.helpers import PHONE_VIEWPORT, axe_violations, in_language, without_patient_codes
from tests.intake.checkin.helpers import PLAN_WITHOUT_DOSE_CHANGE, make_first_visit
from tests.intake.journey import fill_all_steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = ["en", "es"]
# The patient's controls, as the issue lists them: 0-10 buttons (the check-in's too), Back, Save
# and come back later, Change links, Search again, header links, main buttons, text boxes,
# and each radio or box through its whole row.
CONTROLS = ", ".join(
    [
        ".score-option label",
        ".back-link",
        ".save-later a",
        ".btn-link-like",
        ".answer-change a",
        ".target-link",
        ".site-header a",
        "main .btn",
        "main .form-control",
        "main .form-select",
        ".intake-page .form-check",
    ]
)
# English words that a Spanish page must not show (outside product names and [lang=en]).
ENGLISH = set(
    [
        "the",
        "your",
        "you",
        "and",
        "of",
        "to",
        "with",
        "for",
        "is",
        "are",
        "was",
        "not",
        "this",
        "that",
        "what",
        "how",
        "when",
        "page",
        "back",
        "continue",
        "save",
        "change",
        "search",
        "again",
        "learn",
        "form",
        "start",
        "send",
        "check",
        "answers",
        "medicine",
        "medicines",
        "week",
        "pain",
        "minutes",
        "about",
        "next",
        "step",
        "later",
        "done",
        "thank",
        "sources",
        "tests",
        "pending",
        "none",
        "yes",
    ]
)
SPANISH_TOO = {"no", "e"}  # spelt the same in Spanish


def product_words():
    """The words of the brand names, shown as printed on the bottle. A name that describes
    the medicine ("Fentanyl patch") is shown in Spanish, so its words are not allowed."""
    words = set()
    for product in medicines.all_products():
        if not product.name_es:
            words.update(re.findall(r"[a-záéíóúñ]+", product.name.lower()))
    return words


def small_targets(page):
    """(what, width, height) of every visible control under 44 x 44 px.

    Measured in the page in one go: visible as Playwright means it (a box that is not empty,
    and not visibility: hidden), sized by the same box its bounding_box() reads. Asking
    Playwright control by control took three round trips each, most of this test's time."""
    small = []
    for what, width, height in page.locator(CONTROLS).evaluate_all(
        """controls => controls
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, box]) => box.width > 0 && box.height > 0
                && getComputedStyle(e).visibility !== 'hidden')
            .map(([e, box]) => [e.outerHTML.slice(0, 80), box.width, box.height])"""
    ):
        if round(width) < 44 or round(height) < 44:
            small.append((what, round(width), round(height)))
    return small


def english_words(page, allowed):
    text = page.evaluate(
        """() => {
            const copy = document.body.cloneNode(true);
            copy.querySelectorAll('[lang="en"], script, style, .visually-hidden-focusable')
                .forEach(e => e.remove());
            copy.querySelectorAll('[hreflang="en"], [lang="en"]').forEach(e => e.remove());
            return copy.innerText;
        }"""
    )
    words = set(re.findall(r"[A-Za-z]+", without_patient_codes(text).lower()))
    return sorted((words & ENGLISH) - allowed - SPANISH_TOO)


class Walk:
    def __init__(self, open_page, live_server, language, cookie=None):
        self.page = open_page(viewport=PHONE_VIEWPORT, has_touch=True)
        if cookie:
            self.page.context.add_cookies(
                [{"name": "sessionid", "value": cookie, "url": live_server.url}]
            )
        self.server = live_server.url
        self.language = language
        self.small, self.english, self.axe = {}, {}, {}
        self.allowed = product_words()

    def address(self, path):
        """The page at `path` (its English address) in this walk's language."""
        return self.server + in_language(path, self.language)

    def look(self, state):
        self.small[state] = small_targets(self.page)
        if self.language == "es":
            self.english[state] = english_words(self.page, self.allowed)
        self.axe[state] = axe_violations(self.page)

    def visit(self, path, state=None):
        self.page.goto(self.address(path))
        self.look(state or path)

    def problems(self):
        return {
            "small": {k: v for k, v in self.small.items() if v},
            "english": {k: v for k, v in self.english.items() if v},
            "axe": {k: v for k, v in self.axe.items() if v},
        }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_patient_control_is_44_px_and_the_spanish_pages_say_no_english(
    open_page, live_server, content, clinician, language
):
    client = Client()
    fill_all_steps(client)
    walk = Walk(open_page, live_server, language, client.cookies["sessionid"].value)
    page = walk.page
    walk.visit("/intake/about-you/")
    # The birth date read back in words, in the page's language, before going on.
    in_words = {"en": "You wrote: February 4, 1971.", "es": "Usted escribió: 4 de febrero de 1971."}
    expect(page.locator("#dob-in-words")).to_contain_text(in_words[language])
    for path in ("/intake/pain-details/", "/intake/pain-map/"):
        walk.visit(path)
    walk.visit("/intake/medicines/")
    box = page.locator("input[name=medicine]")
    box.fill("nrco")
    box.press("Escape")
    with page.expect_navigation():
        page.locator("button[value=find]").tap()
    walk.look("medicines-choose")
    page.locator("input[name=product][value=norco]").tap()
    with page.expect_navigation():
        page.locator("button[value=find]").tap()
    walk.look("medicines-details")
    walk.visit("/intake/check/")
    walk.visit("/intake/save/?from=check")
    walk.visit("/intake/resume/")
    walk.visit("/learn/")
    walk.visit("/learn/what-is-oih/")
    walk.visit("/learn/no-such-page/")

    follow_up, token = start_follow_up(make_first_visit(), clinician, PLAN_WITHOUT_DOSE_CHANGE)
    page.goto(walk.address(f"/intake/check-in/link/{token}/"))
    walk.look("check-in-start")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").tap()
    walk.look("check-in-pain")
    walk.visit("/intake/check-in/peg/")

    assert walk.problems() == {"small": {}, "english": {}, "axe": {}}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_guides_raise_no_csp_error_and_their_drawings_words_are_12_px(
    page, live_server, content, language
):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + in_language("/learn/", language))
    page.goto(live_server.url + in_language("/learn/how-oih-develops/", language))
    drawing = page.locator(".figure-scroll[tabindex] img").first
    expect(drawing).to_be_visible()
    box = drawing.bounding_box()
    # The drawings are 800 units wide with words of 15 units and more.
    assert box["width"] * 15 / 800 >= 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_start_without_the_consent_box_says_so_above_the_box(open_page, live_server, language):
    """The message of a single box's error reads above the box and its words (as a group's
    error does above its boxes), as wide as they are: it was squeezed into a column beside
    them, a few words a line."""
    walk = Walk(open_page, live_server, language)
    page = walk.page
    walk.visit("/intake/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").tap()
    message = page.locator("#id_consent_error")
    expect(message).to_be_visible()
    walk.look("start-without-consent")
    box, words, said = (
        page.locator(selector).bounding_box()
        for selector in ("#id_consent", "label[for=id_consent]", "#id_consent_error")
    )
    assert said["y"] + said["height"] <= min(box["y"], words["y"]) + 1
    assert said["width"] >= words["width"]
    assert walk.problems() == {"small": {}, "english": {}, "axe": {}}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_check_in_without_a_pain_score_says_so_above_its_scale(
    open_page, live_server, content, clinician, language
):
    """The check-in asks its 0-10 questions as the first visit does: a scale of buttons in
    at most two rows, its error above it. Before, it was a column of eleven radios with the
    message beside the last one."""
    follow_up, token = start_follow_up(make_first_visit(), clinician, PLAN_WITHOUT_DOSE_CHANGE)
    walk = Walk(open_page, live_server, language)
    page = walk.page
    page.goto(walk.address(f"/intake/check-in/link/{token}/"))
    for _ in ("start", "pain without a number"):
        with page.expect_navigation():
            page.locator("main form button[type=submit]").tap()
    walk.look("check-in-pain-without-a-number")
    said = page.locator("#id_pain_score_now-error").bounding_box()
    options = page.locator(".score-option")
    expect(options).to_have_count(11)
    zero, ten = options.first.bounding_box(), options.last.bounding_box()
    assert said["y"] + said["height"] <= zero["y"]
    assert ten["y"] < zero["y"] + 2 * zero["height"] + 10
    assert walk.problems() == {"small": {}, "english": {}, "axe": {}}
