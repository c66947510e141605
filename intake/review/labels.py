"""How the clinicians' pages name things: patients, levels, alerts and review decisions."""

from intake.models import Review, Screening

ALERT_LABELS = {
    "mme_ge_50": "MME 50 or more",
    "mme_ge_90": "MME 90 or more",
    "mme_not_computable": "MME not computed",
    "withdrawal_after_dose_cut": "Withdrawal after a dose cut (urgent)",
    "misuse_signals": "Misuse signals",
    "data_quality": "Data quality",
}
REVIEW_STATUS = {
    Review.Decision.ACCEPT: "Accepted",
    Review.Decision.OVERRIDE: "Overridden",
    Review.Decision.FOLLOW_UP: "Needs follow-up",
}
LEVEL_LABELS = {
    Screening.Level.FLAG: "Flag",
    Screening.Level.BORDERLINE: "Borderline",
    Screening.Level.NONE: "None",
}


def patient_name(intake):
    """The name given at this visit, else the matched patient's; imports may have neither."""
    if intake.full_name:
        return intake.full_name
    if intake.patient_id and intake.patient.full_name:
        return intake.patient.full_name
    return "(no name given)"
