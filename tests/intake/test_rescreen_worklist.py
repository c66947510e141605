"""A rules release and the worklist: evidence already reviewed stays reviewed, new items
appear, and the dry run's table says what would change (issue 10)."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from intake import rescreening
from intake.exchange.imports import import_document
from intake.models import Screening
from intake.review.recording import record_review

CASES = Path(__file__).resolve().parent.parent / "cases"
URGENT_ONLY = {
    "dose_change_last_6_months": "decreased",
    "weeks_since_last_dose_change": 2,
    "pain_when_dose_decreased": "worse",
    "withdrawal_symptoms_between_doses": ["sweating"],
}

pytestmark = pytest.mark.django_db


def case(name, reference, **answers):
    document = json.loads((CASES / f"{name}.json").read_text())
    document.update(answers, reference=reference)
    return import_document(document)


def as_if_stored_under_old_rules(intake, *, level=None, alerts=None):
    """The intake's screening as an earlier rules version stored it."""
    screening = intake.screenings.get(is_current=True)
    result = dict(screening.result, rules_version="2026.1")
    if alerts is not None:
        result["alerts"] = [a for a in result["alerts"] if a["code"] in alerts]
    if level is not None:
        result["oih"] = {"level": level, "reasons": []}
    Screening.objects.filter(pk=screening.pk).update(
        rules_version="2026.1",
        result=result,
        level=result["oih"]["level"],
        alert_codes=[a["code"] for a in result["alerts"]],
    )


def worklist_references():
    waiting = Screening.objects.needing_review().filter(
        is_repeat_of_reviewed=False, is_reviewed=False
    )
    return sorted(waiting.values_list("intake__clinic_reference", flat=True))


def test_reviewed_evidence_that_did_not_change_stays_reviewed_and_new_items_appear(clinician):
    reviewed_urgent = case("pub-02-tolerance-morphine", "reviewed-urgent", **URGENT_ONLY)
    reviewed_flag = case("pub-01-oih-hydrocodone", "reviewed-flag")
    newly_urgent = case("pub-02-tolerance-morphine", "newly-urgent", **URGENT_ONLY)
    record_review(
        reviewed_urgent.screenings.get(), clinician, action="contacted_patient", note="Called."
    )
    record_review(reviewed_flag.screenings.get(), clinician, "accept")
    for intake in (reviewed_urgent, reviewed_flag):
        as_if_stored_under_old_rules(intake)
    # The old rules did not raise the urgent alert for this one.
    as_if_stored_under_old_rules(newly_urgent, alerts=[])
    assert worklist_references() == []

    run = rescreening.rescreen(apply=True)

    assert run.changed == 3
    assert worklist_references() == ["newly-urgent"]
    for intake in (reviewed_urgent, reviewed_flag):
        current = intake.screenings.get(is_current=True)
        assert (current.rules_version, current.is_repeat_of_reviewed) == ("2026.3", True)
    assert Screening.objects.get(intake=newly_urgent, is_current=True).priority == 0


def test_the_dry_run_prints_a_table_from_old_to_new_with_examples():
    urgent = [case("pub-02-tolerance-morphine", f"urgent-{n}", **URGENT_ONLY) for n in range(4)]
    flag = case("pub-01-oih-hydrocodone", "flag")
    for intake in urgent:
        as_if_stored_under_old_rules(intake, alerts=[])
    as_if_stored_under_old_rules(flag, level="borderline", alerts=[])
    out = io.StringIO()

    call_command("rescreen", stdout=out)

    lines = out.getvalue().splitlines()
    examples = ", ".join(intake.reference for intake in urgent[:3])
    assert lines[:4] == [
        "Rescreen under rules 2026.3 (dry run): 5 intake(s) examined, 5 would change.",
        "  from (level + alerts)  to (level + alerts)                           intakes  examples",
        f"  none                   none + mme_ge_50 + withdrawal_after_dose_cut        4  {examples}",
        f"  borderline             flag + mme_ge_50                                    1  {flag.reference}",
    ]
    assert "  new in the worklist: 4" in lines
    assert Screening.objects.filter(is_current=True, rules_version="2026.3").count() == 0
