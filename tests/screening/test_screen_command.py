"""`manage.py screen`: results of intake documents without a database, and a one-line message
with exit status 2 for every bad input, never a traceback."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from intake.screening import command_line, screen
from intake.screening.command_line import main

REPO_DIR = Path(__file__).resolve().parents[2]
CASE_FILES = sorted((REPO_DIR / "tests" / "cases").glob("*.json"))
FIRST_CASE = CASE_FILES[0]


def case(path):
    return json.loads(path.read_text())


def run_manage_py(*args, stdin=None):
    """manage.py as a shell runs it, with no database named and no secrets set.

    With debug off and no secret key, reading the settings would stop the process: a success here
    shows that `screen` never reads them, so never starts or reaches a database.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    return subprocess.run(
        [sys.executable, "manage.py", "screen", *args],
        cwd=REPO_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=60,
    )


def write(tmp_path, content, name="doc.json"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def document_text(**overrides):
    return json.dumps({**case(FIRST_CASE), **overrides})


# Results ---------------------------------------------------------------------------------------


def test_one_file_prints_one_object_without_settings_or_database():
    completed = run_manage_py(str(FIRST_CASE))

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == screen(case(FIRST_CASE))
    assert completed.stderr == b""


def test_several_files_print_an_array_in_their_order():
    completed = run_manage_py(*map(str, CASE_FILES))

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == [screen(case(path)) for path in CASE_FILES]


@pytest.mark.parametrize("files", [CASE_FILES[:1], CASE_FILES], ids=["one", "all"])
def test_jsonl_prints_one_result_per_line_in_the_order_of_the_files(files):
    completed = run_manage_py("--jsonl", *map(str, files))

    lines = completed.stdout.decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [screen(case(path)) for path in files]


def test_a_dash_reads_standard_input():
    completed = run_manage_py("-", stdin=FIRST_CASE.read_bytes())

    assert json.loads(completed.stdout) == screen(case(FIRST_CASE))


def test_non_ascii_answers_print_as_utf8_whatever_the_locale(tmp_path):
    path = write(tmp_path, document_text(reference="Zoë Ångström"))

    completed = subprocess.run(
        [sys.executable, "manage.py", "screen", str(path)],
        cwd=REPO_DIR,
        env={"PATH": os.environ["PATH"], "LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
        capture_output=True,
        timeout=60,
    )

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout.decode("utf-8"))["format"] == "oih-screening/1"


def test_the_django_command_gives_the_same_json_lines():
    out = StringIO()

    call_command("screen", "--jsonl", *map(str, CASE_FILES), stdout=out)

    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        screen(case(path)) for path in CASE_FILES
    ]


# Bad input: one line naming the field, exit 2, nothing on standard output --------------------

HUGE = "9" * 400
HUGER = "7" * 5000
NESTED_TOO_DEEP = "[" * 100_000 + "]" * 100_000
NESTED_VALUE = "[" * 500 + "]" * 500


def with_raw(field, raw):
    """The first case with one field's JSON text replaced by `raw`, exactly as written."""
    document = case(FIRST_CASE)
    document[field] = "@@RAW@@"
    return json.dumps(document).replace('"@@RAW@@"', raw)


def with_raw_dose(raw):
    document = case(FIRST_CASE)
    document["opioids"][0]["daily_dose"] = "@@RAW@@"
    return json.dumps(document).replace('"@@RAW@@"', raw)


BAD_INPUTS = [
    (
        with_raw_dose(HUGE),
        "opioids[0].daily_dose: is too large to be a daily dose (over 100000)",
    ),
    (with_raw_dose("-" + HUGE), "opioids[0].daily_dose: must be a positive number"),
    (with_raw_dose("1" * 5000 + ".5"), "opioids[0].daily_dose: must be a positive number"),
    (with_raw_dose("1e999"), "opioids[0].daily_dose: must be a positive number"),
    (with_raw("pain_score_now", HUGER), "pain_score_now: must be a whole number from 0 to 10"),
    (
        with_raw("pain_score_now", "-" + HUGER),
        "pain_score_now: must be a whole number from 0 to 10",
    ),
    (with_raw("months_on_opioids", HUGER), "months_on_opioids: is too large (over 1200)"),
    (
        with_raw("dose_change_last_6_months", HUGER),
        "dose_change_last_6_months: a number is not one of: increased, decreased, stable, "
        "started, stopped, unknown",
    ),
    (NESTED_TOO_DEEP, "document: is nested too deeply"),
    (
        '{"format": "oih-intake/1", "extra": ' + NESTED_TOO_DEEP + "}",
        "document: is nested too deeply",
    ),
    (
        with_raw("pain_when_dose_increased", NESTED_VALUE),
        "pain_when_dose_increased: a list is not one of: better, worse, unchanged, not_tried",
    ),
    (
        with_raw("reference", '"\\ud800"'),
        "reference: contains a character that is not valid text (a lone surrogate)",
    ),
    (
        with_raw("new_injury_or_disease_progression", '{"present": false, "details": "x\\udfff"}'),
        "new_injury_or_disease_progression.details: contains a character that is not valid "
        "text (a lone surrogate)",
    ),
    (
        with_raw("pain_when_dose_increased", '"\\ud800"'),
        "pain_when_dose_increased: '\\ud800' is not one of: better, worse, unchanged, not_tried",
    ),
    (
        b"\xef\xbb\xbf" + FIRST_CASE.read_bytes(),
        "document: starts with a byte order mark (BOM); save it without one",
    ),
    (b'{"format": "oih-intake/1", "reference": "\xff"}', "document: is not UTF-8 text (byte 42)"),
    ('{"format": "oih-intake/1",', "document: is not valid JSON (line 1, column 27)"),
    ("", "document: is not valid JSON (line 1, column 1)"),
    ("[]", "document: must be a JSON object"),
    ('{"format": "oih-intake/2"}', "format: must be 'oih-intake/1'"),
]
BAD_IDS = [
    "400-digit-dose",
    "negative-400-digit-dose",
    "5000-digit-float-dose",
    "infinite-dose",
    "5000-digit-pain-score",
    "negative-5000-digit-pain-score",
    "5000-digit-months",
    "5000-digit-code",
    "nested-100000-deep",
    "nested-100000-deep-in-an-extra-key",
    "nested-500-deep-in-a-field",
    "lone-surrogate-in-reference",
    "lone-surrogate-in-details",
    "lone-surrogate-as-a-code",
    "utf8-bom",
    "not-utf8",
    "invalid-json",
    "empty-file",
    "not-an-object",
    "wrong-format",
]


@pytest.mark.parametrize(("content", "message"), BAD_INPUTS, ids=BAD_IDS)
def test_bad_input_exits_2_with_one_line_naming_the_field(tmp_path, content, message):
    path = write(tmp_path, content)

    completed = run_manage_py(str(path))

    assert completed.returncode == 2
    assert completed.stdout == b""
    assert completed.stderr.decode("utf-8").splitlines() == [
        f"{path}: {message}",
        "1 of 1 document(s) invalid; nothing screened.",
    ]


@pytest.mark.parametrize(("content", "message"), BAD_INPUTS, ids=BAD_IDS)
def test_bad_input_gives_the_same_line_in_process(tmp_path, content, message):
    path = write(tmp_path, content)
    out, err = StringIO(), StringIO()

    status = main([str(path)], stdout=out, stderr=err)

    assert (status, out.getvalue()) == (2, "")
    assert err.getvalue().splitlines()[0] == f"{path}: {message}"


def test_one_bad_file_among_many_prints_nothing_and_names_only_it(tmp_path):
    bad = write(tmp_path, with_raw("pain_score_now", "11"), "bad.json")

    completed = run_manage_py(*map(str, CASE_FILES), str(bad), "--jsonl")

    assert completed.returncode == 2
    assert completed.stdout == b""
    assert completed.stderr.decode("utf-8").splitlines() == [
        f"{bad}: pain_score_now: must be a whole number from 0 to 10",
        f"1 of {len(CASE_FILES) + 1} document(s) invalid; nothing screened.",
    ]


def test_a_missing_file_is_named(tmp_path):
    missing = tmp_path / "nowhere.json"

    completed = run_manage_py(str(missing))

    assert completed.returncode == 2
    assert completed.stderr.decode("utf-8").splitlines()[0] == (
        f"{missing}: document: cannot be read (No such file or directory)"
    )


def test_bad_standard_input_is_named_as_such():
    completed = run_manage_py("-", stdin=b"\xef\xbb\xbf{}")

    assert completed.returncode == 2
    assert completed.stderr.decode("utf-8").splitlines()[0] == (
        "standard input: document: starts with a byte order mark (BOM); save it without one"
    )


# Large batches ---------------------------------------------------------------------------------


@pytest.mark.parametrize("jsonl", [False, True], ids=["array", "jsonl"])
def test_worker_processes_give_the_same_output_in_the_same_order(monkeypatch, jsonl):
    monkeypatch.setattr(command_line, "MIN_FILES_PER_WORKER", 2)
    paths = [str(path) for path in CASE_FILES]

    alone = command_line.screen_files(paths, stdin=None, jsonl=jsonl, workers=1)
    shared = command_line.screen_files(paths, stdin=None, jsonl=jsonl, workers=3)

    assert shared == alone
    assert alone[0] == (
        "".join(
            json.dumps(screen(case(path)), ensure_ascii=False, separators=(",", ":")) + "\n"
            for path in CASE_FILES
        )
        if jsonl
        else json.dumps([screen(case(path)) for path in CASE_FILES], indent=2, ensure_ascii=False)
        + "\n"
    )


def test_worker_processes_report_every_bad_file_in_order(monkeypatch, tmp_path):
    monkeypatch.setattr(command_line, "MIN_FILES_PER_WORKER", 2)
    first = write(tmp_path, "[]", "first.json")
    last = write(tmp_path, with_raw("pain_score_now", "11"), "last.json")
    paths = [str(first), *map(str, CASE_FILES), str(last)]

    text, errors = command_line.screen_files(paths, stdin=None, workers=2)

    assert text is None
    assert errors == [
        f"{first}: document: must be a JSON object",
        f"{last}: pain_score_now: must be a whole number from 0 to 10",
    ]
