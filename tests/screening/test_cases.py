"""Every example case gives exactly its expected level, MME and alerts.

Runs the cases kept in tests/cases and, when the shared folder sits beside the repository, the
shared cases too (so a new shared case is checked before it is copied here).
"""

import json
from pathlib import Path

import pytest

from intake.screening import screen

REPO_DIR = Path(__file__).resolve().parents[2]
CASE_DIRS = [REPO_DIR / "tests" / "cases", REPO_DIR.parent / "shared" / "cases"]
CASE_FILES = sorted(
    path for folder in CASE_DIRS if folder.is_dir() for path in folder.glob("*.json")
)


def case_id(path):
    return f"{path.parent.parent.name}/{path.stem}"


def test_the_repository_keeps_its_own_copy_of_the_cases():
    assert sorted((REPO_DIR / "tests" / "cases").glob("*.json"))


@pytest.mark.parametrize("path", CASE_FILES, ids=case_id)
def test_the_case_gives_its_expected_level_mme_and_alerts(path):
    case = json.loads(path.read_text())
    expected = case["expected"]

    result = screen(case)

    assert result["oih"]["level"] == expected["oih_level"]
    assert result["mme"]["total_per_day"] == expected["mme_per_day"]
    assert sorted(alert["code"] for alert in result["alerts"]) == sorted(expected["alerts"])


@pytest.mark.parametrize("path", CASE_FILES, ids=case_id)
def test_the_case_explains_its_level_with_at_least_one_reason(path):
    result = screen(json.loads(path.read_text()))

    assert result["oih"]["reasons"]
