"""The screening as a CDS Hooks-style card on the intake page, reasons in the patient's words.

The page reads the stored result of the current screening; it never re-runs the rules.
"""

from intake import choices
from intake.models import Screening
from intake.review.recording import REVIEWABLE_LEVELS

# CDS Hooks (oih-facts section 7): a card's summary is one sentence under 140 characters,
# its indicator info or warning (critical is not used here).
SUMMARY_LIMIT = 140
CARD_INDICATORS = {Screening.Level.FLAG: "warning", Screening.Level.BORDERLINE: "info"}
CARD_LEADS = {
    Screening.Level.FLAG: "OIH pattern to review",
    Screening.Level.BORDERLINE: "Partial OIH pattern (borderline, lower priority)",
}

# The words patients chose, for evidence answers stored as codes.
EVIDENCE_CHOICES = {
    "dose_change_last_6_months": choices.DoseChange,
    "pain_when_dose_increased": choices.PainResponse,
    "pain_when_dose_decreased": choices.PainResponse,
    "pain_between_doses_or_missed_dose": choices.BetweenDoses,
    "withdrawal_symptoms_between_doses": choices.WithdrawalSymptom,
    "original_pain_sites": choices.BodyRegion,
    "current_pain_sites": choices.BodyRegion,
    "new_regions_since_last_visit": choices.BodyRegion,
    "new_pain_qualities": choices.PainQuality,
    "signs_of_misuse": choices.MisuseSign,
}


def flag_card(screening):
    """The screening as a CDS Hooks-style card, or None when there is nothing to review."""
    if screening is None or screening.level not in REVIEWABLE_LEVELS:
        return None
    reasons = screening.reasons
    return {
        "summary": card_summary(screening.level, reasons),
        "indicator": CARD_INDICATORS[screening.level],
        "level": screening.get_level_display(),
        "reasons": [
            {
                "code": reason["code"],
                "summary": reason["summary"],
                "evidence": evidence_rows(reason.get("evidence") or {}),
                "source": reason.get("source", ""),
            }
            for reason in reasons
        ],
        "rules_version": screening.rules_version,
        "is_repeat_of_reviewed": screening.is_repeat_of_reviewed,
    }


def card_summary(level, reasons):
    """One sentence under SUMMARY_LIMIT characters: the level, then the top reason."""
    lead = CARD_LEADS[level]
    if not reasons:
        return f"{lead}."
    top = reasons[0]["summary"].rstrip(".")
    if top[1:2].islower():
        top = top[0].lower() + top[1:]
    sentence = f"{lead}: {top}."
    if len(sentence) < SUMMARY_LIMIT:
        return sentence
    return sentence[: SUMMARY_LIMIT - 2].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def evidence_rows(evidence):
    """The answers behind a reason as (label, value) pairs, values in the patient's words."""
    # Sorted, since the database does not keep the keys in the order the rules wrote them.
    return [(_key_label(key), _evidence_value(key, evidence[key])) for key in sorted(evidence)]


def _key_label(key):
    return key.replace("_", " ").capitalize()


def _evidence_value(key, value):
    labels = dict(EVIDENCE_CHOICES[key].choices) if key in EVIDENCE_CHOICES else {}
    if isinstance(value, list):
        return ", ".join(str(labels.get(item, item)) for item in value) or "None"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "Not answered"
    return str(labels.get(value, value))
