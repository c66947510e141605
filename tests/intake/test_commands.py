"""The management commands: screen, import_intakes, export_intakes, rescreen, purge_expired_intakes."""

import datetime
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from intake import rescreening
from intake.exchange.imports import import_document
from intake.models import Intake, IntakeMedicine, Patient, Rescreen, Screening
from intake.review.recording import record_review
from intake.screening import ALERT_CODES, DocumentError, screen, validate_document
from tests.helpers import confirm_returning_patient

REPO_DIR = Path(__file__).resolve().parents[2]
CASE_FILES = sorted((REPO_DIR / "tests" / "cases").glob("*.json"))
CASES = {path.stem: json.loads(path.read_text()) for path in CASE_FILES}
HYDROCODONE_CASE = REPO_DIR / "tests" / "cases" / "pub-01-oih-hydrocodone.json"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
# Each case's medicines in order; an `other` opioid has no RxNorm code (None).
RXNORM_OF_CASE = {
    "pub-01-oih-hydrocodone": ["5489"],
    "pub-02-tolerance-morphine": ["7052"],
    "pub-03-end-of-dose": ["7804"],
    "pub-05-unit-error-oih": ["4337"],
    "pub-06-oih-with-misuse": ["10689"],
    "pub-07-post-surgery": ["7052"],
    "pub-08-no-dose-response": ["3423"],
    "pub-09-methadone-high-mme": ["6813"],
    "pub-10-buprenorphine-patch-plus-oxycodone": ["1819", "7804"],
    "pub-11-unknown-opioid-lower-bound": [None, "7052"],
    "pub-12-withdrawal-window-wins": ["5489"],
}


def run(*args, **options):
    """Run a command; return what it wrote to standard output and standard error."""
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(*args, **options):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=out, stderr=err, **options)
    return raised.value, out.getvalue(), err.getvalue()


def write_json(path, value):
    path.write_text(json.dumps(value))
    return path


def invalid_document():
    return {**CASES["pub-02-tolerance-morphine"], "pain_score_now": 11}


def import_cases():
    """Every example case stored through the one write path; intakes by case name."""
    return {name: import_document(case) for name, case in CASES.items()}


def printed_order(alert_codes):
    """Alert codes in the order results give them (a case file may list them in another)."""
    return [code for code in ALERT_CODES if code in alert_codes]


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Patient, Intake, IntakeMedicine, Screening, Rescreen)
    }


def current_level(intake):
    return intake.screenings.get(is_current=True).level


def levels_by_case():
    return {intake.clinic_reference: current_level(intake) for intake in Intake.objects.submitted()}


def run_manage_py(*args):
    # An unreachable database: the screen command must not need one.
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# screen ---------------------------------------------------------------------


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda path: path.stem)
def test_screen_prints_each_case_with_its_expected_level_mme_and_alerts(path):
    # No django_db mark: any database access here would fail the test.
    out, _ = run("screen", str(path))

    result = json.loads(out)
    expected = CASES[path.stem]["expected"]
    assert result["format"] == "oih-screening/1"
    assert result["oih"]["level"] == expected["oih_level"]
    assert result["mme"]["total_per_day"] == expected["mme_per_day"]
    assert sorted(alert["code"] for alert in result["alerts"]) == sorted(expected["alerts"])


def test_screen_prints_a_json_array_for_several_files_in_their_order():
    out, _ = run("screen", *map(str, CASE_FILES))

    results = json.loads(out)
    assert [result["oih"]["level"] for result in results] == [
        case["expected"]["oih_level"] for case in CASES.values()
    ]


def test_screen_reads_standard_input_for_a_dash():
    out, _ = run("screen", "-", stdin=StringIO(HYDROCODONE_CASE.read_text()))

    assert json.loads(out) == screen(CASES["pub-01-oih-hydrocodone"])


@pytest.mark.django_db
def test_screen_makes_no_database_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        run("screen", *map(str, CASE_FILES))


def test_screen_refuses_an_invalid_document_with_status_2_naming_file_and_field(tmp_path):
    bad = write_json(tmp_path / "bad.json", invalid_document())

    error, out, err = run_failing("screen", str(HYDROCODONE_CASE), str(bad))

    assert error.returncode == 2
    assert out == ""
    assert err == f"{bad}: pain_score_now: must be a whole number from 0 to 10\n"


def test_screen_refuses_bad_json_with_status_2(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "oih-intake/1",')

    error, out, err = run_failing("screen", str(bad))

    assert error.returncode == 2
    assert err == f"{bad}: document: is not valid JSON (line 1, column 27)\n"


def test_screen_runs_from_manage_py_without_a_database():
    completed = run_manage_py("screen", "tests/cases/pub-01-oih-hydrocodone.json")

    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["oih"]["level"] == "flag"
    assert result["mme"]["total_per_day"] == 60.0


def test_screen_from_manage_py_exits_2_naming_the_field(tmp_path):
    bad = write_json(tmp_path / "bad.json", invalid_document())

    completed = run_manage_py("screen", str(bad))

    assert completed.returncode == 2
    assert completed.stdout == ""
    assert f"{bad}: pain_score_now: must be a whole number from 0 to 10" in completed.stderr


# import_intakes --------------------------------------------------------------


@pytest.mark.django_db
def test_import_stores_every_case_screened_at_its_expected_level():
    out, _ = run("import_intakes", *map(str, CASE_FILES))

    assert levels_by_case() == {name: case["expected"]["oih_level"] for name, case in CASES.items()}
    assert Intake.objects.filter(source=Intake.Source.IMPORT).count() == 12
    assert Screening.objects.filter(cause=Screening.Cause.SUBMISSION).count() == 12
    lines = out.splitlines()
    assert lines[-1] == "Imported 12 intake(s) from 12 of 12 file(s)."
    assert lines[:-1] == [
        f"{intake.reference}\t{current_level(intake)}\t"
        + (",".join(printed_order(CASES[intake.clinic_reference]["expected"]["alerts"])) or "-")
        for intake in Intake.objects.order_by("pk")
    ]


@pytest.mark.django_db
def test_import_prints_reference_level_and_alert_codes_per_intake():
    out, _ = run("import_intakes", str(CASE_FILES[4]))

    intake = Intake.objects.get()
    assert out.splitlines()[0] == f"{intake.reference}\tflag\tmme_not_computable,data_quality"


@pytest.mark.django_db
def test_import_reads_standard_input_for_a_dash():
    run("import_intakes", "-", stdin=StringIO(HYDROCODONE_CASE.read_text()))

    assert levels_by_case() == {"pub-01-oih-hydrocodone": "flag"}


@pytest.mark.django_db
def test_import_accepts_a_file_holding_an_array_of_documents(tmp_path):
    both = write_json(
        tmp_path / "both.json", [CASES["pub-01-oih-hydrocodone"], CASES["pub-07-post-surgery"]]
    )

    run("import_intakes", str(both))

    assert levels_by_case() == {"pub-01-oih-hydrocodone": "flag", "pub-07-post-surgery": "none"}


@pytest.mark.django_db
def test_import_skips_an_invalid_file_imports_the_others_and_exits_2(tmp_path):
    bad = write_json(tmp_path / "bad.json", invalid_document())

    error, out, err = run_failing(
        "import_intakes", str(CASE_FILES[0]), str(bad), str(CASE_FILES[6])
    )

    assert error.returncode == 2
    assert str(error) == "Imported 2 intake(s) from 2 of 3 file(s)."
    assert err == (f"{bad}: pain_score_now: must be a whole number from 0 to 10 (file skipped)\n")
    assert len(out.splitlines()) == 2
    assert levels_by_case() == {"pub-01-oih-hydrocodone": "flag", "pub-07-post-surgery": "none"}
    assert row_counts() == {
        "Patient": 2,
        "Intake": 2,
        "IntakeMedicine": 2,
        "Screening": 2,
        "Rescreen": 0,
    }


@pytest.mark.django_db
def test_import_of_an_array_with_one_invalid_document_stores_nothing_from_it(tmp_path):
    mixed = write_json(
        tmp_path / "mixed.json",
        [CASES["pub-01-oih-hydrocodone"], CASES["pub-07-post-surgery"], invalid_document()],
    )

    error, out, err = run_failing("import_intakes", str(mixed))

    assert error.returncode == 2
    assert out == ""
    assert err == (
        f"{mixed}: [2].pain_score_now: must be a whole number from 0 to 10 (file skipped)\n"
    )
    assert row_counts() == {
        "Patient": 0,
        "Intake": 0,
        "IntakeMedicine": 0,
        "Screening": 0,
        "Rescreen": 0,
    }


@pytest.mark.django_db
def test_import_reports_bad_json_and_writes_nothing(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("[{")

    error, _, err = run_failing("import_intakes", str(bad))

    assert error.returncode == 2
    assert err == f"{bad}: document: is not valid JSON (line 1, column 3) (file skipped)\n"
    assert Intake.objects.count() == 0


# export_intakes ---------------------------------------------------------------


@pytest.mark.django_db
def test_export_round_trips_every_intake_to_the_same_screening_level():
    intakes = import_cases()

    out, err = run("export_intakes")

    documents = json.loads(out)
    assert err == "Exported 12 intake(s).\n"
    assert [document["reference"] for document in documents] == list(CASES)
    for document in documents:
        intake = intakes[document["reference"]]
        validate_document(document)
        assert screen(document)["oih"]["level"] == current_level(intake)
        assert (
            screen(document)["mme"]["total_per_day"]
            == (CASES[document["reference"]]["expected"]["mme_per_day"])
        )


@pytest.mark.django_db
def test_export_leaves_out_unfinished_intakes():
    import_document(CASES["pub-01-oih-hydrocodone"])
    unfinished = Intake(clinic_reference="not-yet")
    unfinished.issue_resume_secrets()
    unfinished.save()

    out, _ = run("export_intakes")

    assert [document["reference"] for document in json.loads(out)] == ["pub-01-oih-hydrocodone"]


@pytest.mark.django_db
def test_export_writes_the_output_file_and_nothing_on_standard_output(tmp_path):
    import_cases()
    target = tmp_path / "intakes.json"

    out, err = run("export_intakes", "--output", str(target))

    assert out == ""
    assert err == f"Exported 12 intake(s) to {target}.\n"
    assert len(json.loads(target.read_text())) == 12
    assert sorted(path.name for path in tmp_path.iterdir()) == ["intakes.json"]


@pytest.mark.django_db
def test_export_of_no_intakes_is_an_empty_array():
    out, _ = run("export_intakes")

    assert json.loads(out) == []


@pytest.mark.django_db
def test_export_reads_intakes_and_medicines_in_two_queries(django_assert_num_queries):
    import_cases()

    # And two for its access log row: written before, its count after.
    with django_assert_num_queries(4):
        run("export_intakes")


@pytest.mark.django_db
def test_export_fhir_bundle_holds_a_response_per_intake_and_a_statement_per_medicine():
    intakes = import_cases()

    out, _ = run("export_intakes", "--fhir")

    bundle = json.loads(out)
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    resources = [entry["resource"] for entry in bundle["entry"]]
    responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    statements = [r for r in resources if r["resourceType"] == "MedicationStatement"]
    issues = [r for r in resources if r["resourceType"] == "DetectedIssue"]
    # Besides, a DetectedIssue per OIH flag or borderline result and per alert.
    assert len(resources) == 25 + len(issues)
    assert len(responses) == 12
    assert len(statements) == 13
    assert sorted(r["identifier"]["value"] for r in responses) == sorted(
        intake.reference for intake in intakes.values()
    )
    assert {r["authored"] for r in responses} == {
        intake.submitted_at.isoformat() for intake in intakes.values()
    }


@pytest.mark.django_db
def test_export_fhir_codes_each_medicine_with_rxnorm_and_links_it_to_its_response():
    intakes = import_cases()

    bundle = json.loads(run("export_intakes", "--fhir")[0])

    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert len(full_urls) == len(bundle["entry"])
    codes = {}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] != "MedicationStatement":
            continue
        case_name = resource["subject"]["identifier"]["value"]
        assert resource["derivedFrom"] == [
            {"reference": f"urn:uuid:{intakes[case_name].public_id}"}
        ]
        assert resource["status"] == "active"
        codings = resource["medicationCodeableConcept"].get("coding", [])
        assert [coding["system"] for coding in codings] in ([RXNORM], [])
        codes.setdefault(case_name, []).append(codings[0]["code"] if codings else None)
    assert codes == RXNORM_OF_CASE


@pytest.mark.django_db
def test_export_fhir_gives_every_response_item_a_link_id():
    import_cases()

    bundle = json.loads(run("export_intakes", "--fhir")[0])

    def items(item_list):
        for item in item_list:
            yield item
            yield from items(item.get("item", []))

    all_items = [
        item
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "QuestionnaireResponse"
        for item in items(entry["resource"]["item"])
    ]
    assert len(all_items) > 9 * 10
    assert all(item["linkId"] for item in all_items)
    hydrocodone_dose = [item for item in all_items if item["linkId"] == "opioids.daily_dose"]
    assert len(hydrocodone_dose) == 13


# rescreen -------------------------------------------------------------------


def rules_that_call_pub_02_borderline(monkeypatch):
    """New rules under which the tolerance case becomes borderline with a misuse alert."""
    real_screen = rescreening.screen

    def changed_screen(document, *, previous=None):
        result = real_screen(document, previous=previous)
        if document["reference"] == "pub-02-tolerance-morphine":
            result["oih"]["level"] = "borderline"
            result["alerts"].append({"code": "misuse_signals", "indicator": "warning"})
        return result

    monkeypatch.setattr(rescreening, "screen", changed_screen)


def rules_with_version(monkeypatch, version):
    real_screen = rescreening.screen

    def versioned_screen(document, *, previous=None):
        return {**real_screen(document, previous=previous), "rules_version": version}

    monkeypatch.setattr(rescreening, "screen", versioned_screen)
    monkeypatch.setattr(rescreening, "RULES_VERSION", version)


@pytest.mark.django_db
def test_rescreen_under_unchanged_rules_finds_nothing_and_writes_nothing():
    import_cases()
    before = row_counts()

    out, _ = run("rescreen")

    assert row_counts() == before
    assert out.splitlines()[0] == (
        "Rescreen under rules 2026.3 (dry run): 12 intake(s) examined, 0 would change."
    )
    assert out.splitlines()[-1] == (
        "Nothing was written. Run with --apply to store the new screenings."
    )


@pytest.mark.django_db
def test_rescreen_dry_run_reports_what_would_change_without_writing(monkeypatch):
    intakes = import_cases()
    before = row_counts()
    rules_that_call_pub_02_borderline(monkeypatch)

    out, _ = run("rescreen")

    assert row_counts() == before
    reference = intakes["pub-02-tolerance-morphine"].reference
    assert out.splitlines() == [
        "Rescreen under rules 2026.3 (dry run): 12 intake(s) examined, 1 would change.",
        "  from (level + alerts)  to (level + alerts)                      intakes  examples",
        f"  none + mme_ge_50       borderline + mme_ge_50 + misuse_signals        1  {reference}",
        "  none -> borderline: 1",
        "  alerts added: misuse_signals 1",
        "  alerts removed: none",
        "  reasons changed: 0",
        "  new in the worklist: 1",
        "  screened under other rules: 0",
        f"  examples: {reference}",
        "Nothing was written. Run with --apply to store the new screenings.",
    ]


@pytest.mark.django_db
def test_rescreen_apply_adds_a_current_screening_only_to_changed_intakes(monkeypatch, clinician):
    intakes = import_cases()
    rules_that_call_pub_02_borderline(monkeypatch)

    out, _ = run("rescreen", "--apply", "--user", "clinician")

    changed = intakes["pub-02-tolerance-morphine"]
    old, new = changed.screenings.order_by("pk")
    assert (old.is_current, old.cause, old.level) == (False, "submission", "none")
    assert (new.is_current, new.cause, new.level) == (True, "rescreen", "borderline")
    assert new.alert_codes == ["mme_ge_50", "misuse_signals"]
    assert new.created_by == clinician
    assert Screening.objects.count() == 13
    assert Screening.objects.filter(is_current=True).count() == 12
    assert Screening.objects.filter(cause="rescreen").count() == 1
    run_row = Rescreen.objects.get()
    assert (run_row.examined, run_row.changed, run_row.is_dry_run) == (12, 1, False)
    assert run_row.rules_version == "2026.3"
    assert run_row.finished_at is not None
    assert run_row.summary["level_changes"] == {"none -> borderline": 1}
    assert run_row.summary["alerts_added"] == {"misuse_signals": 1}
    assert run_row.summary["examples"] == [changed.reference]
    assert run_row.summary["user"] == "clinician"
    assert str(run_row).startswith("Rescreen under rules 2026.3 at ")
    assert str(run_row).endswith(": 1 of 12 changed")
    assert out.splitlines()[-1] == f"Stored 1 new screening(s); recorded as rescreen {run_row.pk}."


@pytest.mark.django_db
def test_rescreen_apply_a_second_time_changes_nothing(monkeypatch):
    import_cases()
    rules_that_call_pub_02_borderline(monkeypatch)
    run("rescreen", "--apply")
    screenings_after_first = list(Screening.objects.values_list("pk", "is_current"))

    out, _ = run("rescreen", "--apply")

    assert list(Screening.objects.values_list("pk", "is_current")) == screenings_after_first
    assert out.splitlines()[0] == "Rescreen under rules 2026.3: 12 intake(s) examined, 0 changed."
    assert list(Rescreen.objects.order_by("pk").values_list("changed", flat=True)) == [1, 0]


@pytest.mark.django_db
def test_rescreen_apply_under_a_new_rules_version_rescreens_every_intake_in_batches(monkeypatch):
    import_cases()
    rules_with_version(monkeypatch, "2026.4")

    run("rescreen", "--apply", "--batch-size", "2")

    current = Screening.objects.filter(is_current=True)
    assert sorted(current.values_list("rules_version", flat=True)) == ["2026.4"] * 12
    assert Screening.objects.filter(is_current=False, rules_version="2026.3").count() == 12
    assert levels_by_case() == {name: case["expected"]["oih_level"] for name, case in CASES.items()}
    run_row = Rescreen.objects.get()
    assert (run_row.rules_version, run_row.examined, run_row.changed) == ("2026.4", 12, 12)
    assert run_row.summary["rules_version_changed"] == 12
    assert run_row.summary["level_changes"] == {
        "borderline -> borderline": 2,
        "flag -> flag": 4,
        "none -> none": 6,
    }

    run("rescreen", "--apply", "--batch-size", "2")

    assert Screening.objects.count() == 24


@pytest.mark.django_db
def test_rescreen_screens_against_the_patients_previous_intake(monkeypatch):
    first = import_document(CASES["pub-01-oih-hydrocodone"])
    second = confirm_returning_patient(
        import_document({**CASES["pub-01-oih-hydrocodone"], "pain_score_now": 9})
    )
    assert second.previous_intake == first
    seen = []
    real_screen = rescreening.screen

    def spying_screen(document, *, previous=None):
        seen.append((document["pain_score_now"], previous))
        return real_screen(document, previous=previous)

    monkeypatch.setattr(rescreening, "screen", spying_screen)

    out, _ = run("rescreen")

    assert seen == [(8, None), (9, first.as_document())]
    assert out.splitlines()[0].endswith("2 intake(s) examined, 0 would change.")


@pytest.mark.django_db
def test_rescreen_reports_answers_the_rules_now_reject_and_keeps_their_screening(monkeypatch):
    intakes = import_cases()
    real_screen = rescreening.screen

    def stricter_screen(document, *, previous=None):
        if document["reference"] == "pub-07-post-surgery":
            raise DocumentError("months_on_opioids", "must be at least 1")
        return real_screen(document, previous=previous)

    monkeypatch.setattr(rescreening, "screen", stricter_screen)

    out, _ = run("rescreen", "--apply")

    reference = intakes["pub-07-post-surgery"].reference
    assert out.splitlines()[-3:] == [
        "  not rescreened, answers now invalid: 1",
        f"    {reference}: months_on_opioids: must be at least 1",
        f"Stored 0 new screening(s); recorded as rescreen {Rescreen.objects.get().pk}.",
    ]
    assert Screening.objects.count() == 12
    assert Rescreen.objects.get().summary["invalid"] == 1


@pytest.mark.django_db
def test_rescreen_reads_each_batch_in_a_fixed_number_of_queries(django_assert_num_queries):
    import_cases()

    # One batch: intakes, medicines, current screenings; then the empty batch that ends it.
    with django_assert_num_queries(4):
        run("rescreen", "--batch-size", "100")


@pytest.mark.django_db
def test_rescreen_refuses_an_unknown_user():
    error, _, _ = run_failing("rescreen", "--apply", "--user", "nobody")

    assert str(error) == "No user named 'nobody'."
    assert Rescreen.objects.count() == 0


# purge_expired_intakes --------------------------------------------------------


def make_unfinished(*, expires_at):
    intake = Intake(expires_at=expires_at)
    intake.issue_resume_secrets()
    intake.save()
    IntakeMedicine.objects.create(
        intake=intake, name="morphine", formulation="immediate_release", daily_dose=30
    )
    return intake


@pytest.fixture
def intakes_of_every_kind(db):
    now = timezone.now()
    expired = make_unfinished(expires_at=now - datetime.timedelta(days=1))
    fresh = make_unfinished(expires_at=now + datetime.timedelta(days=13))
    submitted = import_document(CASES["pub-01-oih-hydrocodone"])
    # A submitted intake is never purged, whatever its expiry says.
    Intake.objects.filter(pk=submitted.pk).update(expires_at=now - datetime.timedelta(days=30))
    return expired, fresh, submitted


def test_purge_deletes_only_expired_unfinished_intakes(intakes_of_every_kind):
    expired, fresh, submitted = intakes_of_every_kind

    out, _ = run("purge_expired_intakes")

    assert out == "Deleted 1 expired unfinished intake(s).\n"
    assert sorted(Intake.objects.values_list("pk", flat=True)) == [fresh.pk, submitted.pk]
    assert IntakeMedicine.objects.filter(intake_id=expired.pk).count() == 0


def test_purge_dry_run_only_counts(intakes_of_every_kind):
    out, _ = run("purge_expired_intakes", "--dry-run")

    assert out == "1 expired unfinished intake(s) would be deleted.\n"
    assert Intake.objects.count() == 3


def test_a_reviewed_flag_rescreened_on_the_same_evidence_is_not_raised_again(clinician):
    from intake.submission import record_screening

    with open("tests/cases/pub-01-oih-hydrocodone.json") as case:
        intake = import_document(json.load(case))
    first = intake.screenings.get()
    record_review(first, clinician, "accept")
    again = record_screening(intake, first.result, cause=Screening.Cause.RESCREEN)
    assert again.is_current and again.is_repeat_of_reviewed
    assert list(Screening.objects.needing_review().filter(is_repeat_of_reviewed=False)) == []
