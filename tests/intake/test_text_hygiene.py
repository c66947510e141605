"""Characters no one means to type are dropped from every patient text field and every
imported document, as C0 controls always were: C1 controls, the byte order mark, and the
bidirectional overrides and isolates that can make a name read backwards in the admin."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from intake.exchange.imports import import_document
from intake.models import Intake, IntakeMedicine
from tests.helpers import database_url_for_a_subprocess
from tests.intake.journey import VALID_ANSWERS, add_medicine, post, start

pytestmark = pytest.mark.django_db
REPO_DIR = Path(__file__).resolve().parents[2]
CASE = REPO_DIR / "tests" / "cases" / "pub-01-oih-hydrocodone.json"
UNMEANT = {
    "C0 bell": "\x07",
    "DEL": "\x7f",
    "C1 next line": "\x85",
    "C1 control sequence introducer": "\x9b",
    "C1 last": "\x9f",
    "byte order mark": "\ufeff",
    "left-to-right embedding": "\u202a",
    "right-to-left override": "\u202e",
    "left-to-right isolate": "\u2066",
    "pop directional isolate": "\u2069",
}


@pytest.fixture(params=list(UNMEANT.values()), ids=list(UNMEANT))
def unmeant(request):
    return request.param


def test_about_you_stores_names_and_numbers_without_them(client, unmeant):
    start(client)
    answers = {
        **VALID_ANSWERS["about-you"],
        "full_name": f"{unmeant}Rosa{unmeant} Parks{unmeant}",
        "phone": f"555{unmeant} 0100",
        "clinic_reference": f"{unmeant}MRN-42",
        "email": f"rosa{unmeant}@example.com",
    }
    assert post(client, "/intake/about-you/", answers).status_code == 302
    intake = Intake.objects.get()
    assert (intake.full_name, intake.phone, intake.clinic_reference, intake.email) == (
        "Rosa Parks",
        "555 0100",
        "MRN-42",
        "rosa@example.com",
    )


def test_free_text_answers_and_medicine_names_are_stored_without_them(client, unmeant):
    start(client)
    details = {
        **VALID_ANSWERS["new-injury"],
        "new_injury_or_disease_progression": "True",
        "new_injury_details": f"Fell{unmeant} in May",
    }
    assert post(client, "/intake/new-injury/", details).status_code == 302
    assert (
        add_medicine(
            client, medicine=f"Tra{unmeant}madol", product="unlisted", strength="50 mg"
        ).status_code
        == 302
    )
    assert Intake.objects.get().new_injury_details == "Fell in May"
    assert IntakeMedicine.objects.get().other_name == "Tramadol"


def test_the_resume_code_is_read_without_them(unmeant):
    response = post(
        Client(),
        "/intake/resume/",
        {"code": f"ABCDE{unmeant}FGHJK", "dob_day": "4", "dob_month": "2", "dob_year": "1971"},
    )
    assert "code" not in response.context["form"].errors


def test_an_imported_document_is_stored_without_them(unmeant):
    document = json.loads(CASE.read_text())
    document["reference"] = f"MRN{unmeant}-7"
    document["new_injury_or_disease_progression"] = {"present": True, "details": f"A{unmeant}B"}
    document["opioids"] = [
        {**document["opioids"][0], "name": "other", "other_name": f"{unmeant}Tapentadol"}
    ]
    intake = import_document(document)
    intake.refresh_from_db()
    assert (intake.clinic_reference, intake.new_injury_details) == ("MRN-7", "AB")
    assert intake.medicines.get().other_name == "Tapentadol"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            '"reference": "\\ud800"',
            "reference: contains a character that is not valid text (a lone surrogate)",
        ),
        (
            '"new_injury_or_disease_progression": {"present": true, "details": "x\\udfff"}',
            "new_injury_or_disease_progression.details: contains a character that is not valid "
            "text (a lone surrogate)",
        ),
    ],
    ids=["in-reference", "in-details"],
)
def test_import_of_a_lone_surrogate_names_the_field_in_one_line_and_exits_2(tmp_path, raw, message):
    """Run as an operator runs it, so a crash while printing would show too."""
    text = CASE.read_text()
    key = raw.split(":")[0]
    document = json.loads(text)
    document.pop(json.loads(key), None)
    body = json.dumps(document)
    path = tmp_path / "surrogate.json"
    path.write_text(body[:-1] + ", " + raw + "}")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_intakes", str(path)],
        cwd=REPO_DIR,
        env={**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": database_url_for_a_subprocess()},
        timeout=120,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{path}: {message} (file skipped)",
        "CommandError: Imported 0 intake(s) from 0 of 1 file(s).",
    ]
    assert Intake.objects.count() == 0
