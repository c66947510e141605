"""Follow-up ruling F4: a change in pain counts at 2 points or more on the 0-10 scale (IMMPACT:
Dworkin RH et al., J Pain 2008;9:105-121); smaller changes read as "unchanged"."""

import pytest

from intake.screening import follow_up


@pytest.mark.parametrize(
    ("before", "now", "response"),
    [
        (8, 6, "better"),
        (8, 0, "better"),
        (8, 7, "unchanged"),
        (8, 8, "unchanged"),
        (8, 9, "unchanged"),
        (8, 10, "worse"),
        (0, 2, "worse"),
        (None, 5, None),
        (5, None, None),
    ],
)
def test_pain_changes_count_at_two_points(before, now, response):
    assert follow_up.pain_response(before, now) == response


@pytest.mark.parametrize(
    ("before", "now", "words"),
    [
        (8, 7, "Pain fell from 8 to 7 (less than 2 points: read as unchanged)"),
        (8, 6, "Pain fell from 8 to 6"),
        (8, 9, "Pain rose from 8 to 9 (less than 2 points: read as unchanged)"),
        (8, 8, "Pain stayed at 8"),
        (None, 8, "Pain was not scored at every visit"),
    ],
)
def test_the_chart_says_when_a_small_change_is_read_as_unchanged(before, now, words):
    from tests.screening.follow_ups import MORPHINE_80, MORPHINE_120, visit

    visits = [
        visit(MORPHINE_120, pain=before),
        visit(MORPHINE_80, day=14, pain=8),
        visit(MORPHINE_80, day=50, pain=now),
    ]

    assert f". {words}," in follow_up.chart_sentence(visits)
