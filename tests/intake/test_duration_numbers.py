"""The years and months boxes read numbers as typed: "1,5" years is 18 months, never 15."""

from decimal import Decimal

import pytest

from intake.models import Intake
from tests.helpers import in_language
from tests.intake.journey import post as post_as_a_browser
from tests.intake.journey import start

pytestmark = pytest.mark.django_db


def post(client, years, months, language="en"):
    start(client)
    return post_as_a_browser(
        client,
        in_language("/intake/time-on-opioids/", language),
        {"years": years, "months": months},
    )


@pytest.mark.parametrize(
    ("years", "months", "stored"),
    [
        ("2", "0", "24"),
        ("1,5", "", "18"),
        ("1.5", "", "18"),
        ("1 1/2", "", "18"),
        ("", "0,5", "0.5"),
        ("", "media", "0.5"),
        ("2 years", "3 months", "27"),
        ("2 años", "3 meses", "27"),
    ],
)
def test_years_and_months_are_read_as_typed(client, years, months, stored):
    assert post(client, years, months).status_code == 302
    assert Intake.objects.get().months_on_opioids == Decimal(stored)


@pytest.mark.parametrize(
    ("language", "years", "months", "field", "message"),
    [
        ("en", "6 months", "", "years", "Put months in the Months box, like 6."),
        ("es", "6 meses", "", "years", "Ponga los meses en la casilla “Meses”, como 6."),
        ("en", "", "2 years", "months", "Put years in the Years box, like 2."),
        ("en", "lots", "", "years", "Enter years as a number, like 2 or 1.5."),
        ("en", "", "14", "months", "Enter 11 months or fewer. For 12 months, enter 1 year."),
        ("en", "2-3", "", "years", "Please type one number. If it changes, type the most."),
    ],
)
def test_what_cannot_be_read_for_sure_is_refused_at_the_box(
    client, language, years, months, field, message
):
    response = post(client, years, months, language)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Intake.objects.get().months_on_opioids is None


def test_the_boxes_take_a_decimal_comma(client):
    start(client)
    page = client.get("/intake/time-on-opioids/").content.decode()
    assert 'inputmode="decimal"' in page
    assert 'pattern="[0-9]*"' not in page
