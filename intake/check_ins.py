"""Check-ins: the short visits of a follow-up, and how their answers become a visit's answers.

A check-in asks only what changes from week to week: pain now, the three PEG items, the
daily doses (pre-filled from the last visit), withdrawal symptoms, and anything new. Every
other answer is carried over from the previous visit, and the dose-response answers are
derived from the visits themselves, so that each check-in is screened as a full visit through
`submission.submit_intake`, with the previous visit as the comparison (oih-facts section 4, M2).

How the check-in fills the `oih-intake/1` fields:

| field | from |
| --- | --- |
| `pain_score_now`, `peg` | asked |
| `opioids` | asked: the previous visit's list, each dose kept or changed, or stopped |
| `withdrawal_symptoms_between_doses` | asked ("in the past week"); the only withdrawal field |
| `currently_taking_opioids` | whether any opioid is still listed |
| `change_between_visits` | the latest change of opioids between two visits of this patient (`screening.follow_up`, rulings F1-F3): a cut, an increase, a stop, a switch or a start, with its date when known, its withdrawal window and the pain before it; none in the patient's visits: none |
| `dose_change_last_6_months` | that change: `decreased`, `increased`, `stopped`, `started`; a switch (F1: not a dose change) is `unknown`; no change: carried over |
| `weeks_since_last_dose_change` | weeks since that change, from the follow-up's planned date when it falls between those two visits; undated, from the visit where it was first seen (F3: so at least that many) |
| `pain_when_dose_decreased` / `_increased` | for a cut (or a stop from an exact total) or an increase: pain now against the pain at the last visit on the old dose, `better` or `worse` at 2 points or more, else `unchanged` (F4); a switch says nothing about dose response (F1): carried over |
| `months_since_stopped` | after a stop: the weeks since it, in months; while opioids are taken: none |
| `new_injury_or_disease_progression` | "anything new" answered yes: `null` (not sure) with the patient's words; no: carried over |
| `current_pain_sites` | carried over, with the new places the patient ticked under "anything new" (F5: counted as spread) |
| `months_on_opioids` | carried over, plus the whole months since the previous visit |
| `other_medicines`, `naloxone_at_home` | carried over from the previous visit, not asked again (the clinician's page says so) |
| everything else | carried over from the previous visit |
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import transaction
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.utils import timezone

from intake import answers
from intake.choices import DoseChange
from intake.models import FollowUp, Intake, IntakeMedicine
from intake.screening import follow_up as follow_up_rules
from intake.screening.mme import is_taking_now
from intake.submission import submit_intake

DAYS_PER_WEEK = 7
DAYS_PER_MONTH = Decimal("30.44")
WEEKS_PER_YEAR = 52
# Carried over as they were answered at the previous visit (see the table above).
# A medicine as the patient entered it, product, strength and schedule included, so that a
# check-in shows it as they know it and changes it with the same questions.
CARRIED_MEDICINE_FIELDS = [
    "name",
    "chosen_as",
    "other_name",
    "formulation",
    "unit",
    "strength",
    "times_per_day",
    "daily_dose",
    "purpose",
    "product",
    "strength_label",
    "schedule",
    "entered_as",
    "confirmed_by_patient",
    "position",
]
# The contact details, then the answers the answer table marks as carried (intake.answers).
CARRIED_CONTACT_FIELDS = ["full_name", "date_of_birth", "email", "phone", "clinic_reference"]


def carried_fields():
    return [*CARRIED_CONTACT_FIELDS, *answers.carried_fields()]


CHECK_IN_STEPS = ["pain", "peg", "doses", "withdrawal", "anything-new"]
# What a check-in takes, as promised to the patient: its six pages read at 130 words a
# minute with the answers given, rounded up.
CHECK_IN_MINUTES = 5


def visit_of(intake, opioids, on=None):
    """An intake as a point of the follow-up's timeline (`screening.follow_up.Visit`), with its
    opioids as document items."""
    return follow_up_rules.Visit(
        on=on or timezone.localdate(intake.submitted_at),
        opioids=tuple(opioids),
        taking_now=is_taking_now({"currently_taking_opioids": intake.currently_taking_opioids}),
        pain=intake.pain_score_now,
    )


# A medicine as the follow-up rules read it (IntakeMedicine.as_document_item's keys).
MEDICINE_ITEM = JSONObject(
    name="name",
    other_name="other_name",
    formulation="formulation",
    daily_dose="daily_dose",
    unit="unit",
    purpose="purpose",
)


def patient_visits(patient, up_to=None, limit=None):
    """The patient's submitted visits (up to the intake `up_to`), oldest first, each with its
    medicines as document items (`medicine_items`), in one query. `limit` keeps only the
    latest ones."""
    items = (
        IntakeMedicine.objects.filter(intake=OuterRef("pk"))
        .order_by("position", "pk")
        .values(item=MEDICINE_ITEM)
    )
    intakes = patient.intakes.submitted().annotate(medicine_items=ArraySubquery(items))
    if up_to is not None:
        intakes = intakes.filter(submitted_at__lte=up_to.submitted_at)
    newest_first = intakes.order_by("-submitted_at", "-pk")
    if limit is not None:
        newest_first = newest_first[:limit]
    return list(newest_first)[::-1]


def previous_visit(follow_up):
    return (
        follow_up.patient.intakes.submitted()
        .order_by("-submitted_at", "-pk")
        .prefetch_related("medicines")
        .first()
    )


def start_check_in(follow_up):
    """The follow-up's check-in being filled in, or a new one pre-filled from the last visit.

    Every check-in page asks for it, so the usual case (one is open) reads without a lock:
    a row lock would make each page's transaction wait for a WAL flush of its own."""
    open_check_in = _open_check_in(follow_up)
    if open_check_in is not None:
        return open_check_in
    return _new_check_in(follow_up)


def open_check_in(follow_up):
    """The follow-up's check-in being filled in, or None: the pages never start one."""
    return _open_check_in(follow_up)


def _open_check_in(follow_up):
    return follow_up.check_ins.filter(
        status=Intake.Status.IN_PROGRESS, expires_at__gt=timezone.now()
    ).first()


@transaction.atomic
def _new_check_in(follow_up):
    # Under the follow-up's lock, so that two first pages at once start one check-in.
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    open_check_in = _open_check_in(follow_up)
    if open_check_in is not None:
        return open_check_in
    previous = previous_visit(follow_up)
    check_in = Intake(
        kind=Intake.Kind.CHECK_IN,
        follow_up=follow_up,
        consent_given_at=timezone.now(),
        expires_at=min(
            follow_up.ends_at,
            timezone.now() + datetime.timedelta(days=settings.INTAKE_EXPIRY_DAYS),
        ),
    )
    # Never shown: a check-in is reached through the follow-up's link, not a resume code.
    check_in.issue_resume_secrets()
    for field in carried_fields():
        setattr(check_in, field, getattr(previous, field))
    # Added questions with no column of their own, carried the same way.
    carried_keys = {a.key for a in answers.answer_table() if a.carried and not a.fields}
    check_in.more_answers = {
        key: value for key, value in previous.more_answers.items() if key in carried_keys
    }
    # The carried answers count as answered, as they were at that visit. The check-in's own
    # pages (CHECK_IN_STEPS) start unanswered, even after an earlier check-in.
    check_in.completed_steps = [
        step for step in previous.completed_steps if step not in CHECK_IN_STEPS
    ]
    check_in.save()
    IntakeMedicine.objects.bulk_create(
        IntakeMedicine(
            intake=check_in,
            **{field: getattr(medicine, field) for field in CARRIED_MEDICINE_FIELDS},
        )
        for medicine in previous.medicines.all()
        # A medicine listed by someone who had stopped is history, not a dose taken now.
        if previous.currently_taking_opioids is not False
    )
    return check_in


def fill_derived_answers(check_in, today=None):
    """Fill the fields a check-in does not ask from the visits before it (module docstring)."""
    today = today or timezone.localdate()
    follow_up = check_in.follow_up
    previous = previous_visit(follow_up)
    medicines = list(check_in.medicines.all())
    taking_now = bool(medicines)
    check_in.currently_taking_opioids = taking_now
    months_between = Decimal((today - timezone.localdate(previous.submitted_at)).days)
    if previous.months_on_opioids is not None:
        check_in.months_on_opioids = (
            previous.months_on_opioids + (months_between / DAYS_PER_MONTH)
        ).quantize(Decimal("1"))
    if taking_now:
        check_in.months_since_stopped = None
    visits = [
        *(visit_of(visit, visit.medicine_items) for visit in patient_visits(follow_up.patient)),
        visit_of(check_in, [medicine.as_document_item() for medicine in medicines], on=today),
    ]
    change = follow_up_rules.last_change(visits, follow_up.planned_dose_change_on)
    if change is None:
        check_in.change_between_visits = None
        _carry_dose_response(check_in, previous, today)
        return check_in
    check_in.change_between_visits = change.as_record(today, check_in.pain_score_now)
    weeks = change.weeks_since(today)
    check_in.weeks_since_last_dose_change = weeks
    check_in.dose_change_last_6_months = DOSE_CHANGE_OF[change.kind]
    check_in.pain_when_dose_increased = previous.pain_when_dose_increased
    check_in.pain_when_dose_decreased = previous.pain_when_dose_decreased
    if change.kind == follow_up_rules.STOP:
        check_in.months_since_stopped = (weeks * 12 / WEEKS_PER_YEAR).quantize(Decimal("0.1"))
    if change.counts_as_dose_response:
        # The comparison is the pain on the old dose, not only the previous check-in: pain
        # that fell after a cut and then held steady is still "better after the reduction".
        response = follow_up_rules.pain_response(change.pain_before, check_in.pain_score_now)
        if change.kind == follow_up_rules.INCREASE:
            check_in.pain_when_dose_increased = response or ""
        else:
            check_in.pain_when_dose_decreased = response or ""
    return check_in


# How the check-in's dose-change answer names each kind of change (F1: a switch is not a dose
# change, so its answer is "not known" and its dose response is carried over).
DOSE_CHANGE_OF = {
    follow_up_rules.CUT: DoseChange.DECREASED,
    follow_up_rules.INCREASE: DoseChange.INCREASED,
    follow_up_rules.STOP: DoseChange.STOPPED,
    follow_up_rules.SWITCH: DoseChange.UNKNOWN,
    follow_up_rules.START: DoseChange.STARTED,
}


def _carry_dose_response(check_in, previous, today):
    check_in.dose_change_last_6_months = previous.dose_change_last_6_months
    check_in.pain_when_dose_increased = previous.pain_when_dose_increased
    check_in.pain_when_dose_decreased = previous.pain_when_dose_decreased
    weeks = previous.weeks_since_last_dose_change
    if weeks is not None:
        elapsed = Decimal((today - timezone.localdate(previous.submitted_at)).days)
        check_in.weeks_since_last_dose_change = (weeks + elapsed / DAYS_PER_WEEK).quantize(
            Decimal("0.1")
        )


def submit_check_in(check_in, today=None, language=""):
    """Derive the carried and dose-response answers, then submit through the one write path."""
    with transaction.atomic():
        # Its medicines read once: the dose now, whether any are taken, and the document.
        check_in = (
            Intake.objects.select_for_update().prefetch_related("medicines").get(pk=check_in.pk)
        )
        if check_in.is_submitted:
            return check_in
        fill_derived_answers(check_in, today=today)
        check_in.save()
        return submit_intake(check_in.pk, language=language)
