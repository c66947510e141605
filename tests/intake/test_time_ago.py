"""How long ago the dose last changed: the number as typed, with the unit the patient chose.

A decimal comma is never multiplied by ten ("2,5" weeks was stored as 25), and "6 months" is
never stored as 6 weeks. The rules read weeks (`weeks_since_last_dose_change`); the answer is
shown back in the patient's own unit.
"""

from decimal import Decimal

import pytest
from django.utils import translation

from intake.models import Intake
from intake.summary import answer_sections
from tests.helpers import in_language
from tests.intake.journey import post, start

pytestmark = pytest.mark.django_db


def post_time_ago(client, number, unit=None, language="en"):
    start(client)
    data = {"dose_change_ago": number}
    if unit is not None:
        data["dose_change_ago_unit"] = unit
    return post(client, in_language("/intake/dose-change-weeks/", language), data)


@pytest.mark.parametrize(
    ("number", "unit", "weeks", "shown", "stored_number", "stored_unit"),
    [
        ("2,5", "weeks", "2.5", "About 2.5 weeks ago", "2.5", "weeks"),
        ("2.5", "weeks", "2.5", "About 2.5 weeks ago", "2.5", "weeks"),
        ("28,5", "weeks", "28.5", "About 28.5 weeks ago", "28.5", "weeks"),
        ("6 months", None, "24.0", "About 6 months ago", "6", "months"),
        ("6", "months", "24.0", "About 6 months ago", "6", "months"),
        ("2 months", "months", "8.0", "About 2 months ago", "2", "months"),
        # A month is read as 4 weeks (safer): "1 month ago" stays inside the withdrawal window.
        ("1", "months", "4.0", "About 1 month ago", "1", "months"),
        ("10", "days", "1.4", "About 10 days ago", "10", "days"),
        ("1 1/2", "years", "78.3", "About 1.5 years ago", "1.5", "years"),
        ("half", "months", "2.0", "About 0.5 months ago", "0.5", "months"),
        ("hace 3 semanas", None, "3", "About 3 weeks ago", "3", "weeks"),
        ("1", "weeks", "1", "About 1 week ago", "1", "weeks"),
    ],
)
def test_it_stores_the_time_as_meant_and_shows_it_back(
    client, number, unit, weeks, shown, stored_number, stored_unit
):
    response = post_time_ago(client, number, unit)
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.weeks_since_last_dose_change == Decimal(weeks)
    assert (intake.dose_change_ago, intake.dose_change_ago_unit) == (
        Decimal(stored_number),
        stored_unit,
    )
    with translation.override("en"):
        rows = dict(answer_sections(intake)[0]["rows"])
    assert str(rows["Last dose change"]) == shown


def test_it_shows_the_time_back_in_spanish(client):
    post_time_ago(client, "6", "months")
    with translation.override("es"):
        rows = answer_sections(Intake.objects.get())[0]["rows"]
    assert str(rows[-1][1]) == "Hace alrededor de 6 meses"


@pytest.mark.parametrize(
    ("number", "unit", "field", "message", "language"),
    [
        ("6", None, "dose_change_ago_unit", "Choose days, weeks, months or years.", "en"),
        ("6", None, "dose_change_ago_unit", "Elija días, semanas, meses o años.", "es"),
        (
            "6 months",
            "weeks",
            "dose_change_ago",
            "You typed months but chose weeks. Please check which is right.",
            "en",
        ),
        (
            "6 meses",
            "weeks",
            "dose_change_ago",
            "Escribió meses pero eligió semanas. Revise cuál está bien.",
            "es",
        ),
        ("lots", "weeks", "dose_change_ago", "Enter a number, like 6 or 2.5.", "en"),
        ("mucho", "weeks", "dose_change_ago", "Escriba un número, como 6 o 2.5.", "es"),
        (
            "2-3",
            "weeks",
            "dose_change_ago",
            "Please type one number. If it changes, type the most.",
            "en",
        ),
        ("", "weeks", "dose_change_ago", "Type the number too, like 6.", "en"),
        ("11", "years", "dose_change_ago", "Enter a time of 10 years or less.", "en"),
        ("-1", "weeks", "dose_change_ago", "The number cannot be less than 0.", "en"),
    ],
)
def test_it_refuses_at_the_field_what_it_cannot_read_for_sure(
    client, number, unit, field, message, language
):
    response = post_time_ago(client, number, unit, language)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Intake.objects.get().weeks_since_last_dose_change is None


def test_both_empty_is_not_known(client):
    assert post_time_ago(client, "", None).status_code == 302
    intake = Intake.objects.get()
    assert intake.weeks_since_last_dose_change is None
    assert intake.dose_change_ago is None


def test_the_box_is_a_text_box_with_number_keys_so_a_comma_is_kept(client):
    start(client)
    page = client.get("/intake/dose-change-weeks/").content.decode()
    assert 'type="text" name="dose_change_ago"' in page
    assert 'inputmode="decimal"' in page
    assert 'type="number"' not in page
