"""The answers of an intake as labelled rows, in the patient's own words.

Used by the check-your-answers page and by the clinician's intake page, so
both show the same wording.
"""

from intake import choices

YES_NO = {True: "Yes", False: "No", None: ""}


def _labels(choice_class, codes):
    lookup = dict(choice_class.choices)
    return ", ".join(str(lookup.get(code, code)) for code in codes) or "None"


def _label(choice_class, code):
    return str(dict(choice_class.choices).get(code, code)) if code else ""


def _duration(months):
    if months is None:
        return ""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years:g} year{'s' if years != 1 else ''}")
    if rest or not years:
        parts.append(f"{rest:g} month{'s' if rest != 1 else ''}")
    return " and ".join(parts)


def _score(value):
    return "" if value is None else f"{value} out of 10"


def about_rows(intake):
    return [
        ("Name", intake.full_name),
        (
            "Date of birth",
            intake.date_of_birth.strftime("%-d %B %Y") if intake.date_of_birth else "",
        ),
        ("Email", intake.email),
        ("Phone", intake.phone),
        ("Clinic number", intake.clinic_reference),
    ]


def answer_sections(intake):
    weeks = intake.weeks_since_last_dose_change
    return [
        {
            "title": "Opioids over time",
            "slug": "opioid-use",
            "rows": [
                ("Take opioids now", YES_NO[intake.currently_taking_opioids]),
                ("How long on opioids", _duration(intake.months_on_opioids)),
                ("Stopped how long ago", _duration(intake.months_since_stopped)),
                (
                    "Dose in the last 6 months",
                    _label(choices.DoseChange, intake.dose_change_last_6_months),
                ),
                ("Last dose change", "" if weeks is None else f"About {weeks:g} weeks ago"),
            ],
        },
        {
            "title": "Dose changes and your pain",
            "slug": "dose-changes",
            "rows": [
                (
                    "When the dose went up",
                    _label(choices.PainResponse, intake.pain_when_dose_increased),
                ),
                (
                    "When the dose went down",
                    _label(choices.PainResponse, intake.pain_when_dose_decreased),
                ),
                (
                    "Pain before the next dose or a missed dose",
                    _label(choices.BetweenDoses, intake.pain_between_doses_or_missed_dose),
                ),
                (
                    "At those times",
                    _labels(choices.WithdrawalSymptom, intake.withdrawal_symptoms_between_doses),
                ),
            ],
        },
        {
            "title": "Where it hurts",
            "slug": "pain-map",
            "rows": [
                ("Pain now", _labels(choices.BodyRegion, intake.current_pain_sites)),
                ("Where it first started", _labels(choices.BodyRegion, intake.original_pain_sites)),
            ],
        },
        {
            "title": "How it hurts",
            "slug": "pain-details",
            "rows": [
                ("Pain now", _score(intake.pain_score_now)),
                ("Pain before opioids", _score(intake.pain_score_at_start)),
                ("Average pain, past week", _score(intake.peg_pain)),
                ("Pain got in the way of enjoying life", _score(intake.peg_enjoyment)),
                ("Pain got in the way of daily activities", _score(intake.peg_activity)),
                ("New kinds of pain", _labels(choices.PainQuality, intake.new_pain_qualities)),
                (
                    "New injury, surgery or worse health problem",
                    _progression(intake),
                ),
                ("About it", intake.new_injury_details),
            ],
        },
        {
            "title": "Other questions",
            "slug": "other-questions",
            "rows": [
                ("Happened in the past year", _labels(choices.MisuseSign, intake.signs_of_misuse)),
                (
                    "Told you have opioid use disorder",
                    {True: "Yes", False: "No", None: "Rather not say"}[
                        intake.known_opioid_use_disorder
                    ]
                    if "other-questions" in intake.completed_steps
                    else "",
                ),
            ],
        },
    ]


def _progression(intake):
    """Null on a submitted answer is "not sure" (rulings 2026.2, point 10), not "not answered"."""
    answer = intake.new_injury_or_disease_progression
    if answer is None and "pain-details" in intake.completed_steps:
        return "Not sure, or tests are still pending"
    return YES_NO[answer]
