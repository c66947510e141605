"""A clinician corrects an answer that is plainly a data error (pub-05's fentanyl patch
"50 mg/hr", meant as 50 mcg/hr), with a reason.

The original answer is kept in an AnswerCorrection row beside the new one, and the intake
is screened again at once (`rescreening.rescreen_after_correction`), in one transaction, so
the worklist, the cards and the MME follow the corrected answer. Only what a clinician can
check with the patient or the prescription is open to correction: a medicine's daily dose
and its unit, the answers behind the MME.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from intake.models import AnswerCorrection, IntakeMedicine
from intake.rescreening import rescreen_after_correction


def dose_words(daily_dose, unit):
    return f"{_plain(daily_dose)} {unit}"


@transaction.atomic
def correct_medicine_dose(medicine, user, *, daily_dose, unit, reason):
    """Correct a medicine's daily dose and unit; keep the original; screen again at once.

    Returns the correction, whose `screening` is the new current screening.
    """
    medicine = (
        IntakeMedicine.objects.select_for_update().select_related("intake").get(pk=medicine.pk)
    )
    original = dose_words(medicine.daily_dose, medicine.unit)
    corrected = dose_words(daily_dose, unit)
    if not reason.strip():
        raise ValidationError("Say why the answer is corrected.", code="reason_needed")
    if original == corrected:
        raise ValidationError("The corrected answer is the same as the original.", code="same")
    medicine.daily_dose, medicine.unit = daily_dose, unit
    medicine.save(update_fields=["daily_dose", "unit"])
    correction = AnswerCorrection(
        intake=medicine.intake,
        medicine=medicine,
        answer=f"{medicine.display_name}: daily dose and unit",
        original=original,
        corrected=corrected,
        reason=reason.strip(),
        corrected_by=user,
    )
    correction.full_clean(exclude=["screening"])
    correction.screening = rescreen_after_correction(medicine.intake, user=user)
    correction.save()
    return correction


def _plain(value):
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
