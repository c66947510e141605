"""Documents in: a valid `oih-intake/1` document stored as a submitted intake.

The document is checked by the pure rules' validator, then fitted to the database's shape
(text cut to the column's length and without control characters, numbers as Decimals) and submitted through
`intake.submission.submit_intake`, the one write path the web form uses too.
"""

from decimal import Decimal

from django.db import transaction

from intake import screening
from intake.models import Intake, IntakeMedicine, without_control_characters
from intake.submission import submit_intake


@transaction.atomic
def import_document(data, *, expiry_days=None):
    """Store a valid `oih-intake/1` document as a submitted intake, through `submit_intake`."""
    document = screening.validate_document(data)
    intake = Intake(
        source=Intake.Source.IMPORT,
        clinic_reference=without_control_characters(document["reference"] or "")[:50],
    )
    intake.issue_resume_secrets()
    _apply_answers(intake, document)
    intake.save()
    IntakeMedicine.objects.bulk_create(
        IntakeMedicine(
            intake=intake,
            position=index,
            name=item["name"],
            other_name=without_control_characters(item.get("other_name") or ""),
            formulation=item["formulation"] or "other",
            daily_dose=Decimal(str(item["daily_dose"])),
            unit=item["unit"][:20],
            purpose=item["purpose"],
        )
        for index, item in enumerate(document["opioids"])
    )
    return submit_intake(intake.pk)


def _apply_answers(intake, document):
    for key in (
        "currently_taking_opioids",
        "dose_change_last_6_months",
        "pain_when_dose_increased",
        "pain_when_dose_decreased",
        "pain_between_doses_or_missed_dose",
        "withdrawal_symptoms_between_doses",
        "pain_score_now",
        "pain_score_at_start",
        "original_pain_sites",
        "current_pain_sites",
        "new_pain_qualities",
        "signs_of_misuse",
        "known_opioid_use_disorder",
    ):
        value = document[key]
        setattr(
            intake, key, "" if value is None and isinstance(getattr(intake, key), str) else value
        )
    for key in ("months_on_opioids", "months_since_stopped", "weeks_since_last_dose_change"):
        value = document[key]
        setattr(intake, key, None if value is None else Decimal(str(value)))
    progression = document["new_injury_or_disease_progression"] or {}
    intake.new_injury_or_disease_progression = progression.get("present")
    intake.new_injury_details = without_control_characters(progression.get("details") or "")
    peg = document["peg"] or {}
    intake.peg_pain, intake.peg_enjoyment, intake.peg_activity = (
        peg.get("pain"),
        peg.get("enjoyment"),
        peg.get("activity"),
    )
