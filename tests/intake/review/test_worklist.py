"""The worklist (issue 10): every current screening that needs a clinician, in words, urgent
first, then flags, warnings and borderline results, then the longest waiting."""

import pytest

from intake.models import Screening
from intake.review.recording import record_review
from intake.review.worklist_words import what_needs_a_look
from tests.helpers import login_staff, make_staff
from tests.intake.review.helpers import (
    FLAG_CASE,
    HIGH_DOSE_ONLY,
    IMPLAUSIBLE_DOSE_ONLY,
    MISUSE_CASE,
    MISUSE_ONLY,
    NO_DOSE_RESPONSE_CASE,
    QUEUE,
    QUEUE_QUERIES,
    TOLERANCE_CASE,
    UNIT_ERROR_CASE,
    URGENT_ONLY,
    make_alert_only,
    make_intake,
    queue_references,
    queue_rows,
    screening_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worklist():
    """Two of each kind, the older of each submitted first; and one with nothing to look at."""
    return {
        "borderline-old": make_intake(
            NO_DOSE_RESPONSE_CASE, reference="borderline-old", days_ago=9
        ),
        "warning-old": make_alert_only(HIGH_DOSE_ONLY, reference="warning-old", days_ago=8),
        "flag-old": make_intake(FLAG_CASE, reference="flag-old", days_ago=7),
        "urgent-old": make_alert_only(URGENT_ONLY, reference="urgent-old", days_ago=6),
        "borderline-new": make_intake(
            NO_DOSE_RESPONSE_CASE, reference="borderline-new", days_ago=4
        ),
        "warning-new": make_alert_only(MISUSE_ONLY, reference="warning-new", days_ago=3),
        "flag-new": make_intake(FLAG_CASE, reference="flag-new", days_ago=2),
        "urgent-new": make_alert_only(URGENT_ONLY, reference="urgent-new", days_ago=1),
        "nothing": make_intake(TOLERANCE_CASE, reference="nothing", days_ago=5),
    }


def test_the_alert_only_intakes_have_no_oih_level(worklist):
    assert [
        (screening_of(worklist[name]).level, screening_of(worklist[name]).alert_codes)
        for name in ("urgent-old", "warning-old", "warning-new", "nothing")
    ] == [
        ("none", ["withdrawal_after_dose_cut"]),
        ("none", ["mme_ge_50", "mme_ge_90"]),
        ("none", ["misuse_signals"]),
        ("none", ["mme_ge_50"]),
    ]


def test_the_worklist_is_urgent_then_flags_then_warnings_then_borderline_then_oldest(
    clinician_client, worklist
):
    response = clinician_client.get(QUEUE)
    assert response.status_code == 200
    assert queue_references(response) == [
        "urgent-old",
        "urgent-new",
        "flag-old",
        "flag-new",
        "warning-old",
        "warning-new",
        "borderline-old",
        "borderline-new",
    ]
    assert [s.priority for s in response.context["cl"].result_list] == [0, 0, 1, 1, 2, 2, 3, 3]


def test_a_reviewed_item_goes_below_every_unreviewed_one(clinician_client, clinician, worklist):
    record_review(screening_of(worklist["urgent-old"]), clinician, action="contacted_patient")
    references = queue_references(clinician_client.get(QUEUE))
    assert references[0] == "urgent-new"
    assert references[-1] == "urgent-old"


def test_each_row_says_in_words_what_needs_a_look(clinician_client, worklist):
    implausible = make_alert_only(IMPLAUSIBLE_DOSE_ONLY, reference="implausible", days_ago=0)
    make_intake(MISUSE_CASE, reference="misuse-borderline", days_ago=0)
    make_intake(UNIT_ERROR_CASE, reference="unit-error-flag", days_ago=0)
    assert screening_of(implausible).alert_codes == ["mme_not_computable", "data_quality"]

    rows = dict(queue_rows(clinician_client.get(QUEUE)))

    assert rows == {
        "urgent-old": ["Withdrawal after a dose cut, stop or switch: urgent"],
        "urgent-new": ["Withdrawal after a dose cut, stop or switch: urgent"],
        "flag-old": ["OIH pattern: review the flag"],
        "flag-new": ["OIH pattern: review the flag"],
        "unit-error-flag": [
            "OIH pattern: review the flag",
            "MME not computed: check the medicines entered",
        ],
        "warning-old": ["MME 120/day: 90 or more, avoid or justify"],
        "implausible": ["MME 1,950/day: check the entered dose"],
        "warning-new": ["Misuse signals: OUD assessment"],
        "misuse-borderline": ["Misuse signals: OUD assessment", "Partial OIH pattern: borderline"],
        "borderline-old": ["Partial OIH pattern: borderline"],
        "borderline-new": ["Partial OIH pattern: borderline"],
    }
    content = clinician_client.get(QUEUE).content.decode()
    assert (
        '<ul class="oih-needs oih-needs-urgent"><li>Withdrawal after a dose cut, stop or switch: urgent</li></ul>'
        in content
    )
    assert "<li>MME 1,950/day: check the entered dose</li>" in content
    for code in ("withdrawal_after_dose_cut, ", "misuse_signals, ", "data_quality</td>"):
        assert code not in content


@pytest.mark.parametrize(
    ("level", "codes", "total", "items", "expected"),
    [
        (
            "none",
            ["withdrawal_after_dose_cut"],
            45.0,
            [],
            ["Withdrawal after a dose cut, stop or switch: urgent"],
        ),
        ("flag", ["mme_ge_50"], 60.0, [], ["OIH pattern: review the flag"]),
        (
            "none",
            ["mme_not_computable", "data_quality"],
            None,
            [{"included": True, "mme_per_day": 1950.0}],
            ["MME 1,950/day: check the entered dose"],
        ),
        (
            "none",
            ["mme_ge_50", "mme_ge_90", "mme_not_computable", "data_quality"],
            120.0,
            [{"included": False}, {"included": True, "mme_per_day": 120.0}],
            ["MME at least 120/day: a medicine could not be converted"],
        ),
        (
            "none",
            ["mme_not_computable"],
            None,
            [{"included": False}],
            ["MME not computed: check the medicines entered"],
        ),
        ("none", ["data_quality"], 30.0, [], ["Medicine entry to check: dose or unit"]),
        (
            "none",
            ["mme_ge_50", "mme_ge_90"],
            112.5,
            [],
            ["MME 112.5/day: 90 or more, avoid or justify"],
        ),
        (
            "borderline",
            ["misuse_signals"],
            0.0,
            [],
            [
                "Misuse signals: OUD assessment",
                "Partial OIH pattern: borderline",
            ],
        ),
        (
            "flag",
            ["withdrawal_after_dose_cut", "misuse_signals"],
            0.0,
            [],
            [
                "Withdrawal after a dose cut, stop or switch: urgent",
                "OIH pattern: review the flag",
                "Misuse signals: OUD assessment",
            ],
        ),
        ("none", ["mme_ge_50"], 60.0, [], []),
        ("none", [], 0.0, [], []),
    ],
)
def test_what_needs_a_look_in_words_never_a_code(level, codes, total, items, expected):
    assert what_needs_a_look(level, codes, total, items) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"alert": "withdrawal_after_dose_cut"}, ["urgent-old", "urgent-new"]),
        ({"alert": "misuse_signals"}, ["warning-new"]),
        ({"alert": "mme_ge_90"}, ["warning-old"]),
        ({"priority": "0"}, ["urgent-old", "urgent-new"]),
        ({"priority": "2"}, ["warning-old", "warning-new"]),
        ({"priority": "3"}, ["borderline-old", "borderline-new"]),
        (
            {"priority": "9"},
            [
                "urgent-old",
                "urgent-new",
                "flag-old",
                "flag-new",
                "warning-old",
                "warning-new",
                "borderline-old",
                "borderline-new",
            ],
        ),
        ({"level": "flag"}, ["flag-old", "flag-new"]),
        (
            {"review": "unreviewed", "alert": "withdrawal_after_dose_cut"},
            ["urgent-old", "urgent-new"],
        ),
    ],
)
def test_the_worklist_filters_find_alert_only_intakes(clinician_client, worklist, query, expected):
    response = clinician_client.get(QUEUE, query)
    assert response.status_code == 200
    assert queue_references(response) == expected


def test_my_items_lists_what_was_assigned_to_me(client, clinician, worklist):
    other = make_staff("other-clinician", "Clinicians")
    Screening.objects.filter(pk=screening_of(worklist["warning-new"]).pk).update(
        assigned_to=clinician
    )
    Screening.objects.filter(pk=screening_of(worklist["flag-old"]).pk).update(assigned_to=other)
    login_staff(client, clinician)

    assert queue_references(client.get(QUEUE, {"assigned": "me"})) == ["warning-new"]
    unassigned = queue_references(client.get(QUEUE, {"assigned": "nobody"}))
    assert "warning-new" not in unassigned and "flag-old" not in unassigned
    assert len(unassigned) == 6
    content = client.get(QUEUE).content.decode()
    assert "My items" in content
    assert "other-clinician" in content


@pytest.mark.parametrize("intakes", [4, 40])
def test_the_worklist_query_count_does_not_grow_with_alert_only_rows(
    clinician_client, clinician, django_assert_num_queries, intakes
):
    kinds = [
        lambda n: make_alert_only(URGENT_ONLY, name=f"Urgent {n}"),
        lambda n: make_alert_only(IMPLAUSIBLE_DOSE_ONLY, name=f"Implausible {n}"),
        lambda n: make_alert_only(MISUSE_ONLY, name=f"Misuse {n}"),
        lambda n: make_intake(FLAG_CASE, name=f"Flag {n}"),
    ]
    for number in range(intakes):
        intake = kinds[number % 4](number)
        if number % 3 == 0:
            Screening.objects.filter(intake=intake).update(assigned_to=clinician)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = clinician_client.get(QUEUE)
    assert len(response.context["cl"].result_list) == min(intakes, 50)
    # The rules versions for their filter are cached a minute: one query fewer.
    with django_assert_num_queries(QUEUE_QUERIES - 1):
        filtered = clinician_client.get(
            QUEUE, {"assigned": "me", "alert": "withdrawal_after_dose_cut"}
        )
    assert {s.assigned_to for s in filtered.context["cl"].result_list} == {clinician}
