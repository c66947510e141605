"""A patient on a follow-up: the first visit, the clinician's plan, and check-ins over weeks.

Time moves by back-dating: `travel(patient, days)` moves every stored date of the patient's
visits and follow-ups back, so that the next check-in is sent "days" later.
"""

import datetime
import re

from django.db.models import F
from django.urls import reverse

from intake.exchange.imports import import_document
from intake.models import FollowUp, Intake, Screening
from tests.helpers import in_language

# A patient whose pain got worse when the dose went up: 120 MME/day of morphine, a flag.
FIRST_VISIT = {
    "format": "oih-intake/1",
    "reference": "clinic-7",
    "opioids": [
        {
            "name": "morphine",
            "formulation": "extended_release",
            "daily_dose": 120,
            "unit": "mg/day",
            "purpose": "pain",
        }
    ],
    "currently_taking_opioids": True,
    "months_on_opioids": 24,
    "months_since_stopped": None,
    "dose_change_last_6_months": "increased",
    "weeks_since_last_dose_change": 10,
    "pain_when_dose_increased": "worse",
    "pain_when_dose_decreased": "not_tried",
    "pain_between_doses_or_missed_dose": "no_change",
    "withdrawal_symptoms_between_doses": [],
    "pain_score_now": 8,
    "pain_score_at_start": 6,
    "original_pain_sites": ["lower_back"],
    "current_pain_sites": ["lower_back", "left_thigh", "right_thigh", "upper_back"],
    "new_pain_qualities": ["burning", "allodynia"],
    "new_injury_or_disease_progression": {"present": False, "details": ""},
    "signs_of_misuse": [],
    "known_opioid_use_disorder": False,
    "peg": {"pain": 8, "enjoyment": 7, "activity": 8},
}
# A follow-up every 2 weeks for 12, with no dose change planned.
PLAN_WITHOUT_DOSE_CHANGE = {
    "every_weeks": 2,
    "for_weeks": 12,
    "planned_dose_change": "",
    "planned_dose_change_on": None,
}
# Each check-in: pain now, PEG, morphine mg/day, withdrawal symptoms.
WITHDRAWAL_CHECK_IN = {
    "pain": 9,
    "peg": (9, 8, 9),
    "dose": "80",
    "symptoms": ["sweating", "restlessness"],
}
STEADY_CHECK_IN = {"pain": 8, "peg": (8, 7, 8), "dose": "80", "symptoms": []}
BETTER_CHECK_IN = {"pain": 6, "peg": (6, 6, 5), "dose": "80", "symptoms": []}
BEST_CHECK_IN = {"pain": 5, "peg": (5, 4, 4), "dose": "80", "symptoms": []}


def make_first_visit(**answers):
    intake = import_document({**FIRST_VISIT, **answers})
    intake.full_name = "Mary Seacole"
    intake.date_of_birth = datetime.date(1958, 3, 1)
    intake.email = "mary@example.org"
    intake.save(update_fields=["full_name", "date_of_birth", "email"])
    return intake


def travel(patient, days):
    """Move the patient's stored dates back by `days`: as if that much time had passed."""
    delta = datetime.timedelta(days=days)
    Intake.objects.filter(patient=patient).update(
        submitted_at=F("submitted_at") - delta, started_at=F("started_at") - delta
    )
    Screening.objects.filter(intake__patient=patient).update(
        intake_submitted_at=F("intake_submitted_at") - delta
    )
    for follow_up in FollowUp.objects.filter(patient=patient):
        follow_up.started_at -= delta
        follow_up.ends_at -= delta
        if follow_up.planned_dose_change_on:
            follow_up.planned_dose_change_on -= delta
        follow_up.save()


def start_follow_up(clinician_client, intake, **fields):
    data = {
        "every_weeks": "2",
        "for_weeks": "12",
        "planned_dose_change": "decrease",
        "planned_dose_change_on": (datetime.date.today() + datetime.timedelta(days=7)).isoformat(),
        **fields,
    }
    response = clinician_client.post(
        reverse("admin:intake_intake_follow_up", args=[intake.pk]), data
    )
    assert response.status_code == 200, response.content[:500]
    assert "form" not in response.context or response.context["form"] is None, response.context[
        "form"
    ].errors
    return response.context["link"].removeprefix("http://testserver")


def link_path(link):
    return re.sub(r"^https?://[^/]+", "", link)


def check_in(client, link, answers, prefix=""):
    """A patient sends a check-in through every page (in Spanish with prefix="/es", at the
    Spanish addresses); returns the submitted intake."""

    def at(path):
        return in_language(path, prefix.strip("/") or "en")

    response = client.get(at(link_path(link)))
    assert response.status_code == 302 and response.url == at("/intake/check-in/")
    assert client.post(at("/intake/check-in/")).status_code == 302
    assert (
        client.post(at("/intake/check-in/pain/"), {"pain_score_now": answers["pain"]}).status_code
        == 302
    )
    pain, enjoyment, activity = answers["peg"]
    assert (
        client.post(
            at("/intake/check-in/peg/"),
            {"peg_pain": pain, "peg_enjoyment": enjoyment, "peg_activity": activity},
        ).status_code
        == 302
    )
    page = client.get(at("/intake/check-in/doses/"))
    dose_fields = re.findall(r'name="(dose_\d+)"', page.content.decode())
    assert (
        client.post(
            at("/intake/check-in/doses/"), dict.fromkeys(dose_fields, answers["dose"])
        ).status_code
        == 302
    )
    assert (
        client.post(
            at("/intake/check-in/withdrawal/"),
            {"withdrawal_symptoms_between_doses": answers["symptoms"]},
        ).status_code
        == 302
    )
    assert (
        client.post(
            at("/intake/check-in/anything-new/"), {"has_something_new": "False", "details": ""}
        ).status_code
        == 302
    )
    response = client.post(at("/intake/check-in/check/"))
    assert response.status_code == 302 and response.url == at("/intake/check-in/done/"), response
    return Intake.objects.filter(kind=Intake.Kind.CHECK_IN).latest("submitted_at")


def send_check_in(follow_up, answers):
    """A check-in sent without the pages: the same start, answers and write path."""
    from decimal import Decimal

    from intake import check_ins

    sent = check_ins.start_check_in(follow_up)
    sent.pain_score_now = answers["pain"]
    sent.peg_pain, sent.peg_enjoyment, sent.peg_activity = answers["peg"]
    sent.withdrawal_symptoms_between_doses = answers["symptoms"]
    sent.save()
    sent.medicines.update(daily_dose=Decimal(answers["dose"]))
    return check_ins.submit_check_in(sent)


def follow_up_with_check_ins(clinician, first, answer_list, every_days=14):
    """A follow-up started from `first` with a reduction a week later, then the check-ins."""
    from intake.review.follow_up import start_follow_up as start

    follow_up, token = start(
        first,
        clinician,
        {
            "every_weeks": 2,
            "for_weeks": 24,
            "planned_dose_change": "decrease",
            "planned_dose_change_on": datetime.date.today() + datetime.timedelta(days=7),
        },
    )
    sent = []
    for answers in answer_list:
        travel(first.patient, every_days)
        follow_up.refresh_from_db()
        sent.append(send_check_in(follow_up, answers))
    return follow_up, token, sent
