"""A patient completes the whole intake in headless Chromium, once in each language: in
English on a 390 x 844 phone by keyboard alone, in Spanish by touch on a 320 px screen, where
no page is wider than the screen. The same answers make the same stored intake and screening,
and axe-core finds nothing on any page state, errors included."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import translation
from playwright.sync_api import expect

from intake.models import Intake
from tests.helpers import axe_violations
from tests.test_i18n_same_answers import stored_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The answers, by input name; the pages are found and filled by what they ask.
ANSWERS = {
    "full_name": "María José 李",
    "dob_month": "2",
    "dob_day": "28",
    "dob_year": "71",  # a two-digit year: read as 1971
    "email": "maria@example.com",
    "currently_taking_opioids": "True",
    "years": "2",
    "months": "0",
    "dose_change_last_6_months": "increased",
    "dose_change_ago": "10",
    "dose_change_ago_unit": "weeks",
    "pain_when_dose_increased": "worse",
    "pain_when_dose_decreased": "not_tried",
    "pain_between_doses_or_missed_dose": "no_change",
    "current_pain_sites": ["neck", "left_shoulder", "right_shoulder", "lower_back"],
    "original_pain_sites": ["lower_back"],
    "pain_score_now": "8",
    "pain_score_at_start": "5",
    "peg_pain": "8",
    "peg_enjoyment": "7",
    "peg_activity": "8",
    "new_pain_qualities": ["burning", "allodynia"],
    "new_injury_or_disease_progression": "False",
    "known_opioid_use_disorder": "False",
    # The issue 22 journey: clonazepam and gabapentin, no naloxone at home.
    "other_medicines_ticked": ["clonazepam", "gabapentin"],
    "naloxone_at_home": "no",
}
# The medicine's name first; then that product's strength and how it is taken.
MEDICINE_NAME = {"medicine": "Norco"}
MEDICINE = {"strength": "10 mg/325 mg", "times_per_day": "4", "purpose": "pain"}
# Pages first shown with nothing filled in, to check their errors too.
SHOW_ERRORS_ON = {
    "about-you",
    "opioid-use",
    "time-on-opioids",
    "pain-map",
    "pain-past-week",
    "oud",
    "other-medicines",
}


class Patient:
    """Fills each page by keyboard (Tab, arrows, Space, typing) or by tapping."""

    def __init__(self, page, how, language="en", checks_axe=False):
        self.page, self.how, self.language, self.checks_axe = page, how, language, checks_axe
        self.violations = {}

    def words(self, english):
        """What the page says for `english` in the patient's language (the site's catalogue)."""
        with translation.override(self.language):
            return translation.gettext(english)

    def look(self, state, axe=True):
        """No page wider than the screen; and axe-core on this page state, once per state
        (`axe=False` for a state another test already checks)."""
        if self.checks_axe and axe:
            self.violations[state] = axe_violations(self.page)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        viewport = self.page.viewport_size["width"]
        assert width <= viewport, f"{state}: {width} px wide on a {viewport} px screen"

    def focus(self, locator):
        """Keyboard: Tab until the element has focus (never a click)."""
        handle = locator.element_handle()
        for _ in range(400):
            if self.page.evaluate("e => document.activeElement === e", handle):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {locator}")

    def press(self, locator):
        """A button or link that opens the next page."""
        with self.page.expect_navigation():
            if self.how == "keyboard":
                self.focus(locator)
                self.page.keyboard.press("Enter")
            else:
                locator.tap()

    def type_into(self, locator, text):
        if self.how == "keyboard":
            self.focus(locator)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)
        else:
            locator.tap()
            locator.fill(text)

    def tick(self, box):
        if box.is_checked():
            return
        if self.how == "keyboard":
            self.focus(box)
            self.page.keyboard.press("Space")
        else:
            box.tap()
        expect(box).to_be_checked()

    def choose_radio(self, name, value):
        target = self.page.locator(f"input[name='{name}'][value='{value}']")
        if self.how == "touch":
            target.tap()
        else:
            # Tab stops once on a group (on its chosen radio, else its first);
            # Space chooses the one with focus, the arrow keys move and choose.
            radios = self.page.locator(f"input[name='{name}']")
            chosen = self.page.locator(f"input[name='{name}']:checked")
            self.focus(chosen if chosen.count() else radios.first)
            if not target.evaluate("e => e === document.activeElement"):
                for _ in range(radios.count()):
                    self.page.keyboard.press("ArrowDown")
                    if target.is_checked():
                        break
            self.page.keyboard.press("Space")
        expect(target).to_be_checked()

    def select(self, locator, value):
        if self.how == "keyboard":
            self.focus(locator)
            for _ in range(80):
                if locator.input_value() == value:
                    return
                self.page.keyboard.press("ArrowDown")
            raise AssertionError(f"{value} not reached in the list")
        locator.tap()
        locator.select_option(value)

    def answer(self, name, value):
        inputs = self.page.locator(f"[name='{name}']")
        if inputs.count() == 0:
            return
        kind = inputs.first.get_attribute("type") or inputs.first.evaluate(
            "e => e.tagName.toLowerCase()"
        )
        if kind == "radio":
            self.choose_radio(name, value)
        elif kind == "checkbox":
            for one in value if isinstance(value, list) else [value]:
                self.tick(self.page.locator(f"input[name='{name}'][value='{one}']"))
        elif kind == "select":
            self.select(inputs.first, value)
        else:
            self.type_into(inputs.first, value)

    def answer_page(self, answers):
        """Every one of `answers` this page asks: one look at the page for the names of its
        fields, instead of one question to the page per known answer."""
        on_the_page = set(
            self.page.evaluate("() => [...document.querySelectorAll('[name]')].map(e => e.name)")
        )
        for name, value in answers.items():
            if name in on_the_page:
                self.answer(name, value)

    def continue_(self):
        self.press(self.page.get_by_role("button", name=self.words("Continue"), exact=True))


def slug_of(page):
    """The form page the browser is on, by its English name whatever the language of its
    address ("/es/formulario/sobre-usted/" is "about-you"); "start" for the first page."""
    path = urlsplit(page.url).path
    with translation.override("es" if path.startswith("/es/") else "en"):
        match = resolve(path)
    return match.kwargs.get("slug") or match.url_name


# What the check page shows for the date of birth, by language.
BIRTH_DATE_SHOWN = {"en": "February 28, 1971", "es": "28 de febrero de 1971"}


def complete_the_journey(page, live_server, how, language="en", checks_axe=False):
    patient = Patient(page, how, language, checks_axe)
    words = patient.words
    prefix = "" if language == "en" else f"/{language}"
    page.goto(live_server.url + prefix + "/intake/")
    patient.look("start")
    patient.press(page.get_by_role("button", name=words("Start now")))
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator("#error-summary")).to_be_focused()
    patient.look("start-error")
    patient.tick(page.get_by_label(words("I agree to share my answers with the pain clinic team.")))
    patient.press(page.get_by_role("button", name=words("Start now")))

    for _ in range(40):
        slug = slug_of(page)
        if slug == "check":
            break
        if slug == "medicines":
            expect(page.locator("h1")).to_have_text(words("Your opioid medicines"))
            patient.look("medicines")
            for field, value in MEDICINE_NAME.items():
                patient.answer(field, value)
            patient.press(page.get_by_role("button", name=words("Find this medicine")))
            for field, value in MEDICINE.items():
                patient.answer(field, value)
            patient.press(page.get_by_role("button", name=words("Add this medicine")))
            expect(page.locator("#medicine-list")).to_contain_text("Norco")
            patient.press(page.get_by_role("button", name=words("Continue"), exact=True))
            continue
        if slug in SHOW_ERRORS_ON:
            patient.continue_()
            expect(page).to_have_title(re.compile("^Error: "))
            expect(page.locator("#error-summary")).to_be_focused()
            patient.look(f"{slug}-error")
        # Every question is the page's h1 or a fieldset's legend.
        assert page.locator("h1").count() == 1
        patient.look(slug)
        patient.answer_page(ANSWERS)
        patient.continue_()
        assert slug_of(page) != slug, f"{slug} did not move on"

    expect(page.locator("h1")).to_have_text(words("Check your answers"))
    patient.look("check")
    main = page.locator("main")
    expect(main).to_contain_text("María José 李")
    expect(main).to_contain_text(BIRTH_DATE_SHOWN[language])
    expect(main).to_contain_text(
        f"{words('Not asked.')} {words('You said you take opioid medicine now.')}"
    )
    # Every answer has its own Change link (a skipped one says why instead).
    rows = page.locator("main dl.answers .answer-row")
    changes = page.locator("main dl.answers .answer-change a")
    skipped = page.locator("main dl.answers .answer-row", has_text=words("Not asked."))
    assert changes.count() == rows.count() - skipped.count()
    with translation.override(language):
        pain_details = reverse("intake:step", args=["pain-details"])
    patient.press(page.locator(f"main dl.answers .answer-change a[href*='{pain_details}']").first)
    expect(page.locator("h1")).to_have_text(words("How bad is your pain now?"))
    patient.choose_radio("pain_score_now", "9")
    patient.continue_()
    expect(page.locator("h1")).to_have_text(words("Check your answers"))
    expect(main).to_contain_text(words("%(score)s out of 10") % {"score": 9})
    patient.press(page.get_by_role("button", name=words("Send my answers")))

    expect(page.locator("h1")).to_contain_text(words("Thank you"))
    patient.look("done")
    text = page.locator("main").inner_text().lower()
    assert "flag" not in text and "borderline" not in text and "mme" not in text
    patient.press(page.get_by_role("link", name=words("See your answers, to print or keep")))
    expect(page.locator("h1")).to_have_text(words("A copy of your answers"))
    patient.look("done-answers")

    intake = Intake.objects.get()
    assert intake.status == Intake.Status.SUBMITTED
    assert str(intake.date_of_birth) == "1971-02-28"
    assert intake.current_pain_sites == ["neck", "right_shoulder", "left_shoulder", "lower_back"]
    assert intake.months_since_stopped is None
    assert intake.pain_score_now == 9
    assert intake.known_opioid_use_disorder is False
    assert {state: found for state, found in patient.violations.items() if found} == {}
    return patient


def test_a_patient_completes_the_intake_in_english_by_keyboard_and_in_spanish_by_touch_at_320_px(
    open_page, live_server, content
):
    """One walk per language, each through every page state, checked by axe: in English on
    a 390 px phone by keyboard alone (Tab, arrows, Space, Enter: never a click), in Spanish
    by touch on a 320 px screen, where the longer Spanish words are the hardest test of
    "no page wider than the screen". The same answers make the same stored intake."""
    stored = {}
    walks = {
        "en": ({"width": 390, "height": 844}, "keyboard"),
        "es": ({"width": 320, "height": 640}, "touch"),
    }
    for language, (viewport, how) in walks.items():
        page = open_page(viewport=viewport, has_touch=how == "touch")
        complete_the_journey(page, live_server, how, language, checks_axe=True)
        intake = Intake.objects.get()
        stored[language] = stored_records(intake)
        # Apart, so the second is not read as the same patient's next visit.
        patient = intake.patient
        intake.delete()
        patient.delete()
    # Field for field the same, the screening included; only the language differs.
    assert (stored["en"]["intake"].pop("language"), stored["es"]["intake"].pop("language")) == (
        "en",
        "es",
    )
    assert stored["es"] == stored["en"]
    assert stored["en"]["screenings"][0]["level"] and len(stored["en"]["medicines"]) == 1


def contrast(rgb_a, rgb_b):
    def luminance(rgb):
        def channel(c):
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rgb(css):
    return tuple(int(n) for n in re.findall(r"\d+", css)[:3])


def test_form_controls_and_their_focus_rings_stand_out_3_to_1(page, live_server):
    """WCAG 1.4.11: borders of boxes, radios and scale buttons, and the focus ring."""
    page.goto(live_server.url + "/intake/")
    page.get_by_label("I agree to share my answers").check()
    page.get_by_role("button", name="Start now").click()
    white = (255, 255, 255)
    checked = {}
    for url, selector in (
        ("/intake/about-you/", "#id_full_name"),
        ("/intake/opioid-use/", "input[type=radio]"),
        ("/intake/pain-details/", ".score-option label"),
        ("/intake/new-pain/", "input[type=checkbox]"),
        ("/intake/pain-map/", ".bm-marker"),
    ):
        page.goto(live_server.url + url)
        control = page.locator(selector).first
        border = control.evaluate("e => getComputedStyle(e).borderTopColor")
        checked[selector] = contrast(rgb(border), white)
        size = control.bounding_box()
        if selector != "#id_full_name":
            # The tap target: the control with its label row, at least 44 px tall.
            row = control.evaluate(
                "e => (e.closest('.form-check, .score-option') || e).getBoundingClientRect().height"
            )
            assert row >= 44 or size["height"] >= 44, (selector, row)
    page.goto(live_server.url + "/intake/opioid-use/")
    page.keyboard.press("Tab")
    radio = page.locator("input[type=radio]").first
    radio.focus()
    outline = radio.evaluate("e => getComputedStyle(e).outlineColor")
    checked["focus ring"] = contrast(rgb(outline), white)
    assert {name: ratio for name, ratio in checked.items() if ratio < 3} == {}


def test_the_0_to_10_scale_is_two_rows_of_44_px_targets_at_320_px(open_page, live_server):
    """Eleven 44 px numbers do not fit on one row of a 320 px screen: 0-5, then 6-10."""
    page = open_page(viewport={"width": 320, "height": 640}, has_touch=True)
    page.goto(live_server.url + "/intake/")
    page.get_by_label("I agree to share my answers").check()
    page.get_by_role("button", name="Start now").click()
    page.goto(live_server.url + "/intake/pain-details/")
    tops = page.locator(".score-option").evaluate_all(
        "options => options.map(o => Math.round(o.getBoundingClientRect().top))"
    )
    assert len(tops) == 11 and len(set(tops[:6])) == 1 and len(set(tops[6:])) == 1
    assert tops[6] > tops[0]
    sizes = page.locator(".score-option label").evaluate_all(
        "labels => labels.map(l => [l.getBoundingClientRect().width, l.getBoundingClientRect().height])"
    )
    assert min(min(size) for size in sizes) >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_back_fetches_the_page_again_and_shows_the_saved_answer(page, live_server):
    page.goto(live_server.url + "/intake/")
    page.get_by_label("I agree to share my answers").check()
    page.get_by_role("button", name="Start now").click()
    response = page.goto(live_server.url + "/intake/opioid-use/")
    assert "no-store" in response.headers["cache-control"]
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator("h1")).to_contain_text("taken opioids")
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.go_back()
    expect(page.locator("input[value='False']")).to_be_checked()
    assert any(url.endswith("/intake/opioid-use/") for url in fetched)


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
