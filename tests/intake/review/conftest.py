"""Fixtures for the clinicians' pages: a signed-in clinician, a queue, a flagged second visit."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from intake.review.corrections import correct_medicine_dose
from intake.review.recording import record_review
from tests.helpers import confirm_returning_patient, login_staff
from tests.intake.review.helpers import (
    FLAG_CASE,
    MISUSE_CASE,
    NO_DOSE_RESPONSE_CASE,
    TOLERANCE_CASE,
    UNIT_ERROR_CASE,
    make_intake,
    screening_of,
)


@pytest.fixture
def clinician_client(client, clinician):
    login_staff(client, clinician)
    return client


@pytest.fixture
def queue(clinician):
    """Four waiting, two reviewed and one with nothing to review."""
    made = {
        "reviewed-flag": make_intake(FLAG_CASE, reference="reviewed-flag", days_ago=10),
        "reviewed-borderline": make_intake(
            NO_DOSE_RESPONSE_CASE, reference="reviewed-borderline", days_ago=9
        ),
        "flag-old": make_intake(FLAG_CASE, reference="flag-old", name="Ada Lovelace", days_ago=5),
        "borderline-old": make_intake(MISUSE_CASE, reference="borderline-old", days_ago=4),
        "borderline-new": make_intake(
            NO_DOSE_RESPONSE_CASE, reference="borderline-new", days_ago=2
        ),
        "flag-new": make_intake(UNIT_ERROR_CASE, reference="flag-new", days_ago=1),
        "nothing": make_intake(TOLERANCE_CASE, reference="nothing", days_ago=3),
    }
    record_review(screening_of(made["reviewed-flag"]), clinician, "accept")
    record_review(screening_of(made["reviewed-borderline"]), clinician, "follow_up")
    return made


@pytest.fixture
def flagged(content):
    """A second visit for one patient: first with pain in the lower back only."""
    first = make_intake(
        FLAG_CASE,
        reference="clinic-42",
        name="Grace Hopper",
        dob=datetime.date(1960, 12, 9),
        days_ago=60,
        current_pain_sites=["lower_back"],
        pain_score_now=6,
        peg={"pain": 6, "enjoyment": 5, "activity": 4},
    )
    second = confirm_returning_patient(
        make_intake(
            FLAG_CASE, reference="clinic-42", name="Grace Hopper", dob=datetime.date(1960, 12, 9)
        )
    )
    assert second.previous_intake == first
    return second


@pytest.fixture
def reviewed(clinician):
    """Four reviewed screenings and one still waiting, over three weeks."""
    now = timezone.now()
    accepted = make_intake(FLAG_CASE, days_ago=0)
    data_error = make_intake(UNIT_ERROR_CASE, days_ago=7)
    misuse = make_intake(MISUSE_CASE, days_ago=7)
    follow_up = make_intake(NO_DOSE_RESPONSE_CASE, days_ago=14)
    make_intake(FLAG_CASE, days_ago=0)
    make_intake(TOLERANCE_CASE, days_ago=0)
    record_review(screening_of(accepted), clinician, "accept")
    # "Data corrected" follows a correction, which screens the intake again.
    correct_medicine_dose(
        data_error.medicines.get(),
        clinician,
        daily_dose=Decimal("50"),
        unit="mcg/hr",
        reason="The patch is 50 mcg/hr.",
    )
    record_review(
        screening_of(data_error), clinician, "override", "data_error", action="data_corrected"
    )
    record_review(
        screening_of(misuse),
        clinician,
        "override",
        "opioid_use_disorder",
        action="contacted_patient",
    )
    record_review(screening_of(follow_up), clinician, "follow_up")
    return now
