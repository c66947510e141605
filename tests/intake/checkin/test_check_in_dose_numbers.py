"""A check-in's daily-total box (a medicine entered before the product list) reads the number
as typed, or refuses it at the box: "1,000" is never stored as 1."""

from decimal import Decimal

import pytest

from intake.models import Intake
from intake.review.follow_up import start_follow_up
from tests.helpers import in_language
from tests.intake.checkin.helpers import FIRST_VISIT, PLAN_WITHOUT_DOSE_CHANGE, make_first_visit
from tests.intake.journey import post

pytestmark = pytest.mark.django_db
DOSES = "/intake/check-in/doses/"


def open_doses_page(client, clinician):
    first = make_first_visit(opioids=FIRST_VISIT["opioids"])
    _, token = start_follow_up(first, clinician, PLAN_WITHOUT_DOSE_CHANGE)
    client.get(f"/intake/check-in/link/{token}/")
    client.post("/intake/check-in/")
    client.post("/intake/check-in/pain/", {"pain_score_now": "6"})
    client.post("/intake/check-in/peg/", {"peg_pain": 6, "peg_enjoyment": 5, "peg_activity": 5})
    return Intake.objects.get(kind=Intake.Kind.CHECK_IN).medicines.get()


@pytest.mark.parametrize(
    ("typed", "dose"),
    [("45", "45"), ("42,5", "42.5"), ("42.5", "42.5"), ("90 mg", "90"), ("90mg", "90")],
)
def test_the_daily_total_is_read_as_typed(client, clinician, typed, dose):
    medicine = open_doses_page(client, clinician)
    response = client.post(DOSES, {f"dose_{medicine.pk}": typed})
    assert response.status_code == 302
    medicine.refresh_from_db()
    assert medicine.daily_dose == Decimal(dose)


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        (
            "en",
            "1,000",
            "Please type it without a comma or point between the thousands, such as 1000 or 1.5.",
        ),
        ("es", "1.000", "Escríbalo sin punto ni coma entre los miles, como 1000 o 1.5."),
        ("en", "60-90", "Please type one number. If it changes, type the most."),
        ("en", "90 mcg", "Enter the amount as a number, like 40, or tick that you stopped."),
        ("en", "lots", "Enter the amount as a number, like 40, or tick that you stopped."),
    ],
)
def test_what_cannot_be_read_for_sure_is_refused_at_the_box(
    client, clinician, language, typed, message
):
    medicine = open_doses_page(client, clinician)
    before = medicine.daily_dose
    response = post(client, in_language(DOSES, language), {f"dose_{medicine.pk}": typed})
    assert response.status_code == 200
    assert response.context["form"].errors[f"dose_{medicine.pk}"] == [message]
    medicine.refresh_from_db()
    assert medicine.daily_dose == before
