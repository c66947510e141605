"""More generated bad input: the resume form, the date-of-birth boxes (huge and signed
integers), and the import command's reading of files (bytes of any kind, JSON with lone
surrogates). Each answer is a kind message or a clean exit 2; never a 500 or a traceback.

Each test counts the inputs it ran and prints them (`pytest -s` shows the line).
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import QueryDict
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from intake.journey.forms import AboutYouForm
from intake.journey.resume_forms import ResumeForm
from intake.models import Intake
from tests.fuzzing import EXAMPLES_PER_FORM, FUZZ
from tests.intake.test_fuzz import NASTY_TEXT, assert_handled, mutated

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]
CASE = Path(__file__).resolve().parents[1] / "cases" / "pub-01-oih-hydrocodone.json"
VALID_RESUME = {"code": "ABCDE-FGHJK", "dob_day": "4", "dob_month": "2", "dob_year": "1971"}
DATE_PART = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["9" * 19, "-" + "9" * 19, "1" + "0" * 4000, "0", "-0", "+5", " 7 ", "1e3"]),
    NASTY_TEXT,
)
DATE_PARTS = st.fixed_dictionaries(
    {"dob_day": DATE_PART, "dob_month": DATE_PART, "dob_year": DATE_PART}
)


def as_posted(data):
    """Form data as a request brings it."""
    posted = QueryDict(mutable=True)
    for key, value in data.items():
        posted.setlist(key, value if isinstance(value, list) else [value])
    return posted


def report(name, count):
    print(f"\nFUZZ {name}: {count} inputs")


def test_generated_resume_posts_never_break_the_resume_page(settings):
    settings.RESUME_ATTEMPTS_PER_ADDRESS = 10**6
    client, count = Client(), [0]

    @FUZZ
    @given(data=mutated(VALID_RESUME, sorted(VALID_RESUME)))
    def post(data):
        count[0] += 1
        response = client.post("/intake/resume/", data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert "There is a problem" in response.content.decode()

    post()
    report("resume page", count[0])
    assert count[0] >= EXAMPLES_PER_FORM // 2


def assert_date_errors_are_at_the_boxes(form):
    if form.is_valid():
        birth = form.cleaned_data["date_of_birth"]
        assert birth.year >= 1900
        return
    for field, messages in form.errors.items():
        assert field in ("dob_day", "dob_month", "dob_year", "code", "full_name"), field
        assert all(message and "Traceback" not in message for message in messages)


def test_generated_date_parts_never_break_the_about_you_form():
    count = [0]

    @FUZZ
    @given(parts=DATE_PARTS)
    def check(parts):
        count[0] += 1
        form = AboutYouForm(as_posted({"full_name": "Rosa", **parts}), instance=Intake())
        assert_date_errors_are_at_the_boxes(form)

    check()
    report("date parts on About you", count[0])
    assert count[0] >= EXAMPLES_PER_FORM // 2


def test_generated_date_parts_never_break_the_resume_form():
    count = [0]

    @FUZZ
    @given(parts=DATE_PARTS)
    def check(parts):
        count[0] += 1
        form = ResumeForm(as_posted({"code": "ABCDE-FGHJK", **parts}))
        assert_date_errors_are_at_the_boxes(form)

    check()
    report("date parts on resume", count[0])
    assert count[0] >= EXAMPLES_PER_FORM // 2


def test_generated_date_parts_posted_to_about_you_never_give_a_500():
    client, count = Client(), [0]
    client.post("/intake/", {"consent": "on"})

    @FUZZ
    @given(parts=DATE_PARTS)
    def post(parts):
        count[0] += 1
        assert_handled(client.post("/intake/about-you/", {"full_name": "Rosa", **parts}))

    post()
    report("date parts posted to About you", count[0])
    assert count[0] >= EXAMPLES_PER_FORM // 2


LONE_SURROGATE = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff", "a\ud834b"])
DOCUMENT_TEXT = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=60).map(lambda text: text.encode("utf-8", "surrogatepass")),
    # A real document with one value (or key) replaced by text that may hold a lone surrogate.
    st.tuples(
        st.sampled_from(
            [
                "reference",
                "pain_score_now",
                "format",
                "current_pain_sites",
                "opioids",
                "new_injury_or_disease_progression",
                "x",
            ]
        ),
        st.one_of(LONE_SURROGATE, NASTY_TEXT, st.lists(LONE_SURROGATE, max_size=2)),
        st.booleans(),
    ).map(lambda change: _document_bytes(*change)),
)


def _document_bytes(key, value, as_key):
    document = json.loads(CASE.read_text())
    if as_key:
        document[value if isinstance(value, str) else "x"] = 1
    else:
        document[key] = value
    # ensure_ascii writes a lone surrogate as the \\udXXX escape, as other programs do.
    return json.dumps(document).encode("ascii")


def test_generated_files_are_imported_whole_or_refused_in_one_line(tmp_path):
    count = [0]
    path = tmp_path / "document.json"

    @FUZZ
    @given(content=DOCUMENT_TEXT)
    def read(content):
        count[0] += 1
        path.write_bytes(content)
        before = Intake.objects.count()
        out, err = StringIO(), StringIO()
        try:
            call_command("import_intakes", str(path), stdout=out, stderr=err)
        except CommandError as error:
            assert error.returncode == 2
            lines = err.getvalue().splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"{path}: "), lines
            assert lines[0].endswith(" (file skipped)")
            assert Intake.objects.count() == before
        else:
            assert Intake.objects.count() == before + 1

    read()
    report("import_intakes file reading", count[0])
    assert count[0] >= EXAMPLES_PER_FORM // 2
