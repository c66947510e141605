"""The same answers given in Spanish and in English make the same stored intake.

Answers are stored as language-neutral codes, so the screening cannot depend on the
language of the pages. Each journey runs through the test client with the same posted
codes, once under /es/formulario/ and once under /intake/, and is rolled back after being
read, so the two never meet as one patient's earlier and later visits.
"""

import pytest
from django.db import models, transaction

from intake.models import Intake
from tests.helpers import in_language
from tests.intake.journey import QUESTION_PAGES, VALID_ANSWERS, VALID_MEDICINE, form_token

pytestmark = pytest.mark.django_db

# Fields that differ between any two intakes whatever the answers: keys, codes, times.
PER_INTAKE = {
    "id",
    "public_id",
    "reference",
    "patient",
    "start_token",
    "resume_code_hash",
    "resume_link_hash",
    "form_token",
    "intake",
}

ANSWERS_WITH_MORE_CHOSEN = {
    **VALID_ANSWERS,
    "opioid-use": {"currently_taking_opioids": "False"},
    "time-since-stopped": {"years": "0", "months": "3"},
    "dose-change": {"dose_change_last_6_months": "stopped"},
    "between-doses": {"pain_between_doses_or_missed_dose": "worse"},
    "pain-map": {"current_pain_sites": ["head", "abdomen", "left_foot", "buttocks"]},
    "pain-map-start": {"original_pain_sites": ["right_knee"]},
    "new-pain": {"new_pain_qualities": ["electric", "temperature", "numbness"]},
    "new-injury": {
        "new_injury_or_disease_progression": "True",
        "new_injury_details": "Me caí en la escalera en marzo.",
    },
    "other-questions": {"signs_of_misuse": ["early_refill_requests", "craving"]},
    "oud": {"known_opioid_use_disorder": "rather_not_say"},
}


def _stored(record):
    """A row's stored values, without those that differ from one intake to the next."""
    values = {}
    for field in record._meta.concrete_fields:
        if field.name in PER_INTAKE or isinstance(field, models.DateTimeField):
            continue
        values[field.name] = getattr(record, field.attname)
    return values


def _give_answers(client, language, answers):
    def at(path):
        return in_language(path, language)

    assert client.post(at("/intake/"), {"consent": "on"}).status_code == 302
    assert client.post(at("/intake/about-you/"), answers["about-you"]).status_code == 302
    page = client.get(at("/intake/medicines/"))
    medicine = {**VALID_MEDICINE, "form_token": form_token(page)}
    assert client.post(at("/intake/medicines/"), medicine).status_code == 302
    assert client.post(at("/intake/medicines/"), {"action": "continue"}).status_code == 302
    for slug in QUESTION_PAGES:
        url = at(f"/intake/{slug}/")
        if client.get(url).status_code == 302:
            continue  # a page that does not apply to these answers
        response = client.post(url, answers[slug])
        assert response.status_code == 302, (
            url,
            response.context and response.context["form"].errors,
        )
    assert client.post(at("/intake/check/")).status_code == 302


def _sent_intake(client_class, language, answers):
    """What the database holds after one patient sends these answers in one language."""
    with transaction.atomic():
        _give_answers(client_class(), language, answers)
        stored = stored_records(Intake.objects.get(status=Intake.Status.SUBMITTED))
        transaction.set_rollback(True)
    return stored


def stored_records(intake):
    """The intake, its medicines and its screenings as stored, less what differs between any
    two intakes (keys, references, times)."""
    return {
        "intake": _stored(intake),
        "medicines": [_stored(m) for m in intake.medicines.order_by("id")],
        "screenings": [_stored(s) for s in intake.screenings.order_by("id")],
    }


@pytest.mark.parametrize("answers", [VALID_ANSWERS, ANSWERS_WITH_MORE_CHOSEN])
def test_the_same_answers_in_spanish_and_english_are_stored_the_same(client, answers):
    english = _sent_intake(type(client), "en", answers)
    spanish = _sent_intake(type(client), "es", answers)
    # Only the language the patient answered in differs; the clinician sees it.
    assert (english["intake"].pop("language"), spanish["intake"].pop("language")) == ("en", "es")
    assert spanish == english
    # The comparison covers the answers and the screening, not empty records.
    assert len(english["screenings"]) == 1
    assert english["screenings"][0]["level"]
    assert english["intake"]["current_pain_sites"] == answers["pain-map"]["current_pain_sites"]
    assert len(english["medicines"]) == 1
