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
| `dose_change_last_6_months` | the last change of total MME between two visits of this patient: `decreased`, `increased` (`stopped` when none is left); none in the follow-up: carried over |
| `weeks_since_last_dose_change` | from the follow-up's planned change date when it falls between those two visits; else unknown (`null`) |
| `pain_when_dose_decreased` / `_increased` | pain now against the pain at the last visit on the old dose: lower `better`, higher `worse`, same `unchanged` |
| `new_injury_or_disease_progression` | "anything new" answered yes: `null` (not sure) with the patient's words; no: carried over |
| `months_on_opioids` | carried over, plus the whole months since the previous visit |
| everything else | carried over from the previous visit |
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from intake.choices import DoseChange, PainResponse
from intake.models import FollowUp, Intake, IntakeMedicine
from intake.screening.mme import compute_mme
from intake.submission import submit_intake

DAYS_PER_WEEK = 7
DAYS_PER_MONTH = Decimal("30.44")
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
CARRIED_FIELDS = [
    "full_name",
    "date_of_birth",
    "email",
    "phone",
    "clinic_reference",
    "months_since_stopped",
    "pain_between_doses_or_missed_dose",
    "pain_score_at_start",
    "original_pain_sites",
    "current_pain_sites",
    "new_pain_qualities",
    "new_injury_or_disease_progression",
    "new_injury_details",
    "signs_of_misuse",
    "known_opioid_use_disorder",
]
CHECK_IN_STEPS = ["pain", "peg", "doses", "withdrawal", "anything-new"]


@dataclass(frozen=True)
class VisitPoint:
    """One visit on the dose-response timeline."""

    on: datetime.date
    mme: Decimal | None
    pain: int | None


@dataclass(frozen=True)
class DoseStep:
    """A change of the total daily MME found between two visits."""

    direction: str  # DoseChange.DECREASED or DoseChange.INCREASED
    mme_before: Decimal
    mme_after: Decimal
    pain_before: int | None
    # The visit on the new dose where it was first seen.
    seen_on: datetime.date
    # When it happened: the planned date if it falls between the two visits, else unknown.
    changed_on: datetime.date | None


def dose_steps(points, planned_on):
    """Every change of total MME between consecutive visits, oldest first.

    A visit whose MME could not be computed breaks no chain and makes no step: its total is
    unknown, not zero.
    """
    known = [point for point in points if point.mme is not None]
    steps = []
    for before, after in zip(known, known[1:], strict=False):
        if after.mme == before.mme:
            continue
        is_planned = planned_on is not None and before.on < planned_on <= after.on
        steps.append(
            DoseStep(
                direction=DoseChange.DECREASED if after.mme < before.mme else DoseChange.INCREASED,
                mme_before=before.mme,
                mme_after=after.mme,
                pain_before=before.pain,
                seen_on=after.on,
                changed_on=planned_on if is_planned else None,
            )
        )
    return steps


def pain_response(pain_before, pain_now):
    if pain_before is None or pain_now is None:
        return ""
    if pain_now < pain_before:
        return PainResponse.BETTER
    if pain_now > pain_before:
        return PainResponse.WORSE
    return PainResponse.UNCHANGED


def total_mme(intake):
    """The check-in's total MME per day now, as the rules count it."""
    document = intake.as_document()
    total = compute_mme(document["opioids"], taking_now=bool(document["opioids"]))["total_per_day"]
    return None if total is None else Decimal(str(total))


def previous_visit(follow_up):
    return (
        follow_up.patient.intakes.submitted()
        .order_by("-submitted_at", "-pk")
        .prefetch_related("medicines")
        .first()
    )


def visit_points(follow_up):
    """The patient's submitted visits with their current screening's MME, oldest first."""
    visits = (
        follow_up.patient.intakes.submitted()
        .filter(screenings__is_current=True)
        .order_by("submitted_at", "pk")
        .values_list("submitted_at", "screenings__mme_total", "pain_score_now")
    )
    return [VisitPoint(timezone.localdate(at), mme, pain) for at, mme, pain in visits]


def start_check_in(follow_up):
    """The follow-up's check-in being filled in, or a new one pre-filled from the last visit.

    Every check-in page asks for it, so the usual case (one is open) reads without a lock:
    a row lock would make each page's transaction wait for a WAL flush of its own."""
    open_check_in = _open_check_in(follow_up)
    if open_check_in is not None:
        return open_check_in
    return _new_check_in(follow_up)


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
    for field in CARRIED_FIELDS:
        setattr(check_in, field, getattr(previous, field))
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
    now_mme = total_mme(check_in)
    points = [*visit_points(follow_up), VisitPoint(today, now_mme, check_in.pain_score_now)]
    steps = dose_steps(points, follow_up.planned_dose_change_on)
    taking_now = check_in.medicines.exists()
    check_in.currently_taking_opioids = taking_now
    months_between = Decimal((today - timezone.localdate(previous.submitted_at)).days)
    if previous.months_on_opioids is not None:
        check_in.months_on_opioids = (
            previous.months_on_opioids + (months_between / DAYS_PER_MONTH)
        ).quantize(Decimal("1"))
    if not steps:
        _carry_dose_response(check_in, previous, today)
        return check_in
    last = steps[-1]
    check_in.dose_change_last_6_months = (
        DoseChange.STOPPED if not taking_now else DoseChange(last.direction)
    )
    # Facts file silent on a change whose date is not known (the dose changed between two
    # visits, not on the planned date): left unknown, which the rules read as the safer side
    # (inside the withdrawal window for the urgent alert, no M2 from better pain).
    check_in.weeks_since_last_dose_change = (
        None
        if last.changed_on is None
        else Decimal((today - last.changed_on).days / DAYS_PER_WEEK).quantize(Decimal("0.1"))
    )
    # The comparison is the pain on the old dose, not only the previous check-in: pain that
    # fell after a cut and then held steady is still "better after the reduction".
    response = pain_response(last.pain_before, check_in.pain_score_now)
    if last.direction == DoseChange.DECREASED:
        check_in.pain_when_dose_decreased = response
        check_in.pain_when_dose_increased = previous.pain_when_dose_increased
    else:
        check_in.pain_when_dose_increased = response
        check_in.pain_when_dose_decreased = previous.pain_when_dose_decreased
    return check_in


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
