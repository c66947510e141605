"""A question added to the answer table (intake.answers) reaches every reader of the answers.

The question is made up and added through the setting OIH_EXTRA_ANSWERS: with no column of
its own it is kept in Intake.more_answers, and the document, the import, the FHIR export and
the clinician's intake page find it without any change of theirs."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from fhir.resources.R4B import get_fhir_model_class

from intake import answers, check_ins, rescreening
from intake.exchange.questionnaire import questionnaire
from intake.models import FollowUp, Intake
from intake.screening import screen
from tests.intake.checkin.helpers import make_first_visit, start_follow_up
from tests.intake.review.helpers import intake_url

pytestmark = pytest.mark.django_db
CASE = Path(__file__).resolve().parents[2] / "cases" / "pub-01-oih-hydrocodone.json"
HOURS_OF_SLEEP = answers.Answer(
    "hours_of_sleep_last_night",
    answers.NUMBER,
    label="Hours of sleep last night",
    step="pain-past-week",
)
WOKEN_BY_PAIN = answers.Answer(
    "woken_by_pain",
    answers.CHOICE,
    codes=("never", "some_nights", "most_nights"),
    label="Woken by pain",
    step="pain-past-week",
)


@pytest.fixture
def added_questions(settings):
    settings.OIH_EXTRA_ANSWERS = (HOURS_OF_SLEEP, WOKEN_BY_PAIN)


@pytest.fixture
def imported(added_questions, tmp_path):
    document = {
        **json.loads(CASE.read_text()),
        "hours_of_sleep_last_night": 5.5,
        "woken_by_pain": "most_nights",
    }
    path = tmp_path / "with-added-answers.json"
    path.write_text(json.dumps(document))
    call_command("import_intakes", str(path), stdout=StringIO(), stderr=StringIO())
    return Intake.objects.get()


def validated(resource):
    model = get_fhir_model_class(resource["resourceType"])
    return model.model_validate(resource)


def test_the_import_stores_the_added_answers_and_the_document_gives_them_back(imported):
    assert imported.more_answers == {
        "hours_of_sleep_last_night": 5.5,
        "woken_by_pain": "most_nights",
    }
    document = imported.as_document()
    assert document["hours_of_sleep_last_night"] == 5.5
    assert document["woken_by_pain"] == "most_nights"
    assert list(document)[-2:] == ["hours_of_sleep_last_night", "woken_by_pain"]


def test_the_rules_ignore_the_added_answers(imported):
    document = imported.as_document()
    without = {
        key: value
        for key, value in document.items()
        if key not in ("hours_of_sleep_last_night", "woken_by_pain")
    }
    assert screen(document) == screen(without)


def test_the_import_refuses_an_added_answer_outside_its_codes(added_questions, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**json.loads(CASE.read_text()), "woken_by_pain": "always"}))
    err = StringIO()
    with pytest.raises(CommandError, match="Imported 0 intake"):
        call_command("import_intakes", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith(f"{path}: woken_by_pain: ")
    assert not Intake.objects.exists()


def test_the_fhir_export_answers_the_added_questions(imported, tmp_path):
    out = tmp_path / "bundle.json"
    call_command("export_intakes", fhir=True, output=str(out), stdout=StringIO())
    bundle = json.loads(out.read_text())
    validated(bundle)
    [response] = [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    validated(response)
    items = {item["linkId"]: item for item in response["item"]}
    assert items["hours_of_sleep_last_night"]["answer"] == [{"valueDecimal": 5.5}]
    assert items["woken_by_pain"]["answer"] == [
        {"valueCoding": {"system": "urn:oih-intake:woken_by_pain", "code": "most_nights"}}
    ]
    published = questionnaire()
    validated(published)
    asked = {item["linkId"]: item for item in published["item"]}
    assert asked["hours_of_sleep_last_night"]["type"] == "decimal"
    assert [option["valueCoding"]["code"] for option in asked["woken_by_pain"]["answerOption"]] == [
        "never",
        "some_nights",
        "most_nights",
    ]


def test_the_clinicians_intake_page_shows_the_added_answers(imported, clinician_client):
    response = clinician_client.get(intake_url(imported))
    assert response.status_code == 200
    [section] = [s for s in response.context["answer_sections"] if s["slug"] == "more-answers"]
    assert section["rows"] == [
        ("Hours of sleep last night", "5.5"),
        ("Woken by pain", "most_nights"),
    ]
    content = response.content.decode()
    assert '<tr><th scope="row">Hours of sleep last night</th><td>5.5</td></tr>' in content


def test_without_added_questions_the_page_has_no_more_answers_section(clinician_client, tmp_path):
    call_command("import_intakes", str(CASE), stdout=StringIO(), stderr=StringIO())
    response = clinician_client.get(intake_url(Intake.objects.get()))
    assert "more-answers" not in [s["slug"] for s in response.context["answer_sections"]]
    assert "More answers" not in response.content.decode()


def test_rescreening_reads_the_added_answers_in_one_query_and_changes_nothing(
    imported, django_assert_num_queries
):
    out = StringIO()
    call_command("rescreen", stdout=out)
    assert out.getvalue().splitlines()[0] == (
        "Rescreen under rules 2026.3 (dry run): 1 intake(s) examined, 0 would change."
    )
    [intake] = Intake.objects.only(*rescreening.document_intake_fields())
    with django_assert_num_queries(1):
        # The medicines only: every answer, added ones too, came with the row.
        assert intake.as_document()["woken_by_pain"] == "most_nights"


def test_a_check_in_carries_an_added_answer_only_where_the_table_says_so(
    settings, clinician_client
):
    carried = answers.Answer(
        "sleep_apnoea", answers.YES_NO, label="Sleep apnoea", step="oud", carried=True
    )
    settings.OIH_EXTRA_ANSWERS = (carried, HOURS_OF_SLEEP)
    first = make_first_visit(sleep_apnoea=True, hours_of_sleep_last_night=4)
    assert first.more_answers == {"sleep_apnoea": True, "hours_of_sleep_last_night": 4}
    start_follow_up(clinician_client, first)

    check_in = check_ins.start_check_in(FollowUp.objects.get())

    assert check_in.more_answers == {"sleep_apnoea": True}
