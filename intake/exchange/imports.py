"""Documents in: a valid `oih-intake/1` document stored as a submitted intake.

The document is checked by the pure rules' validator, then fitted to the database's shape
(text cut to the column's length and without control characters, numbers as Decimals) and submitted through
`intake.submission.submit_intake`, the one write path the web form uses too.
"""

import math
from decimal import Decimal

from django.db import transaction

from intake import answers, medicines, screening
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
    document = screening.validate_document(data, answers.extra_answers())
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


# The web form's page (intake/journey/steps.py) that asks each key of the document, from the
# answer table (intake.answers). A key the document holds, even as null, was answered there:
# null progression is "not sure", null OUD "rather not say", as on the web form; a key left
# out is "not answered".
def step_of_key():
    return {
        "opioids": "medicines",
        **{answer.key: answer.step for answer in answers.answer_table()},
    }


def answered_steps(data):
    """The web form's pages whose questions the document answers, in the table's order."""
    return list(dict.fromkeys(step for key, step in step_of_key().items() if key in data))


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
    for answer in answers.answer_table():
        if answer.key in document:
            _apply_answer(intake, answer, document[answer.key])


def _apply_answer(intake, answer, value):
    """One answer of a validated document onto the intake's field(s) (Intake.document_value
    read back)."""
    if not answer.fields:
        # An added question with no column of its own: kept as the document gives it.
        intake.more_answers = {**intake.more_answers, answer.key: value}
        return
    field = answer.fields[0]
    if answer.kind == answers.NUMBER:
        setattr(intake, field, None if value is None else Decimal(str(value)))
    elif answer.kind == answers.PROGRESSION:
        progression = value or {}
        setattr(intake, field, progression.get("present"))
        setattr(
            intake, answer.fields[1], without_control_characters(progression.get("details") or "")
        )
    elif answer.kind == answers.MEDICINE_LIST:
        # Kept as the document gives it: a class is never re-guessed from a name.
        setattr(
            intake,
            field,
            [
                {
                    "name": without_control_characters(item["name"])[:MAX_TEXT_LENGTH],
                    "class": item["class"],
                }
                for item in value
            ],
        )
    elif answer.kind == answers.YES_NO_CHOICE:
        # Null is "not asked or not sure": the document does not say which, so no answer is
        # shown.
        setattr(intake, field, {True: "yes", False: "no"}.get(value, ""))
    elif answer.kind == answers.PEG:
        peg = value or {}
        for part, peg_field in zip(answers.PARTS[answers.PEG], answer.fields, strict=True):
            setattr(intake, peg_field, peg.get(part))
    else:
        setattr(
            intake,
            field,
            "" if value is None and isinstance(getattr(intake, field), str) else value,
        )
