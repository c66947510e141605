"""The progression question's "Not sure, or I am waiting for test results" (rulings 2026.2, point
10): stored as null, said in words on the check page and the intake page, and screened as
progression not yet ruled out."""

import pytest

from intake.models import Intake
from tests.helpers import login_staff
from tests.intake.journey import VALID_ANSWERS, fill_all_steps, post, submit

pytestmark = pytest.mark.django_db

NOT_SURE = "Not sure, or I am waiting for test results"


def answers_with_progression(value):
    return {
        "new-injury": {
            **VALID_ANSWERS["new-injury"],
            "new_injury_or_disease_progression": value,
        }
    }


def test_not_sure_is_stored_as_null_and_said_in_words(client, clinician):
    fill_all_steps(client, answers_with_progression("not_sure"))
    intake = Intake.objects.get()
    assert intake.new_injury_or_disease_progression is None
    assert "new-injury" in intake.completed_steps
    check = client.get("/intake/check/").content.decode()
    assert NOT_SURE in check

    assert submit(client).status_code == 302

    screening = Intake.objects.get().screenings.get(is_current=True)
    # The full OIH pattern of the valid answers, with progression not ruled out: borderline.
    assert screening.level == "borderline"
    assert "progression_not_ruled_out" in screening.reason_codes
    login_staff(client, clinician)
    page = client.get(intake.get_admin_url()).content.decode()
    assert f"<td>{NOT_SURE}</td>" in page


@pytest.mark.parametrize(("value", "stored"), [("True", True), ("False", False)])
def test_yes_and_no_are_stored_as_before(client, value, stored):
    fill_all_steps(client, answers_with_progression(value))
    assert Intake.objects.get().new_injury_or_disease_progression is stored


@pytest.mark.parametrize("value", ["", "maybe"])
def test_no_answer_or_an_unknown_one_gets_a_kind_message(client, value):
    fill_all_steps(client, {})
    response = post(
        client,
        "/intake/new-injury/",
        {**VALID_ANSWERS["new-injury"], "new_injury_or_disease_progression": value},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_injury_or_disease_progression"] == [
        "Choose yes, no or not sure."
    ]
