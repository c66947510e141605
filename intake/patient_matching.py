"""Which patient an intake belongs to, and the clinician's decision on a suggested match.

Typed identity (a clinic number, or a name and birth date) is what anyone can type, so it
never joins an existing record by itself: a new intake gets its own patient record and, if
its identity looks like another's, a `PatientMatch` suggestion. Only a clinician's
confirmation joins the two; then the joined visits are compared with the earlier ones as
if they had been matched at submission. A check-in belongs to its follow-up's patient: the
clinician gave that patient its private link.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from intake import screening
from intake.models import FollowUp, Intake, Patient, PatientMatch

# Enough for a clinician to compare; more look-alikes than this are not a match anyone can use.
MAX_SUGGESTIONS = 10


def patient_for(intake):
    """The patient record an intake being submitted belongs to (created if needed), or None
    when it names nobody."""
    if intake.is_check_in:
        return intake.follow_up.patient
    has_name_and_birth_date = bool(intake.full_name and intake.date_of_birth)
    if not (intake.clinic_reference or has_name_and_birth_date):
        return None
    patient = Patient.objects.create(
        full_name=intake.full_name,
        date_of_birth=intake.date_of_birth,
        clinic_reference=intake.clinic_reference,
    )
    suggest_matches(patient)
    return patient


def suggest_matches(patient):
    """Store a suggestion for each existing record this new one looks like; return them."""
    reference = " ".join(patient.clinic_reference.split())
    same_reference = Q(clinic_reference__iexact=reference) if reference else Q(pk__in=[])
    same_person = (
        Q(name_key=patient.name_key, date_of_birth=patient.date_of_birth)
        if patient.name_key and patient.date_of_birth
        else Q(pk__in=[])
    )
    candidates = (
        Patient.objects.filter(same_reference | same_person)
        .exclude(pk=patient.pk)
        # A record whose visits were joined to another holds none any more.
        .filter(merged_into=None)
        .order_by("pk")[:MAX_SUGGESTIONS]
    )
    suggestions = []
    for candidate in candidates:
        matched_on = []
        if reference and " ".join(candidate.clinic_reference.split()).casefold() == (
            reference.casefold()
        ):
            matched_on.append(PatientMatch.MatchedOn.CLINIC_REFERENCE)
        if patient.name_key and (candidate.name_key, candidate.date_of_birth) == (
            patient.name_key,
            patient.date_of_birth,
        ):
            matched_on.append(PatientMatch.MatchedOn.NAME_AND_BIRTH_DATE)
        suggestions.append(
            PatientMatch(patient=patient, suggested_patient=candidate, matched_on=matched_on)
        )
    for suggestion in suggestions:
        suggestion.save()
    return suggestions


@transaction.atomic
def confirm_match(match, user):
    """The clinician says both records are one person: the new record's visits and follow-ups
    join the existing one, and each visit whose earlier visit changes is screened again
    against it (a recorded act, cause MATCH_CONFIRMED). Returns the re-screened intakes."""
    match = PatientMatch.objects.select_for_update().get(pk=match.pk)
    if match.status != PatientMatch.Status.SUGGESTED:
        return []
    # Either record may have been joined to a third since the suggestion was made.
    joined, into = _current_record(match.patient), _current_record(match.suggested_patient)
    _decide(match, PatientMatch.Status.CONFIRMED, user)
    if joined == into:
        return []
    Intake.objects.filter(patient=joined).update(patient=into)
    FollowUp.objects.filter(patient=joined).update(patient=into)
    joined.merged_into = into
    joined.save(update_fields=["merged_into"])
    return compare_visits_again(into, user)


def _current_record(patient):
    while patient.merged_into_id is not None:
        patient = patient.merged_into
    return patient


@transaction.atomic
def reject_match(match, user):
    match = PatientMatch.objects.select_for_update().get(pk=match.pk)
    if match.status == PatientMatch.Status.SUGGESTED:
        _decide(match, PatientMatch.Status.REJECTED, user)
    return match


def _decide(match, status, user):
    match.status = status
    match.decided_by = user
    match.decided_at = timezone.now()
    match.save(update_fields=["status", "decided_by", "decided_at"])


def compare_visits_again(patient, user):
    """Give each of the patient's visits the visit before it as its earlier visit, and screen
    again those whose earlier visit changed."""
    from intake.submission import record_screening

    visits = list(
        patient.intakes.submitted().order_by("submitted_at", "pk").prefetch_related("medicines")
    )
    rescreened = []
    for previous, visit in zip([None, *visits], visits, strict=False):
        if visit.previous_intake_id == (previous.pk if previous else None):
            continue
        visit.previous_intake = previous
        visit.save(update_fields=["previous_intake"])
        try:
            result = screening.screen(
                visit.as_document(),
                previous=previous.as_document() if previous else None,
            )
        except screening.DocumentError:
            # Stored answers today's rules reject: the earlier screening stands.
            continue
        record_screening(
            visit, result, cause=visit.screenings.model.Cause.MATCH_CONFIRMED, user=user
        )
        rescreened.append((visit, result))
    return [visit for visit, _ in rescreened]
