"""Invisible and direction-changing characters never reach what clinicians read (issue 23,
finding 7): imports drop them from an opioid's unit and a schedule's amount unit too, and
the web forms drop the invisible marks, separators and tag characters the first round left.
"""

import json
from pathlib import Path

import pytest

from intake.exchange.imports import import_document
from intake.models import Intake, IntakeMedicine
from tests.intake.journey import VALID_ANSWERS, add_medicine, start

pytestmark = pytest.mark.django_db
CASE = Path(__file__).resolve().parent / "cases" / "pub-01-oih-hydrocodone.json"
UNSEEN = {
    "right-to-left override": "\u202e",
    "C1 next line": "\x85",
    "right-to-left mark": "\u200f",
    "left-to-right mark": "\u200e",
    "Arabic letter mark": "\u061c",
    "zero width space": "\u200b",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "word joiner": "\u2060",
    "tag letter a": "\U000e0061",
    "cancel tag": "\U000e007f",
}


@pytest.fixture(params=list(UNSEEN.values()), ids=list(UNSEEN))
def unseen(request):
    return request.param


def test_an_imported_unit_and_amount_unit_are_stored_without_them(unseen):
    document = json.loads(CASE.read_text())
    item = document["opioids"][0]
    document["opioids"] = [
        {
            **item,
            "unit": f"mg{unseen}/day",
            "schedule": {"amount": 1, "times_per_day": 4, "amount_unit": f"tab{unseen}let"},
        }
    ]
    medicine = import_document(document).medicines.get()
    assert medicine.unit == "mg/day"
    assert medicine.schedule["amount_unit"] == "tablet"


def test_the_web_forms_store_names_and_free_text_without_them(client, unseen):
    start(client)
    answers = {**VALID_ANSWERS["about-you"], "full_name": f"Rosa{unseen} Parks{unseen}"}
    assert client.post("/intake/about-you/", answers).status_code == 302
    details = {
        **VALID_ANSWERS["new-injury"],
        "new_injury_or_disease_progression": "True",
        "new_injury_details": f"Fell{unseen} in May",
    }
    assert client.post("/intake/new-injury/", details).status_code == 302
    response = add_medicine(
        client, medicine=f"Tra{unseen}madol", product="unlisted", strength="50 mg"
    )
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.full_name == "Rosa Parks"
    # A line or paragraph separator in free text is a line break, not a lost word.
    assert intake.new_injury_details in ("Fell in May", "Fell\n in May")
    assert IntakeMedicine.objects.get().other_name == "Tramadol"


def test_joiners_that_spell_words_and_emoji_are_kept(client):
    start(client)
    # Zero width non-joiner and joiner shape Persian and Indic words and family emoji.
    name = "Mehr\u200cnaz Kumar \U0001f468\u200d\U0001f469"
    answers = {**VALID_ANSWERS["about-you"], "full_name": name}
    assert client.post("/intake/about-you/", answers).status_code == 302
    assert Intake.objects.get().full_name == name
