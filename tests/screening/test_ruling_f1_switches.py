"""Follow-up ruling F1: a change is a cut or an increase only when the same drugs in the same
forms are taken at both visits and both totals are exact (no lower bound, no unlisted item, no
buprenorphine or OUD-treatment change). Anything else is a switch: no M1 or M2, and the chart
says what changed, never that the total did not change."""

import pytest

from intake.screening import follow_up
from tests.screening.follow_ups import (
    BUPRENORPHINE_16_SL,
    BUTRANS_10,
    LEVORPHANOL_4,
    METHADONE_20,
    MORPHINE_80,
    MORPHINE_120,
    item,
    visit,
)


@pytest.mark.parametrize(
    ("before", "after", "kind", "counts"),
    [
        (MORPHINE_120, MORPHINE_120, None, False),
        (MORPHINE_120, MORPHINE_80, "cut", True),
        (MORPHINE_80, MORPHINE_120, "increase", True),
        # The three "cuts" that were not: each is a switch.
        (MORPHINE_120, MORPHINE_80 + BUTRANS_10, "switch", False),
        (MORPHINE_120, METHADONE_20, "switch", False),
        (
            [item("morphine", 60)] + LEVORPHANOL_4,
            [item("morphine", 40)] + LEVORPHANOL_4,
            "switch",
            False,
        ),
        # Rotation to buprenorphine, whose total is null.
        (MORPHINE_120, BUPRENORPHINE_16_SL, "switch", False),
        # Buprenorphine kept as it was: the morphine cut is a cut.
        (BUTRANS_10 + [item("morphine", 60)], BUTRANS_10 + [item("morphine", 30)], "cut", True),
        # Buprenorphine changed: a switch, whatever else did.
        (
            BUTRANS_10 + [item("morphine", 60)],
            [item("buprenorphine", 20, "mcg/hr", "transdermal_patch"), item("morphine", 60)],
            "switch",
            False,
        ),
        (
            [item("methadone", 80, purpose="oud_treatment"), item("morphine", 30)],
            [item("methadone", 60, purpose="oud_treatment"), item("morphine", 30)],
            "switch",
            False,
        ),
        # Another form of the same drug.
        (MORPHINE_120, [item("morphine", 120, formulation="immediate_release")], "switch", False),
        # Doses moved between two drugs with the same total.
        (
            [item("morphine", 60), item("oxycodone", 20)],
            [item("morphine", 30), item("oxycodone", 40)],
            "switch",
            False,
        ),
        # A unit that does not fit (not converted): never exact.
        (
            [item("fentanyl", 50, "mg/hr", "transdermal_patch")],
            [item("fentanyl", 25, "mg/hr", "transdermal_patch")],
            "switch",
            False,
        ),
        # The same item listed twice counts twice.
        ([item("morphine", 60), item("morphine", 60)], [item("morphine", 60)], "cut", True),
        # Stopping everything, from an exact total or not; starting again.
        (MORPHINE_120, [], "stop", True),
        (BUPRENORPHINE_16_SL, [], "stop", False),
        ([], MORPHINE_80, "start", False),
    ],
)
def test_only_the_same_drugs_at_another_exact_total_are_a_cut_or_an_increase(
    before, after, kind, counts
):
    changes = follow_up.changes([visit(before), visit(after, day=14)])

    assert [change.kind for change in changes] == ([kind] if kind else [])
    if kind:
        assert changes[0].counts_as_dose_response is counts


def test_a_stopped_visit_takes_nothing_whatever_it_lists():
    changes = follow_up.changes(
        [visit(MORPHINE_120), visit(MORPHINE_120, day=14, taking_now=False)]
    )

    assert [change.kind for change in changes] == ["stop"]


@pytest.mark.parametrize(
    ("before", "after", "start"),
    [
        (
            MORPHINE_120,
            METHADONE_20,
            "Switched from morphine 120 mg/day (120 MME/day) to methadone 20 mg/day (94 MME/day)",
        ),
        (
            MORPHINE_120,
            MORPHINE_80 + BUTRANS_10,
            "Switched from morphine 120 mg/day (120 "
            "MME/day) to morphine 80 mg/day and buprenorphine patch 10 mcg/hr (80 MME/day)",
        ),
        (
            MORPHINE_120,
            BUPRENORPHINE_16_SL,
            "Switched from morphine 120 mg/day (120 MME/day) to "
            "sublingual buprenorphine 16 mg/day (no MME counted)",
        ),
        (
            [item("morphine", 60)] + LEVORPHANOL_4,
            [item("morphine", 40)] + LEVORPHANOL_4,
            "Switched from morphine 60 mg/day and levorphanol 4 mg/day (at least 60 MME/day) to "
            "morphine 40 mg/day and levorphanol 4 mg/day (at least 40 MME/day)",
        ),
        (
            MORPHINE_120,
            MORPHINE_80,
            "The dose went down from 120 to 80 MME/day (morphine 120 mg/day to morphine 80 mg/day)",
        ),
    ],
)
def test_the_chart_says_what_changed(before, after, start):
    sentence = follow_up.chart_sentence([visit(before), visit(after, day=14)])

    assert sentence.startswith(f"{start} on a date not known between 1 May 2026 and 15 May 2026.")


def test_the_chart_says_the_doses_did_not_change_only_when_nothing_did():
    same = [visit(MORPHINE_120), visit(MORPHINE_120, day=14, pain=9)]

    assert follow_up.chart_sentence(same) == (
        "The opioids and their doses did not change between these visits."
    )
