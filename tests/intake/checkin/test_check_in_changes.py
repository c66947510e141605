"""What a clinician is told after a check-in, for changes of opioids as patients make them:
each check-in sent through the real pages and screened by the real submit, then the level,
the alerts and the chart's sentence as the clinician's page shows them (rules 2026.3, rulings
17 and F1-F4)."""

import datetime

import pytest
from django.test import Client

from intake.models import Screening
from tests.helpers import login_staff
from tests.intake.checkin.changes import (
    BUPRENORPHINE_16_SL,
    BUTRANS_10,
    METHADONE_20,
    day,
    days_ago,
    seen_by_clinician,
    send,
)
from tests.intake.checkin.helpers import make_first_visit, start_follow_up, travel

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today
NO_PLAN = {"planned_dose_change": "", "planned_dose_change_on": ""}
# A first visit with no dose-response answer: spread, burning and allodynia above baseline is
# borderline, so what a check-in adds (or wrongly adds) shows in the level.
NO_DOSE_RESPONSE = {
    "dose_change_last_6_months": "stable",
    "weeks_since_last_dose_change": None,
    "pain_when_dose_increased": "not_tried",
}


@pytest.fixture
def staff(clinician):
    return login_staff(Client(), clinician)


def plan_in(days, change="decrease"):
    on = datetime.date.today() + datetime.timedelta(days=days)
    return {"planned_dose_change": change, "planned_dose_change_on": on.isoformat()}


def test_a_switch_to_buprenorphine_with_withdrawal_and_worse_pain_is_urgent(client, staff):
    first = make_first_visit()
    link = start_follow_up(staff, first, **NO_PLAN)
    travel(first.patient, 14)

    check_in = send(
        client,
        link,
        pain=9,
        stopped=["morphine"],
        add=[BUPRENORPHINE_16_SL],
        symptoms=["sweating", "restlessness", "diarrhoea"],
    )

    assert seen_by_clinician(staff, check_in) == (
        "none",
        ["withdrawal_after_dose_cut"],
        "Switched from morphine 120 mg/day (120 MME/day) to sublingual buprenorphine 16 mg/day "
        f"(no MME counted) on a date not known between {day(days_ago(14))} and {day(TODAY())}. "
        "Pain rose from 8 to 9, where the change was first seen: inside the withdrawal window, "
        f"which ends {day(days_ago(-28))} (4 weeks after the visit where the change was first "
        "seen).",
    )
    alert = check_in.screenings.get(is_current=True).alerts[0]
    assert alert["summary"] == (
        "Urgent: pain worse with withdrawal symptoms after a switch of opioids on a date not "
        f"known, first seen {day(TODAY())}; review the switch now."
    )
    chart = staff.get(check_in.get_admin_url()).context["visit_chart"]
    # The visit before was on the old doses: only the check-in is inside the window.
    assert [(row["mme_words"], row["in_window"]) for row in chart["rows"]] == [
        ("120.0", False),
        ("none counted", True),
    ]


@pytest.mark.parametrize(
    ("first_opioids", "doses", "stopped", "add", "sentence_start"),
    [
        (
            None,
            {"morphine": "80"},
            [],
            [BUTRANS_10],
            "Switched from morphine 120 mg/day (120 MME/day) to morphine 80 mg/day and "
            "buprenorphine patch 10 mcg/hr (80 MME/day)",
        ),
        (
            None,
            {},
            ["morphine"],
            [METHADONE_20],
            "Switched from morphine 120 mg/day (120 MME/day) to methadone 20 mg/day (94 MME/day)",
        ),
        (
            [
                {
                    "name": "morphine",
                    "formulation": "extended_release",
                    "daily_dose": 60,
                    "unit": "mg/day",
                },
                {
                    "name": "other",
                    "other_name": "levorphanol",
                    "formulation": "immediate_release",
                    "daily_dose": 4,
                    "unit": "mg/day",
                },
            ],
            {"morphine": "40"},
            [],
            [],
            "Switched from morphine 60 mg/day and levorphanol 4 mg/day (at least 60 MME/day) to "
            "morphine 40 mg/day and levorphanol 4 mg/day (at least 40 MME/day)",
        ),
    ],
    ids=["butrans-added", "methadone", "lower-bound"],
)
def test_a_switch_gives_no_dose_response_and_says_what_changed(
    client, staff, first_opioids, doses, stopped, add, sentence_start
):
    answers = {**NO_DOSE_RESPONSE, **({"opioids": first_opioids} if first_opioids else {})}
    first = make_first_visit(**answers)
    link = start_follow_up(staff, first, **plan_in(7))
    travel(first.patient, 14)
    send(client, link, pain=8, doses=doses, stopped=stopped, add=add)
    travel(first.patient, 28)

    # Pain well down five weeks after the change: after a cut that would be M2 and a flag.
    check_in = send(client, link, pain=5, doses=doses)

    level, alerts, sentence = seen_by_clinician(staff, check_in)
    screening = check_in.screenings.get(is_current=True)
    assert level == "none"
    assert "pain_better_after_dose_reduction" not in screening.reason_codes
    assert check_in.dose_change_last_6_months == "unknown"
    assert sentence == (
        f"{sentence_start} on {day(days_ago(35))}. Pain fell from 8 to 5, 5 weeks after the "
        f"change: outside the withdrawal window, which ended {day(days_ago(7))}."
    )


def test_an_undated_cut_leaves_its_window_4_weeks_after_it_was_first_seen(client, staff):
    first = make_first_visit()
    link = start_follow_up(staff, first, **NO_PLAN)
    travel(first.patient, 14)
    send(client, link, pain=8, doses={"morphine": "80"})
    travel(first.patient, 70)

    # Ten weeks after the cut was first seen: insomnia and anxiety are not withdrawal after it.
    check_in = send(
        client, link, pain=9, doses={"morphine": "80"}, symptoms=["insomnia", "anxiety"]
    )

    assert seen_by_clinician(staff, check_in) == (
        "flag",
        ["mme_ge_50"],
        f"The dose went down from 120 to 80 MME/day (morphine 120 mg/day to morphine 80 mg/day) "
        f"on a date not known between {day(days_ago(84))} and {day(days_ago(70))}. Pain rose "
        "from 8 to 9 (less than 2 points: read as unchanged), at least 10 weeks after the "
        f"change: outside the withdrawal window, which ended {day(days_ago(42))} (4 weeks after "
        "the visit where the change was first seen).",
    )
    assert float(check_in.weeks_since_last_dose_change) == 10.0


def test_pain_one_point_lower_five_weeks_after_a_cut_is_no_dose_response(client, staff):
    first = make_first_visit(**NO_DOSE_RESPONSE)
    assert first.screenings.get().level == "borderline"
    link = start_follow_up(staff, first, **plan_in(7))
    travel(first.patient, 42)

    check_in = send(client, link, pain=7, doses={"morphine": "80"})

    level, alerts, sentence = seen_by_clinician(staff, check_in)
    assert (level, alerts, check_in.pain_when_dose_decreased) == (
        "none",
        ["mme_ge_50"],
        "unchanged",
    )
    assert sentence == (
        "The dose went down from 120 to 80 MME/day (morphine 120 mg/day to morphine 80 mg/day) "
        f"on {day(days_ago(35))}. Pain fell from 8 to 7 (less than 2 points: read as "
        f"unchanged), 5 weeks after the change: outside the withdrawal window, which ended "
        f"{day(days_ago(7))}."
    )


def test_pain_one_point_higher_after_an_increase_is_not_m1(client, staff):
    first = make_first_visit(**NO_DOSE_RESPONSE)
    link = start_follow_up(staff, first, **plan_in(7, "increase"))
    travel(first.patient, 14)

    check_in = send(client, link, pain=9, doses={"morphine": "160"})

    level, alerts, sentence = seen_by_clinician(staff, check_in)
    screening = check_in.screenings.get(is_current=True)
    assert (level, alerts) == ("borderline", ["mme_ge_50", "mme_ge_90"])
    assert "pain_worse_after_dose_increase" not in screening.reason_codes
    assert "pain_unchanged_after_dose_increase" in screening.reason_codes
    assert sentence == (
        "The dose went up from 120 to 160 MME/day (morphine 120 mg/day to morphine 160 mg/day) "
        f"on {day(days_ago(7))}. Pain rose from 8 to 9 (less than 2 points: read as unchanged) "
        "since then."
    )


def test_withdrawal_symptoms_after_a_cut_without_worse_pain_reach_the_clinician(client, staff):
    first = make_first_visit(**NO_DOSE_RESPONSE)
    link = start_follow_up(staff, first, **plan_in(7))
    travel(first.patient, 21)

    check_in = send(
        client, link, pain=7, doses={"morphine": "80"}, symptoms=["sweating", "anxiety"]
    )

    level, alerts, sentence = seen_by_clinician(staff, check_in)
    screening = check_in.screenings.get(is_current=True)
    assert (level, alerts) == ("none", ["mme_ge_50", "withdrawal_symptoms_after_change"])
    assert screening.priority == Screening.Priority.WARNING
    assert sentence.endswith(
        f"Pain fell from 8 to 7, 2 weeks after the change: inside the withdrawal window, which "
        f"ends {day(days_ago(-14))}."
    )
    page = staff.get(check_in.get_admin_url()).content.decode()
    card = page[page.index("Withdrawal symptoms after a dose change: review the taper") :]
    card = card[: card.index("</section>")]
    assert (
        "Withdrawal symptoms in the past week:</span> Sweating, Feeling anxious or on edge" in card
    )
    assert f"Changed on:</span> {day(days_ago(14))}" in card
    assert "Opioids before:</span> morphine 120 mg/day" in card
    assert "Opioids after:</span> morphine 80 mg/day" in card
    # "All answers" asks the check-in's question, not the one about the time before a dose.
    assert '<th scope="row">In the past week</th>' in page


def test_a_stop_from_120_mme_with_withdrawal_says_tolerance_is_lost(client, staff):
    first = make_first_visit()
    link = start_follow_up(staff, first, **plan_in(4))
    travel(first.patient, 14)

    check_in = send(client, link, pain=9, stopped=["morphine"], symptoms=["sweating", "diarrhoea"])

    level, alerts, sentence = seen_by_clinician(staff, check_in)
    assert (level, alerts) == ("none", ["withdrawal_after_dose_cut"])
    assert check_in.screenings.get(is_current=True).alerts[0]["summary"] == (
        f"Urgent: pain worse with withdrawal symptoms after stopping opioids on "
        f"{day(days_ago(10))} (1.4 weeks ago); review now. Tolerance is lost: overdose risk "
        "rises if the old dose is taken again."
    )
    assert sentence == (
        f"Opioids stopped: morphine 120 mg/day (120 MME/day) on {day(days_ago(10))}. Pain rose "
        f"from 8 to 9, 1.4 weeks after the change: inside the withdrawal window, which ends "
        f"{day(days_ago(-18))}. Tolerance is lost: overdose risk rises if the old dose is taken "
        "again."
    )


def test_the_urgent_card_shows_its_evidence_and_beneath_it_the_features_seen(client, staff):
    first = make_first_visit()
    link = start_follow_up(staff, first, **plan_in(7))
    travel(first.patient, 14)

    check_in = send(
        client, link, pain=9, doses={"morphine": "80"}, symptoms=["sweating", "restlessness"]
    )

    page = staff.get(check_in.get_admin_url()).content.decode()
    card = page[page.index("Withdrawal after a dose cut: urgent") :]
    card = card[: card.index("</section>")]
    for row in [
        "Change:</span> cut",
        "Opioids before:</span> morphine 120 mg/day",
        "Opioids after:</span> morphine 80 mg/day",
        "MME before:</span> 120 MME/day",
        "MME after:</span> 80 MME/day",
        f"Changed on:</span> {day(days_ago(7))}",
        "Weeks since change:</span> 1.0",
        f"Withdrawal window ends on:</span> {day(days_ago(-21))}",
        "Pain before:</span> 8",
        "Pain now:</span> 9",
        "Withdrawal symptoms in the past week:</span> Sweating, Feeling restless",
        # Beneath, the features ruling 4 keeps listed.
        "OIH features seen at this visit",
        "Pain got worse after the opioid dose was increased (major feature M1).",
        "New burning pain, a neuropathic-like quality (minor m3).",
    ]:
        assert row in card, row
    assert "OIH level: none" in page
    assert "No OIH pattern to review" not in page


def test_a_rescreen_reads_the_check_in_as_it_was_screened(client, staff):
    from intake.rescreening import rescreen

    first = make_first_visit()
    link = start_follow_up(staff, first, **NO_PLAN)
    travel(first.patient, 14)
    send(
        client, link, pain=9, stopped=["morphine"], add=[BUPRENORPHINE_16_SL], symptoms=["sweating"]
    )

    run = rescreen()

    assert (run.examined, run.changed, run.summary["invalid"]) == (2, 0, 0)
