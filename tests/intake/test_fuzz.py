"""Generated bad inputs at every patient form and at the import path.

Whatever arrives (oversized text, NUL bytes, any unicode, HTML and script,
SQL fragments, numeric extremes, missing and repeated fields), the answer is
a page with a clear message or a saved step: never a 500, never a row that
breaks the database's constraints, never a half-written submission.
"""

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from intake.exchange.imports import import_document
from intake.models import Intake, IntakeMedicine, Screening
from intake.screening import DocumentError
from tests.fuzzing import FUZZ
from tests.intake.journey import VALID_ANSWERS, VALID_MEDICINE, start

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

NASTY_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "<script>alert(1)</script>",
            "' OR 1=1; --",
            "Robert'); DROP TABLE intake_intake;--",
            "-1",
            "0",
            "11",
            "1e309",
            "NaN",
            "inf",
            "99999999999999999999999",
            "-0.0001",
            "3.5",
            "٣",
            "١٠",
            "Ⅻ",
            "😀",
            "\u202e",
            "ﷺ",
            "x" * 5000,
            "True",
            "False",
            "None",
            "null",
            "[]",
            "{}",
        ]
    ),
)
FIELD_VALUE = st.one_of(NASTY_TEXT, st.lists(NASTY_TEXT, max_size=4))


def fields_of(slug):
    return sorted(VALID_ANSWERS.get(slug, VALID_MEDICINE))


def mutated(valid, field_names):
    """Valid answers with some fields replaced, dropped or repeated by generated values."""
    return (
        st.fixed_dictionaries({})
        .flatmap(
            lambda _: st.dictionaries(
                st.sampled_from(field_names + ["unexpected", "csrfmiddlewaretoken"]),
                st.one_of(FIELD_VALUE, st.none()),
                max_size=len(field_names) + 1,
            )
        )
        .map(
            lambda changes: {
                key: value for key, value in {**valid, **changes}.items() if value is not None
            }
        )
    )


def assert_handled(response):
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 200:
        assert "There is a problem" in response.content.decode()


@pytest.mark.parametrize("slug", list(VALID_ANSWERS))
def test_generated_answers_never_break_a_step(slug):
    client = Client()
    start(client)

    @FUZZ
    @given(data=mutated(VALID_ANSWERS[slug], fields_of(slug)))
    def post(data):
        assert_handled(client.post(f"/intake/{slug}/", data))

    post()
    # What was saved still satisfies every database constraint and reads back.
    Intake.objects.get().full_clean(exclude=["resume_code_hash", "resume_link_hash", "reference"])


# Every field the medicines step reads, at each stage.
MEDICINE_FIELDS = [
    *fields_of("medicines"),
    "product",
    "strength_typed",
    "most_times_per_day",
    "patches",
    "change_every_days",
    "confirmed",
    "stage",
]


def test_generated_medicines_never_break_the_medicine_step():
    client = Client()
    start(client)

    @FUZZ
    @given(data=mutated({**VALID_MEDICINE, "action": "add"}, MEDICINE_FIELDS))
    def post(data):
        assert_handled(client.post("/intake/medicines/", data))

    post()
    assert all(m.daily_dose > 0 for m in IntakeMedicine.objects.all())


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), NASTY_TEXT),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(NASTY_TEXT, children, max_size=3)
    ),
    max_leaves=8,
)


@FUZZ
@given(
    changes=st.dictionaries(
        st.sampled_from(
            [
                "opioids",
                "pain_score_now",
                "peg",
                "current_pain_sites",
                "months_on_opioids",
                "new_injury_or_disease_progression",
                "format",
                "reference",
                "signs_of_misuse",
                "currently_taking_opioids",
            ]
        ),
        JSON_VALUE,
        max_size=3,
    )
)
def test_generated_documents_are_imported_whole_or_refused_naming_a_field(changes):
    with open("tests/cases/pub-01-oih-hydrocodone.json") as case:
        document = {**json.load(case), **changes}
    before = (Intake.objects.count(), IntakeMedicine.objects.count(), Screening.objects.count())
    try:
        intake = import_document(document)
    except DocumentError as error:
        assert error.field and error.message
        after = (Intake.objects.count(), IntakeMedicine.objects.count(), Screening.objects.count())
        assert after == before
    else:
        assert intake.is_submitted
        assert intake.screenings.filter(is_current=True).count() == 1
