"""A clinician corrects a plain data error with a reason; the original is kept, the intake
is screened again at once, and "Data corrected" is offered only after a correction (issue 24)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from intake.models import AnswerCorrection, Screening
from intake.review.corrections import correct_medicine_dose
from intake.review.recording import record_review
from tests.intake.review.helpers import (
    FLAG_CASE,
    UNIT_ERROR_CASE,
    intake_url,
    make_intake,
    messages_of,
    screening_of,
)

pytestmark = pytest.mark.django_db

REASON = "Patch box reads 50 mcg/hr; the patient typed mg."


def correct(client, intake, **data):
    medicine = intake.medicines.get()
    return client.post(
        intake_url(intake),
        {
            "intent": "correct",
            "medicine": medicine.pk,
            "daily_dose": "50",
            "unit": "mcg/hr",
            "reason": REASON,
            **data,
        },
    )


def test_correcting_pub_05s_patch_unit_rescreens_at_once(clinician, clinician_client):
    intake = make_intake(UNIT_ERROR_CASE, reference="pub-05")
    before = screening_of(intake)
    assert (before.mme_total, sorted(before.alert_codes)) == (
        None,
        ["data_quality", "mme_not_computable"],
    )
    response = correct(clinician_client, intake)
    assert response.status_code == 302
    assert messages_of(response) == [
        "Corrected Fentanyl: daily dose and unit: 50 mg/hr to 50 mcg/hr. "
        "The intake was screened again; review the new result."
    ]
    after = screening_of(intake)
    assert after.pk != before.pk
    assert (after.cause, after.mme_total, after.alert_codes, after.level) == (
        Screening.Cause.CORRECTION,
        Decimal("120.0"),
        ["mme_ge_50", "mme_ge_90"],
        "flag",
    )
    correction = AnswerCorrection.objects.get()
    assert (
        correction.original,
        correction.corrected,
        correction.reason,
        correction.corrected_by,
        correction.screening,
    ) == ("50 mg/hr", "50 mcg/hr", REASON, clinician, after)
    # The earlier screening is kept, no longer current.
    assert Screening.objects.get(pk=before.pk).is_current is False
    page = clinician_client.get(intake_url(intake)).content.decode()
    assert "50 mg/hr corrected to <strong>50 mcg/hr</strong>" in page
    assert "MME 120/day: 90 or more, avoid or justify" in page


def test_a_correction_without_a_reason_changes_nothing(clinician_client):
    intake = make_intake(UNIT_ERROR_CASE)
    before = screening_of(intake)
    response = correct(clinician_client, intake, reason="  ")
    assert response.status_code == 200
    assert "Say why the answer is corrected." in response.content.decode()
    assert AnswerCorrection.objects.count() == 0
    assert screening_of(intake) == before
    assert intake.medicines.get().unit == "mg/hr"


def test_data_corrected_is_offered_only_after_a_correction(clinician, clinician_client):
    intake = make_intake(UNIT_ERROR_CASE)
    page = clinician_client.get(intake_url(intake)).content.decode()
    assert 'value="data_corrected"' not in page
    with pytest.raises(ValidationError) as refused:
        record_review(
            screening_of(intake), clinician, "override", "data_error", action="data_corrected"
        )
    assert refused.value.message_dict["action"] == [
        'Correct the answer first: "Data corrected" says a correction was made.'
    ]
    correct_medicine_dose(
        intake.medicines.get(),
        clinician,
        daily_dose=Decimal("50"),
        unit="mcg/hr",
        reason=REASON,
    )
    page = clinician_client.get(intake_url(intake)).content.decode()
    assert 'value="data_corrected"' in page
    review = record_review(screening_of(intake), clinician, "accept", action="data_corrected")
    assert review.action == "data_corrected"


def test_a_correction_that_changes_nothing_is_refused(clinician):
    intake = make_intake(FLAG_CASE)
    medicine = intake.medicines.get()
    with pytest.raises(ValidationError):
        correct_medicine_dose(
            medicine, clinician, daily_dose=medicine.daily_dose, unit=medicine.unit, reason="x"
        )
    assert AnswerCorrection.objects.count() == 0
