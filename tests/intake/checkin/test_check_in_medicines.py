"""A check-in's medicines as the patient knows them: carried from the last visit with their
product, strength and schedule; changed with the first visit's questions; a new one added."""

import re

import pytest
from django.test import Client

from education.readability import (
    PATIENT_GRADE_LIMIT,
    SPANISH_READING_EASE_MINIMUM,
    spanish_reading_ease,
)
from intake import medicines
from intake.check_ins import CARRIED_MEDICINE_FIELDS
from intake.models import Intake, IntakeMedicine
from intake.review.follow_up import start_follow_up
from tests.helpers import login_staff, spanish
from tests.intake.checkin.helpers import FIRST_VISIT, PLAN_WITHOUT_DOSE_CHANGE, make_first_visit
from tests.intake.journey import form_token, post
from tests.intake.review.helpers import intake_url
from tests.test_i18n_untranslated import english_left_in
from tests.test_reading_level import grade_of, page_text

pytestmark = pytest.mark.django_db
PLAN = PLAN_WITHOUT_DOSE_CHANGE
DOSES = "/intake/check-in/doses/"
ADD = "/intake/check-in/doses/medicine/"
PERCOCET = medicines.get_product("percocet")


def percocet_item(times_per_day=4):
    strength = next(s for s in PERCOCET.strengths if s.label == "5 mg/325 mg")
    schedule = medicines.Schedule.regular(1, times_per_day)
    return medicines.document_item(PERCOCET, strength, schedule, purpose="pain")


def open_doses_page(client, clinician, opioids):
    """A follow-up after a first visit with these opioids; the patient on the doses page."""
    first = make_first_visit(opioids=opioids)
    _, token = start_follow_up(first, clinician, PLAN)
    client.get(f"/intake/check-in/link/{token}/")
    post(client, "/intake/check-in/")
    post(client, "/intake/check-in/pain/", {"pain_score_now": "6"})
    post(client, "/intake/check-in/peg/", {"peg_pain": 6, "peg_enjoyment": 5, "peg_activity": 5})
    return Intake.objects.get(kind=Intake.Kind.CHECK_IN)


def test_every_column_of_a_medicine_but_its_visit_and_form_is_carried():
    columns = {field.name for field in IntakeMedicine._meta.concrete_fields}
    assert set(CARRIED_MEDICINE_FIELDS) == columns - {"id", "intake", "form_token"}


def test_a_medicine_is_carried_and_shown_as_the_patient_entered_it(client, clinician):
    check_in = open_doses_page(client, clinician, [percocet_item()])

    carried = check_in.medicines.get()
    assert (carried.product, carried.strength_label, carried.schedule["times_per_day"]) == (
        "percocet",
        "5 mg/325 mg",
        4,
    )
    page = client.get(DOSES).content.decode()
    assert "Percocet 5 mg/325 mg, 1 tablet 4 times a day" in page
    # Changed with its own questions, not as a daily total of oxycodone the patient never sees.
    assert f'name="dose_{carried.pk}"' not in page
    assert f'value="change_{carried.pk}"' in page


def test_changing_a_medicine_asks_its_questions_answered_as_before(client, clinician):
    check_in = open_doses_page(client, clinician, [percocet_item()])
    old = check_in.medicines.get()

    response = post(client, DOSES, {"action": f"change_{old.pk}"})
    assert response.url == f"{ADD}{old.pk}/"
    page = client.get(response.url).content.decode()
    assert "Change a medicine" in page
    assert re.search(r'<input[^>]*value="5 mg/325 mg"[^>]*checked', page)
    assert re.search(r'name="times_per_day"[^>]*value="4"', page)

    posted = {
        "medicine": "Percocet",
        "product": "percocet",
        "strength": "5 mg/325 mg",
        "amount": "1",
        "times_per_day": "3",
        "purpose": "pain",
        "form_token": form_token(client.get(response.url)),
        "action": "add",
    }
    saved = post(client, response.url, posted)
    assert saved.url == DOSES
    changed = check_in.medicines.get()
    assert (changed.daily_dose, changed.position, changed.schedule["times_per_day"]) == (15, 0, 3)
    assert "Medicine changed." in client.get(DOSES).content.decode()
    # A second click on the same form changes nothing more and lands on the list.
    again = post(client, response.url, posted)
    assert again.url == DOSES
    assert check_in.medicines.count() == 1


def test_a_new_opioid_is_added_in_a_check_in_and_screened(client, clinician):
    check_in = open_doses_page(client, clinician, FIRST_VISIT["opioids"])
    morphine = check_in.medicines.get()

    # The page's own answers are saved first: a changed dose is never lost on the way.
    response = post(client, DOSES, {f"dose_{morphine.pk}": "90", "action": "add_medicine"})
    assert response.url == ADD
    morphine.refresh_from_db()
    assert morphine.daily_dose == 90

    which = post(client, ADD, {"medicine": "nrco", "action": "find", "form_token": ""})
    assert "Which one is “nrco”?" in which.content.decode()
    assert 'value="norco"' in which.content.decode()
    chosen = {"medicine": "nrco", "product": "norco", "stage": "choose", "action": "find"}
    token = form_token(post(client, ADD, chosen))
    norco = {
        "medicine": "nrco",
        "product": "norco",
        "strength": "10 mg/325 mg",
        "amount": "1",
        "times_per_day": "4",
        "purpose": "pain",
        "form_token": token,
        "action": "add",
    }
    assert post(client, ADD, norco).url == DOSES
    page = client.get(DOSES).content.decode()
    assert "Medicine added." in page
    assert "Norco 10 mg/325 mg, 1 tablet 4 times a day" in page

    for slug, data in [
        ("doses", {f"dose_{morphine.pk}": "90"}),
        ("withdrawal", {}),
        ("anything-new", {"has_something_new": "False"}),
    ]:
        assert post(client, f"/intake/check-in/{slug}/", data).status_code == 302
    assert post(client, "/intake/check-in/check/").url == "/intake/check-in/done/"
    check_in.refresh_from_db()
    # Morphine 90 mg x 1 + hydrocodone 40 mg x 1 (CDC 2022 factors).
    assert check_in.screenings.get(is_current=True).mme_total == 130
    # The clinician sees the new medicine as the patient entered it, with its MME.
    page = login_staff(Client(), clinician).get(intake_url(check_in)).content.decode()
    assert "As entered: Norco 10 mg/325 mg, 1 tablet 4 times a day" in page
    assert "40.0" in page


def test_an_incomplete_new_medicine_is_asked_about_at_its_field(client, clinician):
    open_doses_page(client, clinician, FIRST_VISIT["opioids"])
    token = form_token(client.get(ADD))
    response = post(
        client,
        ADD,
        {"medicine": "Norco", "product": "norco", "strength": "10 mg/325 mg", "amount": "1"}
        | {"purpose": "pain", "form_token": token, "action": "add"},
    )
    assert response.status_code == 200
    assert "Please say how many times a day you take it." in response.content.decode()
    assert IntakeMedicine.objects.filter(intake__kind=Intake.Kind.CHECK_IN).count() == 1


def test_a_medicine_already_changed_or_gone_leads_back_to_the_list(client, clinician):
    check_in = open_doses_page(client, clinician, [percocet_item()])
    old = check_in.medicines.get()
    post(client, DOSES, {f"stopped_{old.pk}": "on"})
    assert client.get(f"{ADD}{old.pk}/").url == DOSES
    # Someone else's session reaches no check-in at all.
    assert Client().get(ADD).status_code == 410


def test_the_medicine_pages_speak_spanish_and_read_easily(client, clinician):
    check_in = open_doses_page(client, clinician, [percocet_item()])
    old = check_in.medicines.get()
    pages = {
        "doses": DOSES,
        "change": f"{ADD}{old.pk}/",
        "add": ADD,
    }
    for name, path in pages.items():
        english = client.get(path)
        assert grade_of(english) <= PATIENT_GRADE_LIMIT, name
        in_spanish = client.get(spanish(path))
        spanish_html = in_spanish.content.decode()
        assert '<html lang="es">' in spanish_html, name
        assert english_left_in(spanish_html) == [], name
        reading_ease = spanish_reading_ease(page_text(in_spanish))
        assert reading_ease >= SPANISH_READING_EASE_MINIMUM, name
