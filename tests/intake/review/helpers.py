"""Helpers for the clinicians' pages' tests.

Intakes are built through the real write path (`import_document`) from the documents in
tests/cases; names, birth dates and submission times are then set on the models.
"""

import datetime
import itertools
import json
from pathlib import Path

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from intake.exchange.imports import import_document

CASES = Path(__file__).resolve().parent.parent.parent / "cases"


FLAG_CASE = "pub-01-oih-hydrocodone"  # flag, 60 MME, alert mme_ge_50


UNIT_ERROR_CASE = "pub-05-unit-error-oih"  # flag, MME not computable, data quality


MISUSE_CASE = "pub-06-oih-with-misuse"  # borderline, misuse signals


NO_DOSE_RESPONSE_CASE = "pub-08-no-dose-response"  # borderline, 80 MME


TOLERANCE_CASE = "pub-02-tolerance-morphine"  # none, 60 MME/day


QUEUE = reverse("admin:intake_screening_changelist")


DASHBOARD = reverse("admin:intake_screening_dashboard")


# Every staff request: session, user, the OTP device, two permission lookups, and the
# session renewal (savepoint, update, release) that keeps the 15-minute idle sign-out moving.
PER_REQUEST_QUERIES = 8


# The queue: the planner's row estimate, the count (exact up to 1,000 rows), the
# rows, the patients' other open items, the counts per priority, the rules versions for the
# filter, and the access log's row.
QUEUE_QUERIES = PER_REQUEST_QUERIES + 7


# Every staff request's queries, then the page's own: the intake, its current screening with
# the review, the medicines, the visits, the patient's follow-ups, the articles offered, the
# earlier reviews, the clinicians to assign to, the corrections, and the access log row.
INTAKE_PAGE_QUERIES = PER_REQUEST_QUERIES + 10


_numbers = itertools.count(1)


def make_intake(case, *, reference=None, name="", dob=None, days_ago=0, **answers):
    """A submitted, screened intake from a test case, submitted `days_ago` days ago."""
    document = json.loads((CASES / f"{case}.json").read_text())
    document.update(answers, reference=reference or f"{case}-{next(_numbers)}")
    intake = import_document(document)
    intake.full_name = name
    intake.date_of_birth = dob
    intake.submitted_at = timezone.now() - datetime.timedelta(days=days_ago)
    intake.save(update_fields=["full_name", "date_of_birth", "submitted_at"])
    # Back-dated as if submitted then: the screening keeps its copy of the date.
    intake.screenings.update(intake_submitted_at=intake.submitted_at)
    if intake.patient and name:
        intake.patient.full_name, intake.patient.date_of_birth = name, dob
        intake.patient.save()
    return intake


def screening_of(intake):
    return intake.screenings.get(is_current=True)


def queue_references(response):
    return [screening.intake.clinic_reference for screening in response.context["cl"].result_list]


def intake_url(intake):
    return reverse("admin:intake_intake_change", args=[intake.pk])


def post_review(client, intake, **data):
    screening = screening_of(intake)
    return client.post(intake_url(intake), {"screening": screening.pk, "note": "", **data})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def intake_admin_urls(intake):
    screening = screening_of(intake)
    patient = intake.patient
    return [
        reverse("admin:intake_screening_changelist"),
        reverse("admin:intake_screening_change", args=[screening.pk]),
        reverse("admin:intake_screening_history", args=[screening.pk]),
        reverse("admin:intake_screening_dashboard"),
        reverse("admin:intake_intake_changelist"),
        reverse("admin:intake_intake_change", args=[intake.pk]),
        reverse("admin:intake_intake_history", args=[intake.pk]),
        reverse("admin:intake_intake_delete", args=[intake.pk]),
        reverse("admin:intake_patient_changelist"),
        reverse("admin:intake_patient_change", args=[patient.pk]),
        reverse("admin:intake_review_changelist"),
        reverse("admin:intake_accesslog_changelist"),
    ]


# Alert-only intakes (level none), from the tolerance case: (answers, expected alert codes).
URGENT_ONLY = {
    "dose_change_last_6_months": "decreased",
    "weeks_since_last_dose_change": 2,
    "pain_when_dose_increased": "not_tried",
    "pain_when_dose_decreased": "worse",
    "withdrawal_symptoms_between_doses": ["sweating", "diarrhoea"],
    "opioids": [
        {"name": "morphine", "formulation": "extended_release", "daily_dose": 30, "unit": "mg/day"}
    ],
}
HIGH_DOSE_ONLY = {
    "opioids": [
        {"name": "morphine", "formulation": "extended_release", "daily_dose": 120, "unit": "mg/day"}
    ]
}
IMPLAUSIBLE_DOSE_ONLY = {
    "opioids": [
        {
            "name": "oxycodone",
            "formulation": "extended_release",
            "daily_dose": 1300,
            "unit": "mg/day",
        }
    ]
}
MISUSE_ONLY = {
    "signs_of_misuse": ["early_refill_requests"],
    "opioids": [
        {"name": "morphine", "formulation": "extended_release", "daily_dose": 30, "unit": "mg/day"}
    ],
}


def make_alert_only(answers, **kwargs):
    """A submitted intake with no OIH level and only the alerts the answers raise."""
    return make_intake(TOLERANCE_CASE, **answers, **kwargs)


def queue_rows(response):
    """(clinic reference, what needs a look) for each worklist row, in order."""
    from intake.review.worklist_words import what_needs_a_look

    return [
        (
            screening.intake.clinic_reference,
            what_needs_a_look(
                screening.level, screening.alert_codes, screening.mme_total, screening.mme_items
            ),
        )
        for screening in response.context["cl"].result_list
    ]
