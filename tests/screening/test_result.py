"""The `oih-screening/1` result as a whole: its shape, its reasons and cards, and no Django."""

import ast
import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

import intake.screening
from intake.screening import ALERT_CODES, RULES_VERSION, DocumentError, screen
from tests.screening.documents import CUT, STOPPED, make_document, morphine, oih_pattern, opioid
from tests.screening.results import (
    ALLODYNIA,
    BASELINE,
    BURNING,
    FEW_MINOR,
    M1,
    M1_PARTIAL,
    M2,
    M2_IGNORED,
    M2_PARTIAL,
    NO_DOSE_RESPONSE,
    NO_MAJOR,
    PARTIAL,
    PARTIAL_ALONE,
    SPREAD,
    TOO_FEW,
    alert_codes,
    reason_codes,
)

MANY_REASONS = [
    make_document(),
    oih_pattern(),
    oih_pattern(**STOPPED, months_since_stopped=3),
    oih_pattern(**STOPPED, months_since_stopped=9),
    oih_pattern(**STOPPED, months_on_opioids=0),
    oih_pattern(**STOPPED, months_since_stopped=None),
    make_document(**STOPPED, months_since_stopped=3),
    oih_pattern(months_on_opioids=0.5),
    make_document(months_on_opioids=0.5, pain_score_now=2),
    oih_pattern(months_on_opioids=2),
    oih_pattern(months_on_opioids=None),
    oih_pattern(pain_when_dose_increased="unchanged"),
    make_document(pain_when_dose_increased="unchanged"),
    make_document(pain_when_dose_increased="worse", signs_of_misuse=["craving"]),
    make_document(
        current_pain_sites=["lower_back", "neck"], new_pain_qualities=["burning"], pain_score_now=7
    ),
    make_document(pain_when_dose_increased="better"),
    make_document(**CUT, pain_between_doses_or_missed_dose="worse"),
    make_document(**{**CUT, "pain_when_dose_decreased": "unchanged"}),
    oih_pattern(currently_taking_opioids=None),
    oih_pattern(pain_between_doses_or_missed_dose="worse"),
    make_document(pain_when_dose_decreased="better", weeks_since_last_dose_change=10),
    make_document(pain_when_dose_decreased="better", weeks_since_last_dose_change=1),
    make_document(pain_when_dose_decreased="better", weeks_since_last_dose_change=None),
    make_document(new_injury_or_disease_progression={"present": True, "details": "fall"}),
    oih_pattern(new_injury_or_disease_progression={"present": None, "details": ""}),
    make_document(
        **CUT,
        opioids=morphine(95) + [opioid("fentanyl", 1, "mg/day")],
        known_opioid_use_disorder=True,
    ),
    make_document(
        opioids=morphine(95), signs_of_misuse=["craving"], known_opioid_use_disorder=True
    ),
    make_document(opioids=[opioid("buprenorphine", 8)]),
    make_document(opioids=morphine(20) + morphine(20), current_pain_sites=[]),
    # Rulings 18 and 19: tramadol over its maximum, a sedative, a gabapentinoid, no naloxone.
    make_document(
        opioids=[opioid("tramadol", 500, formulation="immediate_release")],
        other_medicines=[
            {"name": "Xanax", "class": "benzodiazepine"},
            {"name": "Lyrica", "class": "gabapentinoid"},
        ],
        naloxone_at_home=False,
    ),
]
ALL_REASON_CODES = {
    M1,
    M1_PARTIAL,
    M2,
    M2_PARTIAL,
    M2_IGNORED,
    SPREAD,
    ALLODYNIA,
    BURNING,
    BASELINE,
    FEW_MINOR,
    PARTIAL,
    PARTIAL_ALONE,
    NO_DOSE_RESPONSE,
    NO_MAJOR,
    TOO_FEW,
    "acute_exposure",
    "acute_exposure_improving",
    "subacute_exposure",
    "exposure_unknown",
    "time_on_opioids_unknown",
    "never_on_opioids",
    "stopped_time_unknown",
    "stopped_over_6_months",
    "stopped_within_6_months",
    "disease_progression_or_new_injury",
    "progression_not_ruled_out",
    "end_of_dose_pattern",
    "withdrawal_after_dose_cut",
    "tolerance_pattern",
    "pain_linked_to_dosing_interval",
    "misuse_signals_present",
}


def test_the_sample_documents_cover_every_reason_and_alert():
    results = [screen(document) for document in MANY_REASONS]

    assert {code for result in results for code in reason_codes(result)} == ALL_REASON_CODES
    assert {code for result in results for code in alert_codes(result)} == set(ALERT_CODES)


@pytest.mark.parametrize("document", MANY_REASONS)
def test_every_reason_is_one_short_sentence_with_evidence_and_a_source(document):
    normalised_fields = set(make_document()) | {"reference"}

    for item in screen(document)["oih"]["reasons"]:
        assert set(item) == {"code", "evidence", "source", "summary"}
        assert len(item["summary"]) < 140
        assert item["summary"].endswith(".") and ". " not in item["summary"]
        assert item["source"]
        assert item["evidence"]
        for field in item["evidence"]:
            assert field.split(".")[0].split("[")[0] in normalised_fields


@pytest.mark.parametrize("document", MANY_REASONS)
def test_every_alert_is_a_short_card_with_a_known_code_and_indicator(document):
    for item in screen(document)["alerts"]:
        # The withdrawal alerts carry their evidence too (rulings 4 and 17).
        assert set(item) - {"evidence"} == {"code", "indicator", "source", "summary"}
        assert item["code"] in ALERT_CODES
        assert item["indicator"] in ("info", "warning", "critical")
        assert len(item["summary"]) < 140
        assert item["source"]


@pytest.mark.parametrize("document", MANY_REASONS)
def test_every_note_is_a_short_sentence_with_evidence(document):
    for item in screen(document)["notes"]:
        assert set(item) == {"code", "evidence", "summary"}
        assert len(item["summary"]) < 140 and item["summary"].endswith(".")
        assert item["evidence"]


def test_the_result_has_the_documented_shape():
    result = screen(oih_pattern())

    assert list(result) == ["alerts", "format", "mme", "notes", "oih", "rules_version"]
    assert (result["format"], result["rules_version"]) == ("oih-screening/1", "2026.3")
    assert list(result["oih"]) == ["level", "reasons"]
    assert list(result["mme"]) == [
        "computable",
        "factor_table",
        "items",
        "lower_bound",
        "total_per_day",
    ]
    assert list(result["mme"]["items"][0]) == [
        "daily_dose",
        "factor",
        "included",
        "mme_per_day",
        "name",
        "unit",
    ]
    assert RULES_VERSION == "2026.3"


@pytest.mark.parametrize("document", MANY_REASONS)
def test_the_result_has_sorted_keys_and_survives_a_json_round_trip(document):
    result = screen(document)

    assert json.loads(json.dumps(result)) == result
    assert json.dumps(result) == json.dumps(result, sort_keys=True)


def test_the_same_document_always_gives_the_same_result():
    assert json.dumps(screen(oih_pattern())) == json.dumps(screen(oih_pattern()))


def test_it_does_not_change_the_document_it_screens():
    document = oih_pattern(signs_of_misuse=["craving", "craving"])
    before = copy.deepcopy(document)

    screen(document)

    assert document == before


def test_it_rejects_an_invalid_document_naming_the_field():
    with pytest.raises(DocumentError) as caught:
        screen(make_document(pain_score_now=11))

    assert caught.value.field == "pain_score_now"


def test_it_still_screens_symptoms_when_the_unit_is_wrong():
    result = screen(oih_pattern(opioids=[opioid("fentanyl", 50, "mg/hr")]))

    assert (result["oih"]["level"], result["mme"]["total_per_day"]) == ("flag", None)


# No Django ------------------------------------------------------------------------------------

PACKAGE_DIR = Path(intake.screening.__file__).parent


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("path", sorted(PACKAGE_DIR.glob("*.py")), ids=lambda path: path.name)
def test_no_module_of_the_package_imports_django(path):
    assert not [name for name in imported_modules(path) if name.split(".")[0] == "django"]
    assert "import django" not in path.read_text()


def test_importing_the_package_loads_no_django():
    code = (
        "import sys, intake.screening; print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )

    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE_DIR.parent.parent,
    )

    assert completed.stdout.strip() == "False"
