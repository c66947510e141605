"""How the clinicians' pages name a patient."""


def patient_name(intake):
    """The name given at this visit, else the matched patient's; imports may have neither."""
    if intake.full_name:
        return intake.full_name
    if intake.patient_id and intake.patient.full_name:
        return intake.patient.full_name
    return "(no name given)"
