"""The answer table (intake.answers): one entry an answer, that the readers of the answers agree with."""

from django.utils import translation

from intake import answers, summary
from intake.check_ins import carried_fields
from intake.journey.steps import STEP_BY_SLUG
from intake.models import Intake


def test_every_answer_is_stored_in_fields_of_the_intake():
    names = {field.name for field in Intake._meta.get_fields()}
    assert [field for field in answers.stored_fields() if field not in names] == []


def test_every_answer_is_asked_on_a_page_of_the_web_form():
    assert [a.key for a in answers.ANSWERS if a.step not in STEP_BY_SLUG] == []


def test_the_clinicians_pages_show_every_answer_under_its_label():
    intake = Intake(completed_steps=["other-medicines", "oud", "new-injury"])
    with translation.override("en"):
        shown = {
            str(label)
            for section in summary.answer_sections(intake)
            for label, _ in section["rows"]
        }
    assert [a.label for a in answers.ANSWERS if a.label not in shown] == []


def test_a_check_in_carries_the_contact_details_and_the_answers_marked_carried():
    assert carried_fields() == [
        "full_name",
        "date_of_birth",
        "email",
        "phone",
        "clinic_reference",
        "months_since_stopped",
        "pain_between_doses_or_missed_dose",
        "pain_score_at_start",
        "original_pain_sites",
        "current_pain_sites",
        "new_pain_qualities",
        "new_injury_or_disease_progression",
        "new_injury_details",
        "signs_of_misuse",
        "known_opioid_use_disorder",
        "other_medicines",
        "other_medicines_ticked",
        "other_medicines_typed",
        "naloxone_at_home",
    ]


def test_the_fhir_types_follow_the_kinds():
    types = {a.key: a.fhir_type for a in answers.ANSWERS}
    assert types["pain_score_now"] == "valueInteger"
    assert types["weeks_since_last_dose_change"] == "valueDecimal"
    assert types["naloxone_at_home"] == "valueBoolean"
    assert types["peg"] == {
        "pain": "valueInteger",
        "enjoyment": "valueInteger",
        "activity": "valueInteger",
    }
    assert types["other_medicines"] == {"name": "valueString", "class": "valueCoding"}
