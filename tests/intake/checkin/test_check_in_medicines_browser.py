"""A check-in's medicines on a phone, in headless Chromium with JavaScript: a patient whose
first visit listed Percocet takes it 3 times a day now, and has started Norco. axe-core on
every page state."""

import re

import pytest
from playwright.sync_api import expect

from intake import medicines
from intake.models import Intake
from intake.review.follow_up import start_follow_up
from tests.helpers import axe_violations
from tests.intake.checkin.helpers import PLAN_WITHOUT_DOSE_CHANGE, make_first_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PLAN = PLAN_WITHOUT_DOSE_CHANGE


def percocet_item():
    product = medicines.get_product("percocet")
    strength = next(s for s in product.strengths if s.label == "5 mg/325 mg")
    return medicines.document_item(product, strength, medicines.Schedule.regular(1, 4), "pain")


def looked_at(page, name):
    assert axe_violations(page) == [], name


def test_a_patient_changes_a_medicine_and_adds_a_new_one_on_a_phone(live_server, page, clinician):
    _, token = start_follow_up(make_first_visit(opioids=[percocet_item()]), clinician, PLAN)
    site = live_server.url
    page.goto(f"{site}/intake/check-in/link/{token}/")
    page.get_by_role("button", name="Start my check-in").click()
    page.locator('input[name="pain_score_now"][value="6"]').check()
    page.get_by_role("button", name="Save and continue").click()
    for name in ("peg_pain", "peg_enjoyment", "peg_activity"):
        page.locator(f'input[name="{name}"][value="5"]').check()
    page.get_by_role("button", name="Save and continue").click()

    expect(
        page.locator("h2", has_text="Percocet 5 mg/325 mg, 1 tablet 4 times a day")
    ).to_be_visible()
    looked_at(page, "1-doses")

    page.get_by_role("button", name="Change how I take it (Percocet)").click()
    expect(page.locator("h1")).to_have_text("Change a medicine")
    expect(page.get_by_label("5 mg/325 mg", exact=True)).to_be_checked()
    times = page.get_by_label("How many times a day?")
    expect(times).to_have_value("4")
    times.fill("")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    looked_at(page, "2-change-error")
    page.get_by_label("How many times a day?").fill("3")
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_role("status")).to_have_text("Medicine changed.")
    expect(
        page.locator("h2", has_text="Percocet 5 mg/325 mg, 1 tablet 3 times a day")
    ).to_be_visible()

    page.get_by_role("button", name="Add an opioid I started since my last visit").click()
    expect(page.locator("h1")).to_have_text("Add a new medicine")
    box = page.get_by_role("combobox", name="Name of the medicine")
    box.press_sequentially("norco")
    expect(box).to_have_attribute("aria-expanded", "true")
    page.get_by_role("option", name=re.compile("^Norco")).first.click()
    expect(page.locator("#chosen-medicine")).to_contain_text("Norco")
    page.get_by_label("10 mg/325 mg", exact=True).check()
    page.get_by_label("How many times a day?").fill("2")
    page.locator("input[name=purpose][value=pain]").check()
    looked_at(page, "3-add")
    page.get_by_role("button", name="Add this medicine").click()
    expect(page.get_by_role("status")).to_have_text("Medicine added.")
    expect(page.locator("h2", has_text="Norco 10 mg/325 mg, 1 tablet twice a day")).to_be_visible()
    looked_at(page, "4-doses-after")

    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()
    page.locator('input[name="has_something_new"][value="False"]').check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Check and send")
    looked_at(page, "5-check")
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.locator("h1")).to_contain_text("Your check-in has been sent")

    sent = Intake.objects.get(kind=Intake.Kind.CHECK_IN)
    entered = [m.entered_as for m in sent.medicines.all()]
    assert entered == [
        "Percocet 5 mg/325 mg, 1 tablet 3 times a day",
        "Norco 10 mg/325 mg, 1 tablet twice a day",
    ]
    # Oxycodone 15 mg x 1.5 + hydrocodone 20 mg x 1 (CDC 2022 factors).
    assert sent.screenings.get(is_current=True).mme_total == 42.5
