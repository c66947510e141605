"""Follow-up ruling F3: an undated change first seen at a check-in happened between the previous
visit and that check-in; its withdrawal window ends 4 weeks after the check-in where it was first
seen. A dated change (the follow-up's planned date, between the two visits) keeps its own."""

import datetime

import pytest

from intake.screening import follow_up
from tests.screening.follow_ups import MORPHINE_80, MORPHINE_120, START, visit

SEEN = START + datetime.timedelta(days=14)


def cut(planned_on=None, *, seen_day=14):
    return follow_up.last_change(
        [visit(MORPHINE_120), visit(MORPHINE_80, day=seen_day)], planned_on
    )


@pytest.mark.parametrize(
    ("planned_on", "days_after_seen", "inside", "weeks"),
    [
        # Undated: from the check-in where it was first seen.
        (None, 0, True, 0),
        (None, 28, True, 4),
        (None, 29, False, 4.1),
        (None, 70, False, 10),
        # Dated: from its date, 7 days before it was seen.
        (START + datetime.timedelta(days=7), 0, True, 1),
        (START + datetime.timedelta(days=7), 21, True, 4),
        (START + datetime.timedelta(days=7), 22, False, 4.1),
        # A planned date outside the two visits says nothing about this change.
        (START + datetime.timedelta(days=30), 0, True, 0),
        (START, 0, True, 0),
    ],
)
def test_the_window_of_a_change_ends_4_weeks_after_its_date_or_first_sighting(
    planned_on, days_after_seen, inside, weeks
):
    change = cut(planned_on)
    on = SEEN + datetime.timedelta(days=days_after_seen)

    assert change.is_inside_window(on) is inside
    assert float(change.weeks_since(on)) == weeks


def test_an_undated_change_says_so_and_where_its_window_ends():
    visits = [visit(MORPHINE_120), visit(MORPHINE_80, day=14), visit(MORPHINE_80, day=84, pain=9)]

    assert follow_up.chart_sentence(visits) == (
        "The dose went down from 120 to 80 MME/day (morphine 120 mg/day to morphine 80 mg/day) "
        "on a date not known between 1 May 2026 and 15 May 2026. Pain rose from 8 to 9 (less "
        "than 2 points: read as unchanged), at least 10 weeks after the change: outside the "
        "withdrawal window, which ended 12 Jun 2026 (4 weeks after the visit where the change "
        "was first seen)."
    )


def test_a_check_in_on_the_same_day_as_the_visit_before_has_an_undated_change():
    change = cut(START, seen_day=0)

    assert (change.is_dated, change.window_starts, change.window_ends) == (
        False,
        START,
        START + datetime.timedelta(weeks=4),
    )
    assert follow_up.chart_sentence([visit(MORPHINE_120), visit(MORPHINE_80, pain=9)]).startswith(
        "The dose went down from 120 to 80 MME/day (morphine 120 mg/day to morphine 80 mg/day) "
        "on a date not known between 1 May 2026 and 1 May 2026."
    )


def test_the_record_a_check_in_keeps_carries_the_window():
    record = cut().as_record(SEEN + datetime.timedelta(days=29), pain_now=9)

    assert record == {
        "kind": "cut",
        "opioids_before": "morphine 120 mg/day",
        "opioids_after": "morphine 80 mg/day",
        "mme_before": 120.0,
        "mme_before_is_lower_bound": False,
        "mme_after": 80.0,
        "mme_after_is_lower_bound": False,
        "mme_before_in_words": "120 MME/day",
        "mme_after_in_words": "80 MME/day",
        "previous_visit_on": "2026-05-01",
        "first_seen_on": "2026-05-15",
        "changed_on": None,
        "weeks_since": 4.1,
        "window_ends_on": "2026-06-12",
        "is_inside_window": False,
        "pain_before": 8,
        "pain_now": 9,
        "counts_as_dose_response": True,
        "is_tolerance_lost": False,
    }
