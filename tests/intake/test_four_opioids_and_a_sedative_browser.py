"""The whole journey of issue 22, as a patient and then a clinician use it.

On a 390 x 844 phone, by touch, in English and then in Spanish, a patient names four opioids as
printed on their bottles (the search finds each with its strength), says how they take them (a
combination tablet, a long-acting tablet, two patches at a time, a liquid as needed), checks
their answers and sends the form. Their other answers (clonazepam and gabapentin ticked on the
"Other medicines" page, no naloxone at home) are given beforehand through the test client: the
journey test walks those pages in the browser, and test_other_medicines_browser ticks those
boxes by touch. A clinician on a 1366 px desktop signs in with the second factor and opens the
intake: MME 270 (oih-facts section 5, worked below), the sedative and naloxone warnings in
words, and each dose exactly as entered. axe-core finds nothing on any page state."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from intake.models import Intake
from tests.helpers import PHONE_VIEWPORT, axe_violations, in_language, make_staff
from tests.intake.journey import fill_all_steps
from tests.intake.review.test_browser import log_in
from tests.intake.test_journey_browser import Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the patient types in the name box, the suggestion they tap, and then their answers.
MEDICINES = [
    ("percocet 10/325", "Percocet 10 mg/325 mg", {"times_per_day": "4"}),
    ("ms contin 30", "MS Contin 30 mg", {"times_per_day": "2"}),
    (
        "fentanyl 25 mcg/hr patch",
        "Fentanyl patch 25 mcg/hr",
        {"patches": "2", "change_every_days": "3"},
    ),
    (
        "oxycodone 5 mg/5 mL",
        "Oxycodone oral solution 5 mg/5 mL",
        {"amount": "5", "times_per_day": "", "most_times_per_day": "4"},
    ),
]
# Each dose as the clinician reads it, with its MME (oih-facts section 5):
# Percocet 10 mg x 4 = 40 mg oxycodone x 1.5 = 60; MS Contin 30 mg x 2 = 60 mg morphine x 1 = 60;
# two 25 mcg/hr patches = 50 mcg/hr x 2.4 = 120; 5 mL of 5 mg/5 mL, up to 4 times = 20 mg
# oxycodone x 1.5 = 30. Total 270.
ENTERED = [
    ("Percocet 10 mg/325 mg, 1 tablet 4 times a day", "40 mg/day", "60.0"),
    ("MS Contin 30 mg, 1 tablet twice a day", "60 mg/day", "60.0"),
    (
        "Fentanyl patch 25 mcg/hr, 2 patches at a time, changed every 3 days",
        "50 mcg/hr",
        "120.0",
    ),
    (
        "Oxycodone oral solution 5 mg/5 mL, 5 mL at a time as needed, up to 4 times a day",
        "20 mg/day",
        "30.0",
    ),
]
WARNINGS = [
    "Sedative with opioids: review the combination",
    "No naloxone at home: offer naloxone",
]


# Products named by what they are show their Spanish name on Spanish pages.
SPANISH_NAMES = {
    "Fentanyl patch": "Parche de fentanilo",
    "Oxycodone oral solution": "Oxicodona en solución oral",
}


def shown_in(language, suggestion):
    if language == "es":
        for english, spanish in SPANISH_NAMES.items():
            suggestion = suggestion.replace(english, spanish)
    return suggestion


def list_the_medicines(patient):
    page, words = patient.page, patient.words
    box = page.get_by_role("combobox", name=words("Name of the medicine"))
    for typed, english_suggestion, answers in MEDICINES:
        suggestion = shown_in(patient.language, english_suggestion)
        box.tap()
        box.fill("")
        box.press_sequentially(typed)
        expect(box).to_have_attribute("aria-expanded", "true")
        option = page.get_by_role(
            "option", name=re.compile("^" + re.escape(suggestion).replace("/", r"\/"))
        )
        patient.press(option.first)
        expect(page.locator("#chosen-medicine")).to_contain_text(suggestion.split(" ")[0])
        patient.look(f"medicines-{typed}")
        for name, value in answers.items():
            patient.type_into(page.locator(f"input[name={name}]"), value)
        patient.choose_radio("purpose", "pain")
        patient.press(page.get_by_role("button", name=words("Add this medicine")))
        expect(page.locator("#id_medicine-error, .invalid-feedback:visible")).to_have_count(0)
    expect(page.locator("#medicine-list li")).to_have_count(len(MEDICINES))
    patient.look("medicines-four-listed")
    patient.press(page.get_by_role("button", name=words("Continue"), exact=True))


# The answers given before the browser opens: every page but the medicines, with the
# sedatives of this journey and no naloxone at home.
OTHER_MEDICINES = {
    "other_medicines_ticked": ["clonazepam", "gabapentin"],
    "other_medicines_typed": "",
    "naloxone_at_home": "no",
}


def answered_but_the_medicines():
    """A session with every question answered and no medicine listed yet."""
    client = Client()
    fill_all_steps(client, {"other-medicines": OTHER_MEDICINES})
    Intake.objects.get().medicines.all().delete()
    return client.cookies["sessionid"].value


def send_the_form(page, live_server, language):
    patient = Patient(page, "touch", language, checks_axe=True)
    words = patient.words
    page.context.add_cookies(
        [{"name": "sessionid", "value": answered_but_the_medicines(), "url": live_server.url}]
    )
    page.goto(live_server.url + in_language("/intake/medicines/", language))
    list_the_medicines(patient)
    page.goto(live_server.url + in_language("/intake/check/", language))
    expect(page.locator("h1")).to_have_text(words("Check your answers"))
    patient.look("check")
    patient.press(page.get_by_role("button", name=words("Send my answers")))
    expect(page.locator("h1")).to_contain_text(words("Thank you"))
    patient.look("done", axe=False)
    return patient


def read_the_intake_page(open_page, live_server, intake, username):
    make_staff(username, "Clinicians")
    page = open_page(viewport={"width": 1366, "height": 900})
    log_in(page, live_server.url, username)
    page.goto(f"{live_server.url}/admin/intake/intake/{intake.pk}/change/")
    rows = page.locator("table.oih-medicines tbody tr")
    expect(rows).to_have_count(len(ENTERED))
    for position, (entered, daily, mme) in enumerate(ENTERED):
        row = rows.nth(position)
        expect(row).to_contain_text("As entered: " + entered)
        expect(row.locator("td").nth(1)).to_have_text(daily)
        expect(row.locator("td").nth(3)).to_have_text(mme)
    expect(page.locator("table.oih-medicines tfoot .oih-total")).to_have_text("270.0")
    main = page.locator("#content")
    for warning in WARNINGS:
        expect(main).to_contain_text(warning)
    expect(main).to_contain_text("Klonopin (clonazepam; benzodiazepine)")
    return axe_violations(page)


@pytest.mark.parametrize("language", ["en", "es"])
def test_four_opioids_clonazepam_and_no_naloxone_reach_the_clinician_as_270_mme(
    open_page, live_server, content, language
):
    page = open_page(viewport=PHONE_VIEWPORT, has_touch=True)
    patient = send_the_form(page, live_server, language)

    intake = Intake.objects.get()
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.language == language
    assert [m.entered_as for m in intake.medicines.all()] == [e for e, _, _ in ENTERED]
    assert intake.other_medicines_ticked == ["clonazepam", "gabapentin"]
    screening = intake.screenings.latest("pk")
    assert float(screening.mme_total) == 270.0
    assert {"sedative_with_opioid", "naloxone_not_at_home", "mme_ge_90"} <= set(
        screening.alert_codes
    )

    patient.violations["clinician-intake-page"] = read_the_intake_page(
        open_page, live_server, intake, f"clinician-{language}"
    )
    assert {state: found for state, found in patient.violations.items() if found} == {}
