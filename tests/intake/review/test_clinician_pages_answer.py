"""Every clinician page answers, whatever the visits hold: a medicine listed twice, a check-in
on the same day as the visit before (with a dated dose reduction), totals that are null or a
lower bound, switches, stops. And the MME column says what a total is."""

import datetime
import json
import random
from decimal import Decimal

import pytest
from django.urls import reverse

from intake import check_ins
from intake.models import Intake, IntakeMedicine
from intake.review.follow_up import start_follow_up
from tests.intake.checkin.helpers import make_first_visit, travel
from tests.intake.journey import VALID_MEDICINE, add_medicine, fill_all_steps, submit
from tests.intake.review.helpers import CASES, QUEUE, intake_url, make_intake, queue_rows

pytestmark = pytest.mark.django_db

MORPHINE = {"name": "morphine", "formulation": "extended_release", "unit": "mg/day"}


def clinician_pages(intake):
    return [
        intake_url(intake),
        reverse("admin:intake_intake_summary", args=[intake.pk]),
    ]


def assert_every_page_answers(clinician_client, intakes):
    for intake in intakes:
        for url in clinician_pages(intake):
            response = clinician_client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
    assert clinician_client.get(QUEUE).status_code == 200


def test_an_imported_intake_listing_a_medicine_twice_opens(clinician_client):
    twice = [{**MORPHINE, "daily_dose": 60}, {**MORPHINE, "daily_dose": 60}]
    intake = make_intake("pub-08-no-dose-response", opioids=twice)

    response = clinician_client.get(intake_url(intake))

    assert response.status_code == 200
    [note] = response.context["notes"]
    assert note["summary"] == "morphine 60 mg/day is listed twice; both are counted."
    assert note["evidence"] == [("Opioids[1]", "morphine 60 mg/day, extended release")]
    assert_every_page_answers(clinician_client, [intake])


def test_a_web_intake_listing_a_medicine_twice_opens(client, clinician_client):
    fill_all_steps(client)
    # The same product entered twice, as two forms (not a double click): the second only
    # once the patient says they take both.
    assert add_medicine(client, **VALID_MEDICINE, also_take="on").status_code == 302
    assert submit(client).status_code == 302
    intake = Intake.objects.get()
    assert intake.medicines.count() == 2

    assert_every_page_answers(clinician_client, [intake])
    page = clinician_client.get(intake_url(intake)).content.decode()
    assert "hydrocodone 60 mg/day, immediate release" in page


def test_a_same_day_check_in_with_a_dated_reduction_opens(clinician, clinician_client):
    first = make_first_visit()
    follow_up, _ = start_follow_up(
        first,
        clinician,
        {
            "every_weeks": 2,
            "for_weeks": 12,
            "planned_dose_change": "decrease",
            "planned_dose_change_on": datetime.date.today(),
        },
    )
    sent = check_ins.start_check_in(follow_up)
    sent.pain_score_now = 9
    sent.withdrawal_symptoms_between_doses = ["sweating"]
    sent.save()
    sent.medicines.update(daily_dose=Decimal(80))
    sent = check_ins.submit_check_in(sent)

    assert_every_page_answers(clinician_client, [first, sent])
    chart = clinician_client.get(intake_url(sent)).context["visit_chart"]
    today = datetime.date.today()
    day = f"{today.day} {today:%b %Y}"
    assert chart["sentence"].startswith(
        "The dose went down from 120 to 80 MME/day (morphine 120 mg/day to morphine 80 mg/day) "
        f"on a date not known between {day} and {day}. Pain rose from 8 to 9"
    )


# What a generated check-in may do to the medicines of the visit before.
CHANGES = {
    "keep": lambda medicines: None,
    "cut": lambda medicines: medicines.update(daily_dose=Decimal(40)),
    "raise": lambda medicines: medicines.update(daily_dose=Decimal(200)),
    "stop": lambda medicines: medicines.all().delete(),
    "buprenorphine": lambda medicines: (
        medicines.all().delete(),
        add(medicines, "buprenorphine", 16, formulation="sublingual"),
    ),
    "butrans": lambda medicines: add(
        medicines, "buprenorphine", 10, unit="mcg/hr", formulation="transdermal_patch"
    ),
    "methadone": lambda medicines: (medicines.all().delete(), add(medicines, "methadone", 20)),
    "levorphanol": lambda medicines: add(medicines, "other", 4, other_name="levorphanol"),
    "twice": lambda medicines: add(medicines, "morphine", 60, formulation="extended_release"),
    "unit_error": lambda medicines: add(
        medicines, "fentanyl", 25, unit="mg/hr", formulation="transdermal_patch"
    ),
}


def add(medicines, name, dose, **fields):
    intake = medicines.instance
    IntakeMedicine.objects.create(
        intake=intake,
        name=name,
        daily_dose=Decimal(dose),
        position=intake.medicines.count(),
        **{"formulation": "immediate_release", "unit": "mg/day", **fields},
    )


@pytest.mark.parametrize("seed", range(4))
def test_every_page_of_generated_visits_and_check_ins_answers(clinician, clinician_client, seed):
    chance = random.Random(seed)
    cases = sorted(CASES.glob("*.json"))
    made = []
    for number in range(3):
        case = json.loads(chance.choice(cases).read_text())
        first = make_first_visit(
            opioids=case["opioids"] or [{**MORPHINE, "daily_dose": 90}],
            reference=f"gen-{seed}-{number}",
            pain_score_now=chance.choice([None, 3, 8]),
        )
        planned = chance.choice([None, 0, 7])
        follow_up, _ = start_follow_up(
            first,
            clinician,
            {
                "every_weeks": 1,
                "for_weeks": 30,
                "planned_dose_change": "" if planned is None else "decrease",
                "planned_dose_change_on": None
                if planned is None
                else datetime.date.today() + datetime.timedelta(days=planned),
            },
        )
        made.append(first)
        for _ in range(chance.randint(1, 4)):
            travel(first.patient, chance.choice([0, 0, 3, 14, 35]))
            follow_up.refresh_from_db()
            sent = check_ins.start_check_in(follow_up)
            sent.pain_score_now = chance.choice([None, 2, 7, 9, 10])
            sent.withdrawal_symptoms_between_doses = chance.choice([[], ["sweating", "anxiety"]])
            sent.save()
            CHANGES[chance.choice(sorted(CHANGES))](sent.medicines)
            made.append(check_ins.submit_check_in(sent))

    assert_every_page_answers(clinician_client, made)


def test_the_worklist_says_at_least_for_a_lower_bound_and_none_counted_for_buprenorphine(
    clinician_client,
):
    make_intake("pub-11-unknown-opioid-lower-bound", reference="lower-bound")
    buprenorphine_only = make_intake(
        "pub-06-oih-with-misuse",
        reference="buprenorphine-only",
        opioids=[
            {
                "name": "buprenorphine",
                "formulation": "sublingual",
                "daily_dose": 16,
                "unit": "mg/day",
            }
        ],
    )
    make_intake("pub-05-unit-error-oih", reference="unit-error")

    response = clinician_client.get(QUEUE)

    assert [ref for ref, _ in queue_rows(response)] == [
        "lower-bound",
        "unit-error",
        "buprenorphine-only",
    ]
    admin = response.context["cl"].model_admin
    cells = {
        screening.intake.clinic_reference: admin.mme(screening)
        for screening in response.context["cl"].result_list
    }
    assert cells == {
        "lower-bound": "at least 80.0",
        "unit-error": "not computed",
        "buprenorphine-only": "none counted",
    }
    page = clinician_client.get(intake_url(buprenorphine_only)).content.decode()
    assert "none counted" in page
    assert "Nothing to add: buprenorphine and OUD treatment are shown, not added" in page
    assert "not computed" not in page
