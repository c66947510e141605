"""No sentence of the dose-response chart claims a change the totals do not support.

Generated series of visits (switches, lower bounds, buprenorphine, unconvertible units, stops,
restarts, same-day visits, unscored pain, planned dates or none) are checked against an
independent reading of the totals: a cut or an increase is claimed only for the same drugs at
exact totals, with the right figures; a lower bound shows as "at least"; an undated change says
"a date not known"; "did not change" only when nothing did (follow-up rulings F1-F4)."""

import datetime
import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from intake.screening.follow_up import Visit, chart_sentence
from intake.screening.mme import measure_mme

START = datetime.date(2026, 5, 1)
ITEMS = [
    {"name": "morphine", "daily_dose": 120, "unit": "mg/day", "formulation": "extended_release"},
    {"name": "morphine", "daily_dose": 80, "unit": "mg/day", "formulation": "extended_release"},
    {"name": "morphine", "daily_dose": 60, "unit": "mg/day", "formulation": "immediate_release"},
    {"name": "oxycodone", "daily_dose": 40, "unit": "mg/day", "formulation": "immediate_release"},
    {"name": "oxycodone", "daily_dose": 20, "unit": "mg/day", "formulation": "immediate_release"},
    {"name": "methadone", "daily_dose": 20, "unit": "mg/day", "formulation": "immediate_release"},
    {"name": "buprenorphine", "daily_dose": 16, "unit": "mg/day", "formulation": "sublingual"},
    {
        "name": "buprenorphine",
        "daily_dose": 10,
        "unit": "mcg/hr",
        "formulation": "transdermal_patch",
    },
    {
        "name": "other",
        "other_name": "levorphanol",
        "daily_dose": 4,
        "unit": "mg/day",
        "formulation": "immediate_release",
    },
    {"name": "fentanyl", "daily_dose": 50, "unit": "mg/hr", "formulation": "transdermal_patch"},
    {
        "name": "methadone",
        "daily_dose": 80,
        "unit": "mg/day",
        "formulation": "immediate_release",
        "purpose": "oud_treatment",
    },
]

visits = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=60),  # days after the visit before (0: same day)
        st.lists(st.sampled_from(ITEMS), max_size=3),
        st.booleans() | st.just(True),
        st.none() | st.integers(min_value=0, max_value=10),
    ),
    min_size=2,
    max_size=6,
)


def series(drawn):
    found, on = [], START
    for gap, opioids, taking_now, pain in drawn:
        on = on + datetime.timedelta(days=gap)
        found.append(Visit(on=on, opioids=tuple(opioids), taking_now=taking_now, pain=pain))
    return found


def taken(visit):
    """What is taken, each drug in its form and unit with its total daily dose."""
    doses = {}
    for item in visit.opioids if visit.taking_now else []:
        key = (
            item["name"],
            item.get("other_name"),
            item["formulation"],
            item["unit"],
            item.get("purpose", "pain"),
        )
        doses[key] = doses.get(key, Decimal(0)) + Decimal(str(item["daily_dose"]))
    return doses


def totals(visit):
    mme = measure_mme(list(visit.opioids), taking_now=visit.taking_now)
    return mme["total_per_day"], mme["lower_bound"]


def figure(value):
    return f"{Decimal(str(value)):.1f}".removesuffix(".0")


@given(drawn=visits, planned=st.none() | st.integers(min_value=0, max_value=200))
def test_no_sentence_claims_a_change_the_totals_do_not_support(drawn, planned):
    points = series(drawn)
    planned_on = None if planned is None else START + datetime.timedelta(days=planned)

    sentence = chart_sentence(points, planned_on)

    pairs = [(a, b) for a, b in zip(points, points[1:], strict=False) if taken(a) != taken(b)]
    if not pairs:
        assert sentence == "The opioids and their doses did not change between these visits."
        return
    assert "did not change" not in sentence
    before, after = pairs[-1]
    (old, old_bound), (new, new_bound) = totals(before), totals(after)
    claims_dose_change = re.match(
        r"The dose went (up|down) from ([\d.]+) to ([\d.]+) MME/day", sentence
    )
    if claims_dose_change:
        direction, said_old, said_new = claims_dose_change.groups()
        assert taken(before).keys() == taken(after).keys()
        assert not (old_bound or new_bound) and None not in (old, new)
        assert (said_old, said_new) == (figure(old), figure(new))
        assert (direction == "down") == (new < old) and new != old
    elif taken(before) and taken(after):
        assert sentence.startswith("Switched from ")
    if (old_bound and taken(before)) or (new_bound and taken(after)):
        assert "at least" in sentence and not claims_dose_change
    is_dated = planned_on is not None and before.on < planned_on <= after.on
    assert ("a date not known" in sentence) is not is_dated
    last = points[-1]
    if before.pain is not None and last.pain is not None:
        if last.pain > before.pain:
            assert f"Pain rose from {before.pain} to {last.pain}" in sentence
        elif last.pain < before.pain:
            assert f"Pain fell from {before.pain} to {last.pain}" in sentence
        else:
            assert f"Pain stayed at {last.pain}" in sentence
    else:
        assert "Pain was not scored at every visit" in sentence
