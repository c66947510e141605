"""How the clinicians' pages name a patient, their clinic number, age and visit kind."""

from django.utils import timezone


def given_name(intake):
    """The name given at this visit, else the matched patient's, else "" (an import may give
    none)."""
    if intake.full_name:
        return intake.full_name
    if intake.patient_id and intake.patient.full_name:
        return intake.patient.full_name
    return ""


def patient_name(intake):
    """The name given, else the clinic number (MRN) that names the patient."""
    if name := given_name(intake):
        return name
    mrn = clinic_number(intake)
    return f"MRN {mrn}" if mrn else "(no name given)"


def clinic_number(intake):
    """The clinic's number for the patient (MRN): given at this visit, else the patient's."""
    if intake.clinic_reference:
        return intake.clinic_reference
    if intake.patient_id:
        return intake.patient.clinic_reference
    return ""


def birth_date(intake):
    if intake.date_of_birth:
        return intake.date_of_birth
    return intake.patient.date_of_birth if intake.patient_id else None


def age(intake, today=None):
    """Whole years today, or None when no birth date is known."""
    born = birth_date(intake)
    if born is None:
        return None
    today = today or timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def visit_kind(intake):
    """ "Check-in", "First visit" or "Return visit"."""
    if intake.is_check_in:
        return "Check-in"
    return "Return visit" if intake.previous_intake_id else "First visit"
