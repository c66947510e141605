"""The intake documents the screening tests start from."""


def make_document(**overrides):
    """A long-term patient at 30 MME/day with stable pain at the original site: no OIH pattern."""
    document = {
        "format": "oih-intake/1",
        "opioids": [
            {
                "name": "morphine",
                "formulation": "extended_release",
                "daily_dose": 30,
                "unit": "mg/day",
            }
        ],
        "currently_taking_opioids": True,
        "months_on_opioids": 12,
        "months_since_stopped": None,
        "dose_change_last_6_months": "stable",
        "weeks_since_last_dose_change": None,
        "pain_when_dose_increased": "not_tried",
        "pain_when_dose_decreased": "not_tried",
        "pain_between_doses_or_missed_dose": "no_change",
        "withdrawal_symptoms_between_doses": [],
        "pain_score_now": 5,
        "pain_score_at_start": 6,
        "original_pain_sites": ["lower_back"],
        "current_pain_sites": ["lower_back"],
        "new_pain_qualities": [],
        "new_injury_or_disease_progression": {"present": False, "details": ""},
        "signs_of_misuse": [],
        "known_opioid_use_disorder": False,
        "peg": {"pain": 5, "enjoyment": 5, "activity": 5},
    }
    document.update(overrides)
    return document


# Worse after an increase, spread, burning, allodynia, above baseline: the full OIH pattern.
OIH_PATTERN = {
    "dose_change_last_6_months": "increased",
    "weeks_since_last_dose_change": 12,
    "pain_when_dose_increased": "worse",
    "pain_score_now": 8,
    "current_pain_sites": ["lower_back", "neck", "upper_back"],
    "new_pain_qualities": ["burning", "allodynia"],
}
# A patient who no longer takes opioids and lists none.
STOPPED = {"currently_taking_opioids": False, "opioids": [], "weeks_since_last_dose_change": None}
# A dose cut two weeks ago with pain worse and withdrawal symptoms: the urgent pattern.
CUT = {
    "dose_change_last_6_months": "decreased",
    "weeks_since_last_dose_change": 2,
    "pain_when_dose_decreased": "worse",
    "withdrawal_symptoms_between_doses": ["sweating", "diarrhoea"],
}


def oih_pattern(**overrides):
    return make_document(**{**OIH_PATTERN, **overrides})


def opioid(name, daily_dose, unit="mg/day", **fields):
    return {"name": name, "daily_dose": daily_dose, "unit": unit, **fields}


def morphine(daily_dose):
    return [opioid("morphine", daily_dose)]


def change_record(**overrides):
    """A check-in's change across visits (`change_between_visits`): morphine 120 to 80 mg/day
    on a known date 2 weeks before the check-in, pain 8 before it."""
    record = {
        "kind": "cut",
        "opioids_before": "morphine 120 mg/day",
        "opioids_after": "morphine 80 mg/day",
        "mme_before": 120.0,
        "mme_before_is_lower_bound": False,
        "mme_after": 80.0,
        "mme_after_is_lower_bound": False,
        "mme_before_in_words": "120 MME/day",
        "mme_after_in_words": "80 MME/day",
        "previous_visit_on": "2026-05-01",
        "first_seen_on": "2026-05-15",
        "changed_on": "2026-05-08",
        "weeks_since": 1.0,
        "window_ends_on": "2026-06-05",
        "is_inside_window": True,
        "pain_before": 8,
        "pain_now": 8,
        "counts_as_dose_response": True,
        "is_tolerance_lost": False,
    }
    record.update(overrides)
    return record
