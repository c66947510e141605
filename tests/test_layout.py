"""The rules of the house for intake's folders, read from the source so that they keep holding.

intake/screening/ is pure rules: no Django, nothing else of intake. The patient's side
(journey/) and the clinicians' side (review/) never import each other, and their templates
live apart: templates/intake/journey/ for patients, templates/admin/intake/ (or
templates/intake/review/) for clinicians.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INTAKE = ROOT / "intake"
TEMPLATES = ROOT / "templates"
JOURNEY_TEMPLATES = ("intake/journey/",)
CHECK_IN_TEMPLATES = ("intake/checkin/",)
REVIEW_TEMPLATES = ("admin/intake/", "intake/review/")
TEMPLATE_NAME = re.compile(r"""["']((?:admin/)?intake/[\w/.-]+\.html)["']""")


def module_name(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imported_modules(path):
    """Every module a file imports, absolute, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                stem = f"{base}.{node.module}" if node.module else base
            else:
                stem = node.module
            # `from intake import review` imports the module intake.review.
            found += [stem] + [f"{stem}.{alias.name}" for alias in node.names]
    return found


def python_files(folder):
    return sorted(folder.rglob("*.py"))


def imports_under(folder, prefix):
    """(file, module) for each import in folder's files of prefix or anything under it."""
    return [
        (str(path.relative_to(ROOT)), name)
        for path in python_files(folder)
        for name in imported_modules(path)
        if name == prefix or name.startswith(prefix + ".")
    ]


def template_names(path):
    return TEMPLATE_NAME.findall(path.read_text(encoding="utf-8"))


def test_the_three_rooms_exist():
    for room in ("journey", "review", "exchange", "screening"):
        assert (INTAKE / room / "__init__.py").exists(), room


def test_screening_imports_no_django_and_nothing_else_of_intake():
    offending = [
        (str(path.relative_to(ROOT)), name)
        for path in python_files(INTAKE / "screening")
        for name in imported_modules(path)
        if name.split(".")[0] == "django"
        or (name.startswith("intake.") and not name.startswith("intake.screening"))
        or name == "intake"
    ]
    assert offending == []


@pytest.mark.parametrize(
    ("side", "other"),
    [("journey", "review"), ("review", "journey"), ("checkin", "review"), ("review", "checkin")],
)
def test_the_patient_and_clinician_sides_never_import_each_other(side, other):
    assert imports_under(INTAKE / side, f"intake.{other}") == []


@pytest.mark.parametrize("side", ["journey", "review", "checkin"])
def test_documents_in_and_out_depend_on_neither_side(side):
    """exchange/ serves the commands; it goes through the one write path, not through a page."""
    assert imports_under(INTAKE / "exchange", f"intake.{side}") == []


def test_journey_code_names_only_journey_templates():
    named = [
        (str(path.relative_to(ROOT)), name)
        for path in python_files(INTAKE / "journey")
        for name in template_names(path)
    ]
    assert named, "the journey names its templates"
    assert [pair for pair in named if not pair[1].startswith(JOURNEY_TEMPLATES)] == []


def test_check_in_code_names_only_check_in_templates():
    """The check-in is the patient's side too: its own templates, never the clinicians'."""
    named = [
        (str(path.relative_to(ROOT)), name)
        for path in python_files(INTAKE / "checkin")
        for name in template_names(path)
    ]
    assert named, "the check-in names its templates"
    assert [pair for pair in named if not pair[1].startswith(CHECK_IN_TEMPLATES)] == []


def test_check_in_templates_name_no_clinician_template():
    crossing = [
        (str(path.relative_to(ROOT)), name)
        for path in sorted((TEMPLATES / "intake" / "checkin").rglob("*.html"))
        for name in template_names(path)
        if not name.startswith(CHECK_IN_TEMPLATES)
    ]
    assert crossing == []


def test_review_code_names_only_review_templates():
    named = [
        (str(path.relative_to(ROOT)), name)
        for path in python_files(INTAKE / "review")
        for name in template_names(path)
    ]
    assert named, "the review pages name their templates"
    assert [pair for pair in named if not pair[1].startswith(REVIEW_TEMPLATES)] == []


def test_templates_of_each_side_stay_on_their_side():
    journey = sorted((TEMPLATES / "intake" / "journey").rglob("*.html"))
    review = sorted((TEMPLATES / "admin" / "intake").rglob("*.html")) + sorted(
        (TEMPLATES / "intake" / "review").rglob("*.html")
    )
    assert journey and review
    crossing = [
        (str(path.relative_to(ROOT)), name)
        for path in journey
        for name in template_names(path)
        if not name.startswith(JOURNEY_TEMPLATES)
    ] + [
        (str(path.relative_to(ROOT)), name)
        for path in review
        for name in template_names(path)
        if not name.startswith(REVIEW_TEMPLATES)
    ]
    assert crossing == []


def test_no_intake_template_sits_outside_the_two_sides():
    loose = [
        str(path.relative_to(ROOT))
        for path in (TEMPLATES / "intake").rglob("*.html")
        if path.relative_to(TEMPLATES / "intake").parts[0] not in ("journey", "review", "checkin")
    ]
    assert loose == []


def test_the_import_reader_sees_real_imports():
    """The checks above would pass on an empty tree; this one shows they read real imports."""
    sample = ROOT / "intake" / "journey" / "views.py"
    assert "intake.submission" in imported_modules(sample)
    assert "django.shortcuts.render" in imported_modules(sample)
