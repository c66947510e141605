"""Check-ins: each one is screened as a visit, and the dose response shows across them."""

import pytest

from intake.models import FollowUp, Intake
from tests.helpers import login_staff
from tests.intake.checkin.helpers import (
    BEST_CHECK_IN,
    BETTER_CHECK_IN,
    STEADY_CHECK_IN,
    WITHDRAWAL_CHECK_IN,
    check_in,
    make_first_visit,
    start_follow_up,
    travel,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinician_client(client, clinician):
    return login_staff(client, clinician)


def test_four_check_ins_show_withdrawal_then_better_pain_after_the_window(
    clinician_client, django_user_model, client
):
    first = make_first_visit()
    link = start_follow_up(clinician_client, first)
    patient = first.patient
    clinician_client.logout()
    found = []
    for answers in (WITHDRAWAL_CHECK_IN, STEADY_CHECK_IN, BETTER_CHECK_IN, BEST_CHECK_IN):
        travel(patient, 14)
        sent = check_in(client, link, answers)
        screening = sent.screenings.get(is_current=True)
        found.append(
            (
                sent.dose_change_last_6_months,
                float(sent.weeks_since_last_dose_change),
                sent.pain_when_dose_decreased,
                screening.level,
                screening.alert_codes,
                float(screening.mme_total),
            )
        )
        assert sent.patient == patient
    assert found == [
        # Pain 8 to 9 is "unchanged" as a dose response (F4), and still urgent with withdrawal.
        ("decreased", 1.0, "unchanged", "none", ["mme_ge_50", "withdrawal_after_dose_cut"], 80.0),
        ("decreased", 3.0, "unchanged", "flag", ["mme_ge_50"], 80.0),
        ("decreased", 5.0, "better", "flag", ["mme_ge_50"], 80.0),
        ("decreased", 7.0, "better", "flag", ["mme_ge_50"], 80.0),
    ]
    # M1 (worse after the earlier increase) is the patient's history and is carried over:
    # inside the window it keeps the first visit's flag, and after it M2 joins it.
    m2 = [
        "pain_better_after_dose_reduction" in sent.screenings.get(is_current=True).reason_codes
        for sent in Intake.objects.filter(kind="check_in").order_by("submitted_at")
    ]
    assert m2 == [False, False, True, True]
    assert FollowUp.objects.get().check_ins.count() == 4
    assert Intake.objects.filter(patient=patient).count() == 5
