"""The screening as a CDS Hooks-style card on the intake page, reasons in the patient's words.

The page reads the stored result of the current screening; it never re-runs the rules.
"""

import datetime

from intake import answers, choices
from intake.models import Screening
from intake.review.recording import REVIEWABLE_LEVELS
from intake.screening.follow_up import FORMULATION_WORDS
from intake.screening.rules import (
    BASELINE_MINOR_CODE,
    MAJOR_CODES,
    PARTIAL_MAJOR_CODES,
    SPECIFIC_MINOR_CODES,
)

# CDS Hooks (oih-facts section 7): a card's summary is one sentence under 140 characters,
# its indicator info or warning (critical is not used here).
SUMMARY_LIMIT = 140
CARD_INDICATORS = {Screening.Level.FLAG: "warning", Screening.Level.BORDERLINE: "info"}
CARD_LEADS = {
    Screening.Level.FLAG: "OIH pattern to review",
    Screening.Level.BORDERLINE: "Partial OIH pattern (borderline, lower priority)",
}


# The words patients chose, for evidence answers stored as codes: the answer table's coded
# answers, and the rules' own evidence keys that hold the same codes.
def evidence_choices():
    return {
        **{
            answer.key: getattr(choices, answer.choices)
            for answer in answers.answer_table()
            if answer.choices
        },
        "withdrawal_symptoms_in_the_past_week": choices.WithdrawalSymptom,
        "new_regions_since_last_visit": choices.BodyRegion,
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
        "reasons": reason_rows(reasons),
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


# The order a withdrawal alert's evidence reads in: what changed, when, then pain and symptoms.
EVIDENCE_ORDER = (
    "change",
    "opioids_before",
    "opioids_after",
    "mme_before",
    "mme_after",
    "changed_on",
    "date_not_known_between",
    "weeks_since_change",
    "withdrawal_window_ends_on",
    "dose_change_last_6_months",
    "weeks_since_last_dose_change",
    "months_since_stopped",
    "pain_when_dose_decreased",
    "pain_before",
    "pain_now",
    "withdrawal_symptoms_in_the_past_week",
    "withdrawal_symptoms_between_doses",
)


def evidence_rows(evidence):
    """The answers behind a reason as (label, value) pairs, values in the patient's words."""
    # In a fixed order, since the database does not keep the keys in the order the rules
    # wrote them: the known ones first, the rest alphabetically.
    ordered = sorted(
        evidence,
        key=lambda key: (
            EVIDENCE_ORDER.index(key) if key in EVIDENCE_ORDER else len(EVIDENCE_ORDER),
            key,
        ),
    )
    return [(_key_label(key), _evidence_value(key, evidence[key])) for key in ordered]


MONTH_KEYS = ("months_since_stopped", "months_on_opioids")
# Evidence keys read better in the form's words than as the document's keys.
KEY_LABELS = {
    "new_injury_or_disease_progression.present": "New injury or disease progression",
    # Durations: as the answer table labels them (intake.answers).
    **{answer.key: answer.label for answer in answers.ANSWERS if answer.key in MONTH_KEYS},
}
# Ruling 10: no answer on progression means the patient chose "Not sure" (or tests pending).
NULL_WORDS = {"new_injury_or_disease_progression.present": "Not sure"}
DAYS_PER_MONTH = 365.25 / 12


def _key_label(key):
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    return key.replace("_", " ").capitalize().replace("Mme ", "MME ")


def duration_words(months):
    """0.3 -> "about 9 days"; 1 -> "1 month"; 2.5 -> "2.5 months": under a month, in days."""
    if months < 1:
        days = max(1, round(months * DAYS_PER_MONTH))
        return f"about {days} day{'s' if days != 1 else ''}"
    return f"{months:g} month{'s' if months != 1 else ''}"


def _evidence_value(key, value):
    if value is None and key in NULL_WORDS:
        return NULL_WORDS[key]
    if key in MONTH_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
        return duration_words(value)
    known = evidence_choices()
    labels = dict(known[key].choices) if key in known else {}
    if isinstance(value, list):
        return ", ".join(_evidence_value(key, item) for item in value) or "None"
    if isinstance(value, dict) and "label_maximum_mg_per_day" in value:
        # Ruling 18: an ingredient's daily sum, its maximum and the products it comes from.
        return (
            f"{value['mg_per_day']:,} mg/day, label maximum "
            f"{value['label_maximum_mg_per_day']:,} mg/day ({'; '.join(value['products'])})"
        )
    if isinstance(value, dict):
        return _item_words(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "Not answered"
    if key.endswith("_on") and isinstance(value, str):
        return _day(value)
    if key == "date_not_known_between" and isinstance(value, str):
        return " and ".join(_day(part) for part in value.split(" and "))
    return str(labels.get(value, value))


def _item_words(item):
    """An opioid as listed ("morphine 60 mg/day, extended release"), or any other object as
    its keys and values: evidence may hold whole items (a medicine listed twice)."""
    if "name" in item and "daily_dose" in item:
        name = item.get("other_name") or item["name"]
        dose = item["daily_dose"]
        dose = f"{dose:g}" if isinstance(dose, int | float) else str(dose)
        words = f"{name} {dose} {item.get('unit') or ''}".strip()
        form = FORMULATION_WORDS.get(item.get("formulation") or "")
        return f"{words}, {form}" if form else words
    return "; ".join(f"{_key_label(key)}: {_evidence_value(key, item[key])}" for key in item)


def _day(text):
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day} {day:%b %Y}"


# The reasons that are OIH features (section 4 step 3), or an answer the rulings set aside.
FEATURE_CODES = (
    *MAJOR_CODES,
    *PARTIAL_MAJOR_CODES,
    *SPECIFIC_MINOR_CODES,
    BASELINE_MINOR_CODE,
    "pain_better_inside_withdrawal_window",
)


def features_seen(reasons):
    """The OIH features among a screening's reasons, each with its evidence: what ruling 4
    keeps listed when the withdrawal window sets them aside."""
    return [
        {
            "code": reason["code"],
            "summary": reason["summary"],
            "evidence": evidence_rows(reason.get("evidence") or {}),
        }
        for reason in reasons
        if reason["code"] in FEATURE_CODES
    ]


def reason_rows(reasons):
    """Every reason as the cards show it: summary, evidence rows and source."""
    return [
        {
            "code": reason["code"],
            "summary": reason["summary"],
            "evidence": evidence_rows(reason.get("evidence") or {}),
            "source": reason.get("source", ""),
        }
        for reason in reasons
    ]
