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
