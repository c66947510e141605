"""What needs a look, in words: the worklist's rows and the intake page's alert cards.

Never a code: each item the rules raised becomes a short phrase a clinician reads at a
glance, most pressing first (the order of Screening.Priority).
"""

from intake.models import Screening

URGENT = "critical"
ALERT_HEADINGS = {
    # After a cut, a stop or a switch (follow-up ruling F2); the card names which.
    "withdrawal_after_dose_cut": "Withdrawal after a dose cut, stop or switch: urgent",
    "withdrawal_symptoms_after_change": "Withdrawal symptoms after a dose change: review the taper",
    "misuse_signals": "Misuse signals: OUD assessment",
    "mme_ge_50": "MME 50 or more: pause and reassess",
    # Rulings 18 and 19 (rules 2026.3).
    "sedative_with_opioid": "Sedative with opioids: review the combination",
    "naloxone_not_at_home": "No naloxone at home: offer naloxone",
    "over_label_maximum": "Above a label maximum across products: check the daily total",
    "gabapentinoid_with_opioid": "Gabapentinoid with opioids",
}
# Information: shown on the intake page, not a reason to look (ruling 12).
INFO_CODES = {"mme_ge_50", "gabapentinoid_with_opioid"}
# The rulings 18-19 warnings, in the order a row names them: the overdose risks first.
OTHER_MEDICINE_WARNINGS = ("sedative_with_opioid", "naloxone_not_at_home", "over_label_maximum")
LEVEL_PHRASES = {
    Screening.Level.FLAG: "OIH pattern: review the flag",
    Screening.Level.BORDERLINE: "Partial OIH pattern: borderline",
}


def what_needs_a_look(level, alert_codes, mme_total, mme_items):
    """The phrases for one screening, most pressing first; empty when nothing needs a look.

    `mme_total` is the stored total (None when not computed), `mme_items` the result's
    `mme.items`, for the figure behind an implausible total.
    """
    # Information (ruling 12): shown on the page, not a reason to look.
    codes = set(alert_codes) - INFO_CODES
    phrases = []
    if "withdrawal_after_dose_cut" in codes:
        phrases.append(ALERT_HEADINGS["withdrawal_after_dose_cut"])
    if level == Screening.Level.FLAG:
        phrases.append(LEVEL_PHRASES[level])
    if "withdrawal_symptoms_after_change" in codes:
        phrases.append(ALERT_HEADINGS["withdrawal_symptoms_after_change"])
    phrases += [ALERT_HEADINGS[code] for code in OTHER_MEDICINE_WARNINGS if code in codes]
    mme_phrase = _mme_phrase(codes, mme_total, mme_items)
    if mme_phrase:
        phrases.append(mme_phrase)
    if "misuse_signals" in codes:
        phrases.append(ALERT_HEADINGS["misuse_signals"])
    if level == Screening.Level.BORDERLINE:
        phrases.append(LEVEL_PHRASES[level])
    return phrases


# The urgent card names the change its evidence shows.
URGENT_HEADING_OF_CHANGE = {
    "cut": "Withdrawal after a dose cut: urgent",
    "stop": "Withdrawal after stopping opioids: urgent",
    "switch": "Withdrawal after a switch of opioids: urgent",
}


def alert_heading(code, mme_total, mme_items, evidence=None):
    """The heading of one alert's card on the intake page."""
    if code == "withdrawal_after_dose_cut":
        return URGENT_HEADING_OF_CHANGE.get(
            change_of(evidence or {}), ALERT_HEADINGS["withdrawal_after_dose_cut"]
        )
    if code == "misuse_signals" and (evidence or {}).get("in_oud_care"):
        return "Possible return to use: contact the OUD treatment team"
    if code in ALERT_HEADINGS:
        return ALERT_HEADINGS[code]
    return _mme_phrase({code}, mme_total, mme_items) or code.replace("_", " ").capitalize()


def change_of(evidence):
    """The change a withdrawal alert's evidence shows: a check-in's own, or a visit's answer."""
    if "change" in evidence:
        return evidence["change"]
    is_stop = evidence.get("dose_change_last_6_months") == "stopped" or (
        "months_since_stopped" in evidence
    )
    return "stop" if is_stop else "cut"


def _mme_phrase(codes, mme_total, mme_items):
    """One phrase for the MME alerts: the one that asks the most of the clinician."""
    counted = [item for item in mme_items or [] if item.get("included")]
    if {"mme_not_computable", "data_quality"} & codes:
        if mme_total is None and counted:
            # Over 1,000 MME/day: almost surely a wrong entry (ruling 8).
            entered = sum(item["mme_per_day"] for item in counted)
            return f"MME {figure(entered)}/day: check the entered dose"
        if "mme_not_computable" in codes and mme_total is not None:
            return f"MME at least {figure(mme_total)}/day: a medicine could not be converted"
        if "mme_not_computable" in codes:
            return "MME not computed: check the medicines entered"
        return "Medicine entry to check: dose or unit"
    if "mme_ge_90" in codes:
        return f"MME {figure(mme_total)}/day: 90 or more, avoid or justify"
    if "mme_ge_50" in codes and mme_total is not None:
        return f"MME {figure(mme_total)}/day: 50 or more, pause and reassess"
    return None


def figure(value):
    """1950.0 -> "1,950"; 112.5 -> "112.5"."""
    text = f"{float(value):,.1f}"
    return text[:-2] if text.endswith(".0") else text
