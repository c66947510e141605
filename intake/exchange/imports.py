"""Documents in: a valid `oih-intake/1` document stored as a submitted intake.

The document is checked by the pure rules' validator, then fitted to the database's shape
(text cut to the column's length and without control characters, numbers as Decimals) and submitted through
`intake.submission.submit_intake`, the one write path the web form uses too.
"""

import math
from decimal import Decimal

from django.db import transaction

from intake import medicines, screening
from intake.models import MAX_TEXT_LENGTH, Intake, IntakeMedicine, without_control_characters
from intake.submission import submit_intake


@transaction.atomic
def import_document(data, *, expiry_days=None):
    """Store a valid `oih-intake/1` document as a submitted intake, through `submit_intake`."""
    if isinstance(data, dict) and "opioids" in data and not isinstance(data["opioids"], list):
        # null is no list of medicines: "none" is [], and a missing list is not "none".
        raise screening.DocumentError("opioids", "must be a list (use [] for none)")
    # Before validation, so the rules read the text that is stored (a unit with a hidden
    # right-to-left override would be read as unknown, then stored as a known one).
    data = _without_unseen_characters(data)
    document = screening.validate_document(data)
    entered = [
        _as_entered(item, f"opioids[{index}]")
        for index, item in enumerate(data.get("opioids") or [])
    ]
    intake = Intake(
        source=Intake.Source.IMPORT,
        clinic_reference=without_control_characters(document["reference"] or "")[:50],
    )
    intake.issue_resume_secrets()
    _apply_answers(intake, document)
    intake.completed_steps = answered_steps(data)
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
            **entered[index],
        )
        for index, item in enumerate(document["opioids"])
    )
    return submit_intake(intake.pk)


def _without_unseen_characters(value):
    """The document with control and invisible characters dropped from every text in it."""
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, list):
        return [_without_unseen_characters(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_unseen_characters(item) for key, item in value.items()}
    return value


# The web form's page (intake/journey/steps.py) that asks each key of the document. A key the
# document holds, even as null, was answered there: null progression is "not sure", null OUD
# "rather not say", as on the web form; a key left out is "not answered".
STEP_OF_KEY = {
    "opioids": "medicines",
    "currently_taking_opioids": "opioid-use",
    "months_on_opioids": "time-on-opioids",
    "months_since_stopped": "time-since-stopped",
    "dose_change_last_6_months": "dose-change",
    "weeks_since_last_dose_change": "dose-change-weeks",
    "pain_when_dose_increased": "dose-changes",
    "pain_when_dose_decreased": "dose-down",
    "pain_between_doses_or_missed_dose": "between-doses",
    "withdrawal_symptoms_between_doses": "between-doses",
    "current_pain_sites": "pain-map",
    "original_pain_sites": "pain-map-start",
    "pain_score_now": "pain-details",
    "pain_score_at_start": "pain-at-start",
    "peg": "pain-past-week",
    "new_pain_qualities": "new-pain",
    "new_injury_or_disease_progression": "new-injury",
    "signs_of_misuse": "other-questions",
    "known_opioid_use_disorder": "oud",
    "other_medicines": "other-medicines",
    "naloxone_at_home": "other-medicines",
}


def answered_steps(data):
    """The web form's pages whose questions the document answers, in the form's order."""
    return list(dict.fromkeys(step for key, step in STEP_OF_KEY.items() if key in data))


def _as_entered(item, path):
    """The optional `product`, `strength` and `schedule` of an opioid item, as entered.

    They say what the patient named; the rules read only the ingredient and the daily dose,
    so these are carried through, never used to work the dose out again.
    """
    entered = {}
    product_id = item.get("product")
    if product_id is not None:
        if not isinstance(product_id, str) or medicines.get_product(product_id) is None:
            raise screening.DocumentError(f"{path}.product", "is not a product on the list")
        product = medicines.get_product(product_id)
        entered["product"] = product_id
        entered["chosen_as"] = product.name
    strength = item.get("strength")
    if strength is not None:
        if not isinstance(strength, str) or len(strength) > 100:
            raise screening.DocumentError(
                f"{path}.strength", "must be text of 100 characters or fewer"
            )
        entered["strength_label"] = without_control_characters(strength)
    schedule = item.get("schedule")
    if schedule is not None:
        entered["schedule"] = _schedule(schedule, f"{path}.schedule")
    return entered


# The keys of a `schedule` (intake.medicines.schedule_document) and what each holds.
SCHEDULE_NUMBERS = (
    "amount",
    "times_per_day",
    "most_times_per_day",
    "up_to_per_day",
    "change_every_days",
    "patches",
)


def _schedule(value, path):
    if not isinstance(value, dict):
        raise screening.DocumentError(path, "must be an object")
    for key, number in value.items():
        if key in SCHEDULE_NUMBERS:
            is_number = isinstance(number, int | float) and not isinstance(number, bool)
            if not is_number or not math.isfinite(number) or number <= 0:
                raise screening.DocumentError(f"{path}.{key}", "must be a number above 0")
        elif key == "as_needed":
            if not isinstance(number, bool):
                raise screening.DocumentError(f"{path}.{key}", "must be true or false")
        elif key == "amount_unit":
            if not isinstance(number, str) or len(number) > 20:
                raise screening.DocumentError(f"{path}.{key}", "must be a short text")
        else:
            raise screening.DocumentError(f"{path}.{key}", "is not a schedule key")
    return value


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
    # Kept as the document gives it: a class is never re-guessed from a name.
    intake.other_medicines = [
        {"name": without_control_characters(item["name"])[:MAX_TEXT_LENGTH], "class": item["class"]}
        for item in document["other_medicines"]
    ]
    # Null is "not asked or not sure": the document does not say which, so no answer is shown.
    intake.naloxone_at_home = {True: "yes", False: "no"}.get(document["naloxone_at_home"], "")
    peg = document["peg"] or {}
    intake.peg_pain, intake.peg_enjoyment, intake.peg_activity = (
        peg.get("pain"),
        peg.get("enjoyment"),
        peg.get("activity"),
    )
