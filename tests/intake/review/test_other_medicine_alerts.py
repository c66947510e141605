"""Rulings 18 and 19 on the clinician's side: the over_label_maximum, sedative_with_opioid and
naloxone_not_at_home warnings put an intake on the worklist, in words; the gabapentinoid
information does not. Each card says which answers, which rule and which source."""

import pytest

from intake.models import Screening
from intake.review.worklist_words import what_needs_a_look
from tests.intake.review.helpers import (
    QUEUE,
    intake_url,
    make_alert_only,
    queue_references,
    queue_rows,
    screening_of,
)

pytestmark = pytest.mark.django_db
MORPHINE_30 = [
    {"name": "morphine", "formulation": "extended_release", "daily_dose": 30, "unit": "mg/day"}
]
SEDATIVE_ONLY = {
    "opioids": MORPHINE_30,
    "other_medicines": [{"name": "Xanax (alprazolam)", "class": "benzodiazepine"}],
    "naloxone_at_home": True,
}
GABAPENTINOID_ONLY = {
    "opioids": MORPHINE_30,
    "other_medicines": [{"name": "Pregabalin (Lyrica)", "class": "gabapentinoid"}],
    "naloxone_at_home": True,
}
# 60 MME/day (the tolerance case's morphine) and no naloxone at home.
NALOXONE_ONLY = {"naloxone_at_home": False}
# Norco 10/325, 13 tablets a day: 4,225 mg of acetaminophen, 130 MME/day.
OVER_LABEL_ONLY = {
    "opioids": [
        {
            "name": "hydrocodone",
            "formulation": "immediate_release",
            "daily_dose": 130,
            "unit": "mg/day",
            "product": "norco",
            "strength": "10 mg/325 mg",
            "schedule": {"amount": 1, "times_per_day": 13, "amount_unit": "tablet"},
        }
    ],
}


@pytest.fixture
def other_medicine_intakes():
    return {
        "sedative": make_alert_only(SEDATIVE_ONLY, reference="sedative", days_ago=4),
        "gabapentinoid": make_alert_only(GABAPENTINOID_ONLY, reference="gabapentinoid", days_ago=3),
        "naloxone": make_alert_only(NALOXONE_ONLY, reference="naloxone", days_ago=2),
        "over-label": make_alert_only(OVER_LABEL_ONLY, reference="over-label", days_ago=1),
    }


def test_the_intakes_raise_their_alerts_with_no_oih_level(other_medicine_intakes):
    assert {
        name: (screening_of(intake).level, screening_of(intake).alert_codes)
        for name, intake in other_medicine_intakes.items()
    } == {
        "sedative": ("none", ["sedative_with_opioid"]),
        "gabapentinoid": ("none", ["gabapentinoid_with_opioid"]),
        "naloxone": ("none", ["mme_ge_50", "naloxone_not_at_home"]),
        "over-label": ("none", ["mme_ge_50", "mme_ge_90", "over_label_maximum"]),
    }


def test_the_warnings_are_on_the_worklist_in_words_and_the_information_is_not(
    clinician_client, other_medicine_intakes
):
    response = clinician_client.get(QUEUE)

    assert dict(queue_rows(response)) == {
        "sedative": ["Sedative with opioids: review the combination"],
        "naloxone": ["No naloxone at home: offer naloxone"],
        "over-label": [
            "Above a label maximum across products: check the daily total",
            "MME 130/day: 90 or more, avoid or justify",
        ],
    }
    assert {
        name: screening_of(intake).priority for name, intake in other_medicine_intakes.items()
    } == {
        "sedative": Screening.Priority.WARNING,
        "gabapentinoid": None,
        "naloxone": Screening.Priority.WARNING,
        "over-label": Screening.Priority.WARNING,
    }


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("sedative_with_opioid", ["sedative"]),
        ("naloxone_not_at_home", ["naloxone"]),
        ("over_label_maximum", ["over-label"]),
    ],
)
def test_the_worklist_filter_finds_each_warning(
    clinician_client, other_medicine_intakes, code, expected
):
    response = clinician_client.get(QUEUE, {"alert": code})

    assert queue_references(response) == expected
    assert f'value="{code}"' in response.content.decode()


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["sedative_with_opioid"], ["Sedative with opioids: review the combination"]),
        (["gabapentinoid_with_opioid"], []),
        (
            ["sedative_with_opioid", "gabapentinoid_with_opioid", "naloxone_not_at_home"],
            [
                "Sedative with opioids: review the combination",
                "No naloxone at home: offer naloxone",
            ],
        ),
        (
            ["over_label_maximum"],
            ["Above a label maximum across products: check the daily total"],
        ),
    ],
)
def test_what_needs_a_look_names_each_warning(codes, expected):
    assert what_needs_a_look("none", codes, 30.0, []) == expected


def test_the_cards_say_which_answers_which_rule_and_which_source(
    clinician_client, other_medicine_intakes
):
    pages = {
        name: clinician_client.get(intake_url(intake)).content.decode()
        for name, intake in other_medicine_intakes.items()
    }

    for name, texts in {
        "sedative": [
            "Sedative with opioids: review the combination",
            "Takes Xanax (alprazolam; benzodiazepine) with opioids: higher risk of overdose",
            '<span class="oih-key">Other medicines:</span> Xanax (alprazolam; benzodiazepine)',
            '<span class="oih-key">Opioids:</span> morphine 30 mg/day',
            "Source: CDC 2022 Recommendation 11; FDA 2016 boxed warning, opioids with "
            "benzodiazepines; oih-facts ruling 19",
        ],
        "gabapentinoid": [
            "Gabapentinoid with opioids",
            "Information",
            "Source: FDA 2019 safety communication, gabapentinoids with opioids; "
            "oih-facts ruling 19",
        ],
        "naloxone": [
            "No naloxone at home: offer naloxone",
            '<span class="oih-key">Naloxone at home:</span> No',
            '<span class="oih-key">MME per day:</span> 60.0',
            "Source: CDC 2022 Recommendation 8; oih-facts ruling 19",
        ],
        "over-label": [
            "Above a label maximum across products: check the daily total",
            '<span class="oih-key">Acetaminophen:</span> 4,225 mg/day, label maximum '
            "4,000 mg/day (Norco 10 mg/325 mg: 4,225 mg)",
            "oih-facts ruling 18",
        ],
    }.items():
        for text in texts:
            assert text in pages[name], (name, text)
    # The answers themselves, as the patient gave them, on the same page.
    assert "Naloxone (Narcan) at home" in pages["naloxone"]
    assert "Xanax (alprazolam)" in pages["sedative"]


def test_the_printed_summary_shows_the_answers_and_the_warnings(clinician_client):
    from django.urls import reverse

    intake = make_alert_only({**SEDATIVE_ONLY, "naloxone_at_home": False}, reference="printed")

    html = clinician_client.get(
        reverse("admin:intake_intake_summary", args=[intake.pk])
    ).content.decode()

    for text in [
        "Other medicines",
        "Xanax (alprazolam)",
        "Naloxone (Narcan) at home",
        "Takes Xanax (alprazolam; benzodiazepine) with opioids",
        "No naloxone at home with a sedative with opioids: offer naloxone.",
    ]:
        assert text in html, text
