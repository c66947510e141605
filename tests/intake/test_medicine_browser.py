"""A patient lists their medicines on a 390 x 844 phone, by touch with the instant search
(JavaScript on): combination tablets, a misspelt brand, a patch, a film and a medicine not on
the list. The check page shows each as entered, nothing is lost or doubled, axe finds nothing,
and the clinician's intake page shows each product with its daily opioid dose and MME."""

import re

import pytest
from playwright.sync_api import expect

from intake.models import Intake
from intake.submission import submit_intake
from tests.helpers import DESKTOP_VIEWPORT, PHONE_VIEWPORT, axe_violations, make_staff
from tests.intake.review.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ENTERED = [
    "Percocet 5 mg/325 mg, 1 tablet 4 times a day",
    "Norco 10 mg/325 mg, 1 tablet 4 times a day",
    "Duragesic 25 mcg/hr patch, changed every 3 days",
    "Suboxone 8 mg/2 mg, 1 film twice a day",
    "Zorbex 10 mg, 1 at a time, twice a day",
]


class Phone:
    """Taps and typing on the medicines page, counting the taps and the pages loaded."""

    def __init__(self, page):
        self.page = page
        self.taps = 0
        self.pages = 0
        self.violations = {}

    def tap(self, locator):
        self.taps += 1
        locator.tap()

    def tap_to_page(self, locator):
        with self.page.expect_navigation():
            self.tap(locator)
        self.pages += 1

    def type(self, locator, text):
        self.tap(locator)
        locator.fill("")
        locator.press_sequentially(text)

    def look(self, state):
        self.violations[state] = axe_violations(self.page)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{state}: {width} px wide"

    def search(self, typed, option):
        """Types into the search box and taps the suggestion: that product's questions."""
        box = self.page.get_by_role("combobox", name="Name of the medicine")
        self.type(box, typed)
        expect(box).to_have_attribute("aria-expanded", "true")
        choice = self.page.get_by_role("option", name=re.compile(f"^{option}"))
        self.tap_to_page(choice.first)
        expect(self.page.locator("#chosen-medicine")).to_contain_text(option)

    def answer(self, strength=None, typed_strength=None, **numbers):
        if strength:
            self.tap(self.page.get_by_role("radio", name=strength, exact=True))
        if typed_strength is not None:
            self.type(self.page.locator("input[name=strength_typed]"), typed_strength)
        for name, value in numbers.items():
            if name == "purpose":
                self.tap(self.page.locator(f"input[name=purpose][value={value}]"))
            else:
                self.type(self.page.locator(f"input[name={name}]"), value)

    def add(self):
        self.tap_to_page(self.page.get_by_role("button", name="Add this medicine"))


@pytest.fixture
def phone(open_page, live_server):
    page = open_page(viewport=PHONE_VIEWPORT, has_touch=True)
    page.goto(live_server.url + "/intake/")
    page.get_by_label("I agree to share my answers").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    page.goto(live_server.url + "/intake/medicines/")
    return Phone(page)


def test_a_patient_lists_five_medicines_by_touch_and_the_clinician_sees_them(
    phone, live_server, open_page, content
):
    page = phone.page
    phone.look("blank")

    # Percocet: 325 (the acetaminophen part) gets a question, then the strength on the label.
    phone.search("perc", "Percocet")
    phone.look("percocet-questions")
    phone.answer(typed_strength="325", times_per_day="4", purpose="pain")
    phone.add()
    expect(page.locator("#id_strength_typed-error")).to_contain_text(
        "325 mg is usually the acetaminophen part of Percocet. Which strength is on the label?"
    )
    expect(page.locator("#medicine-list")).to_have_text("No medicines added yet.")
    phone.look("percocet-325-question")
    phone.answer(strength="5 mg/325 mg", typed_strength="")
    phone.add()
    expect(page.locator("#medicine-list")).to_contain_text(ENTERED[0])

    # Norco by a misspelling, chosen with the keyboard's arrows and Enter.
    box = page.get_by_role("combobox", name="Name of the medicine")
    phone.type(box, "nrco")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile("options-0$"))
    with page.expect_navigation():
        box.press("Enter")
    expect(page.locator("#chosen-medicine")).to_contain_text("Norco")
    phone.answer(strength="10 mg/325 mg", times_per_day="4", purpose="pain")
    phone.add()

    # A fentanyl patch: its strength and how often it is changed.
    phone.search("duragesic", "Duragesic")
    phone.answer(strength="25 mcg/hr", change_every_days="3", purpose="pain")
    phone.add()

    # A buprenorphine film.
    phone.search("suboxone", "Suboxone")
    phone.answer(strength="8 mg/2 mg", times_per_day="2", purpose="oud_treatment")
    phone.add()

    # A medicine not on the list: Escape closes the (empty) suggestions, Find keeps it.
    phone.type(box, "Zorbex")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    phone.tap_to_page(page.get_by_role("button", name="Find this medicine"))
    phone.look("not-on-the-list")
    phone.tap(page.get_by_label("It is not on the list: keep “Zorbex” as I typed it"))
    phone.tap_to_page(page.get_by_role("button", name="Next"))
    phone.answer(typed_strength="10 mg", times_per_day="2", purpose="pain")
    phone.add()
    phone.look("five-listed")

    items = page.locator("#medicine-list li")
    expect(items).to_have_count(5)
    for position, text in enumerate(ENTERED):
        expect(items.nth(position)).to_contain_text(text)

    phone.tap_to_page(page.get_by_role("button", name="Continue", exact=True))
    page.goto(live_server.url + "/intake/check/")
    answers = page.locator("main dl.answers").nth(1)
    for text in ENTERED:
        expect(answers).to_contain_text(text)
    expect(answers).to_contain_text("(20 mg of oxycodone a day)")
    phone.look("check")
    assert {state: found for state, found in phone.violations.items() if found} == {}

    intake = Intake.objects.get()
    assert intake.medicines.count() == 5
    assert [m.entered_as for m in intake.medicines.all()] == ENTERED

    # The clinician's page, on a desktop.
    Intake.objects.filter(pk=intake.pk).update(currently_taking_opioids=True)
    submit_intake(intake.pk)
    make_staff("clinician", "Clinicians")
    admin = open_page(viewport=DESKTOP_VIEWPORT)
    log_in(admin, live_server.url, "clinician")
    admin.goto(f"{live_server.url}/admin/intake/intake/{intake.pk}/change/")
    rows = admin.locator("table.oih-medicines tbody tr")
    expect(rows).to_have_count(5)
    percocet = rows.nth(0)
    expect(percocet).to_contain_text("Percocet (Oxycodone)")
    expect(percocet).to_contain_text("As entered: " + ENTERED[0])
    expect(percocet.locator("td").nth(1)).to_have_text("20 mg/day")
    expect(percocet.locator("td").nth(3)).to_have_text("30.0")
    expect(rows.nth(1).locator("td").nth(3)).to_have_text("40.0")
    expect(rows.nth(2).locator("td").nth(3)).to_have_text("60.0")
    # Norco 40 + Duragesic 60 + Percocet 30; the film is not added, Zorbex is not converted.
    expect(admin.locator("table.oih-medicines tfoot .oih-total")).to_have_text("at least 130.0")


def test_the_standard_two_medicines_take_twelve_taps(phone):
    """Percocet 5/325 one tablet 4 times a day, OxyContin 20 mg twice a day, then Continue
    (the second saved by Continue itself): the figure in the issue's closing note."""
    page = phone.page
    phone.search("perc", "Percocet")
    phone.answer(strength="5 mg/325 mg", times_per_day="4", purpose="pain")
    phone.add()
    phone.search("oxycontin", "OxyContin")
    phone.answer(strength="20 mg", times_per_day="2", purpose="pain")
    phone.tap_to_page(page.get_by_role("button", name="Continue", exact=True))
    assert re.search(r"/intake/opioid-use/$", page.url)
    medicines = Intake.objects.get().medicines.all()
    assert [m.entered_as for m in medicines] == [
        "Percocet 5 mg/325 mg, 1 tablet 4 times a day",
        "OxyContin 20 mg, 1 tablet twice a day",
    ]
    print(f"two medicines: {phone.taps} taps, {phone.pages} pages loaded")
    assert (phone.taps, phone.pages) == (12, 4)


def test_the_name_on_the_bottle_keeps_its_strength_and_a_non_opioid_is_said_so(phone, live_server):
    """ "norco 5-325" typed as on the bottle: the suggestion carries the strength, which is
    chosen already on the next page. "gabapentin" is said not to be an opioid as it is typed
    and on the which-one page, in English and Spanish, and is never offered to be kept."""
    page = phone.page
    box = page.get_by_role("combobox", name="Name of the medicine")
    phone.type(box, "norco 5-325")
    phone.tap_to_page(page.get_by_role("option", name="Norco 5 mg/325 mg"))
    expect(page.locator("#chosen-medicine")).to_contain_text("Norco")
    expect(page.get_by_role("radio", name="5 mg/325 mg", exact=True)).to_be_checked()
    phone.look("strength-from-the-name")
    phone.answer(times_per_day="4", purpose="pain")
    phone.add()
    expect(page.locator("#medicine-list")).to_contain_text(
        "Norco 5 mg/325 mg, 1 tablet 4 times a day"
    )

    phone.type(box, "gabapentin 300")
    message = (
        "“gabapentin 300” is not an opioid, so it does not go on this list. You can list it "
        "on the “Other medicines” page."
    )
    expect(page.locator(".medicine-search .alert-info")).to_have_text(message)
    phone.look("not-an-opioid-typed")
    phone.tap_to_page(page.get_by_role("button", name="Find this medicine"))
    expect(page.locator("#id_medicine")).to_have_text(message)
    expect(page.locator("input[value=unlisted]")).to_have_count(0)
    phone.look("not-an-opioid-found")

    page.goto(live_server.url + "/es/formulario/medicamentos/")
    box = page.get_by_role("combobox", name="Nombre del medicamento")
    phone.type(box, "gabapentina")
    expect(page.locator(".medicine-search .alert-info")).to_contain_text(
        "“gabapentina” no es un opioide"
    )
    phone.look("not-an-opioid-typed-es")
    phone.tap_to_page(page.get_by_role("button", name="Buscar este medicamento"))
    expect(page.locator("#id_medicine")).to_contain_text("“Otros medicamentos”")
    phone.look("not-an-opioid-found-es")
    assert {state: found for state, found in phone.violations.items() if found} == {}
    assert [m.entered_as for m in Intake.objects.get().medicines.all()] == [
        "Norco 5 mg/325 mg, 1 tablet 4 times a day"
    ]


def test_numbers_as_typed_patches_as_needed_a_repeat_and_undo_on_a_phone(phone):
    """Half a tablet typed with a decimal comma, two patches at once, a liquid as needed, a
    strength typed in the amount box, the same medicine again, and Remove then Undo: each
    state read by axe at 390 px."""
    page = phone.page
    phone.search("perc", "Percocet")
    phone.answer(strength="5 mg/325 mg", amount="30 mg", times_per_day="4", purpose="pain")
    phone.add()
    expect(page.locator("#id_amount-error")).to_contain_text(
        "Please type how many you take each time, such as 1 or 1/2."
    )
    phone.look("strength-in-the-amount-box")
    phone.answer(amount="0,5")
    phone.add()
    phone.look("half-a-tablet-added")

    phone.search("duragesic", "Duragesic")
    expect(page.get_by_label("How many patches do you wear at a time?")).to_have_value("1")
    phone.answer(strength="50 mcg/hr", patches="2", change_every_days="3", purpose="pain")
    phone.add()

    phone.search("oxycodone liquid", "Oxycodone oral solution")
    expect(page.get_by_label("How many mL do you take each time?")).to_be_visible()
    phone.look("liquid-questions")
    phone.answer(strength="5 mg/5 mL", amount="5", most_times_per_day="4", purpose="pain")
    phone.add()

    phone.search("perc", "Percocet")
    phone.answer(strength="5 mg/325 mg", amount="1", times_per_day="4", purpose="pain")
    phone.add()
    expect(page.locator("#id_also_take-error")).to_contain_text("You have already added Percocet.")
    phone.look("the-same-medicine-again")

    entered = [
        "Percocet 5 mg/325 mg, 0.5 tablets 4 times a day",
        "Duragesic 50 mcg/hr, 2 patches at a time, changed every 3 days",
        "Oxycodone oral solution 5 mg/5 mL, 5 mL at a time as needed, up to 4 times a day",
    ]
    page.goto(page.url.split("?")[0])
    items = page.locator("#medicine-list li")
    expect(items).to_have_count(3)
    for position, text in enumerate(entered):
        expect(items.nth(position)).to_contain_text(text)

    phone.tap_to_page(items.nth(1).get_by_role("button", name="Remove"))
    expect(items).to_have_count(2)
    phone.look("removed-with-undo")
    phone.tap_to_page(page.get_by_role("button", name="Undo"))
    expect(items).to_have_count(3)
    expect(items.nth(1)).to_contain_text(entered[1])
    assert {state: found for state, found in phone.violations.items() if found} == {}

    doses = [(m.daily_dose, m.unit) for m in Intake.objects.get().medicines.all()]
    assert doses == [(10, "mg/day"), (100, "mcg/hr"), (20, "mg/day")]
