"""The answers of an intake as labelled rows, in the patient's own words.

Used by the check-your-answers page and by the clinician's intake page, so
both show the same wording.
"""

import datetime
from decimal import Decimal

from django.utils import dateformat, formats, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from intake import answers, choices, medicines

# Labels are lazy: the patient's check page shows them in the patient's language, the
# clinician's pages (always English) in English. The journey matches rows to its pages
# by the English label (intake/journey/views.py), never by the words shown.
YES_NO = {True: _("Yes"), False: _("No"), None: ""}


class TypedText(str):
    """An answer the patient typed: shown as typed, never translated, so the clinician's
    pages can mark the language it was typed in."""

    is_typed = True


def _labels(choice_class, codes):
    lookup = dict(choice_class.choices)
    return ", ".join(str(lookup.get(code, code)) for code in codes) or str(_("None"))


def _label(choice_class, code):
    return str(dict(choice_class.choices).get(code, code)) if code else ""


ANSWER_BY_KEY = {answer.key: answer for answer in answers.ANSWERS}


def _words(intake, key):
    """A coded answer in the words of its choices, as the answer table (intake.answers) names
    its field and choices: one code, or several joined ("None" for none)."""
    answer = ANSWER_BY_KEY[key]
    choice_class = getattr(choices, answer.choices)
    value = getattr(intake, answer.fields[0])
    return _labels(choice_class, value) if answer.repeats else _label(choice_class, value)


def _plural(value):
    # Only exactly one is singular: 1.5 months is plural in both languages.
    return 1 if value == 1 else 2


def _time_ago(intake, weeks):
    """ "About 6 months ago", in the unit the patient chose; weeks when none was (imported)."""
    if weeks is None:
        return ""
    number, unit = intake.dose_change_ago, intake.dose_change_ago_unit
    if number is None or not unit:
        number, unit = weeks, "weeks"
    values = {"number": f"{float(number):g}", "weeks": f"{float(number):g}"}
    count = _plural(number)
    if unit == "days":
        return ngettext("About %(number)s day ago", "About %(number)s days ago", count) % values
    if unit == "months":
        return ngettext("About %(number)s month ago", "About %(number)s months ago", count) % values
    if unit == "years":
        return ngettext("About %(number)s year ago", "About %(number)s years ago", count) % values
    return ngettext("About %(weeks)s week ago", "About %(weeks)s weeks ago", count) % values


class NotAsked(str):
    """An answer to a question the form did not ask (it depends on an earlier answer): blank
    for the patient's pages, "Not asked" on the clinician's, never "Not answered"."""

    is_not_asked = True


NOT_ASKED = NotAsked("")
DAYS_PER_MONTH = 365.25 / 12


def _duration(months):
    if months is None:
        return ""
    if 0 < months < 1:
        # A few days reads better in days than as "0.3 months".
        days = max(1, round(float(months) * DAYS_PER_MONTH))
        return ngettext("about %(count)s day", "about %(count)s days", _plural(days)) % {
            "count": days
        }
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(
            ngettext("%(count)s year", "%(count)s years", _plural(years))
            % {"count": f"{float(years):g}"}
        )
    if rest or not years:
        parts.append(
            ngettext("%(count)s month", "%(count)s months", _plural(rest))
            % {"count": f"{float(rest):g}"}
        )
    return str(_(" and ")).join(parts)


def _score(value):
    return "" if value is None else _("%(score)s out of 10") % {"score": value}


def about_rows(intake):
    return [
        (_("Name"), intake.full_name),
        (
            _("Date of birth"),
            formats.date_format(intake.date_of_birth, "DATE_FORMAT")
            if intake.date_of_birth
            else "",
        ),
        (_("Email"), intake.email),
        (_("Phone"), intake.phone),
        (_("Clinic number"), intake.clinic_reference),
    ]


def answer_sections(intake):
    weeks = intake.weeks_since_last_dose_change
    change = intake.change_between_visits
    opioid_rows = [
        (_("Take opioids now"), YES_NO[intake.currently_taking_opioids]),
        (_("How long on opioids"), _duration(intake.months_on_opioids)),
        (
            _("Stopped how long ago"),
            NOT_ASKED
            if intake.currently_taking_opioids and intake.months_since_stopped is None
            else _duration(intake.months_since_stopped),
        ),
        (
            _("Dose in the last 6 months"),
            _words(intake, "dose_change_last_6_months"),
        ),
        (
            _("Last dose change"),
            (NOT_ASKED if intake.dose_change_last_6_months in ("stable", "unknown", "") else "")
            if weeks is None
            else _time_ago(intake, weeks),
        ),
    ]
    if change is not None:
        # A check-in's derived change: shown on the clinician's pages only (in English), where
        # it replaces the rough "last dose change" with what the visits show.
        opioid_rows[-1] = ("Last dose change", _change_timing(change))
        opioid_rows.append(("Change between visits", _change_words(change)))
    return [
        {
            "title": _("Opioids over time"),
            "slug": "opioid-use",
            "rows": opioid_rows,
        },
        {
            "title": _("Dose changes and your pain"),
            "slug": "dose-changes",
            "rows": [
                (
                    _("When the dose went up"),
                    _words(intake, "pain_when_dose_increased"),
                ),
                (
                    _("When the dose went down"),
                    _words(intake, "pain_when_dose_decreased"),
                ),
                (
                    _("Pain before the next dose or a missed dose"),
                    _words(intake, "pain_between_doses_or_missed_dose"),
                ),
                (
                    # A check-in asks about the past week, not the time before a dose.
                    _("In the past week") if intake.is_check_in else _("At those times"),
                    _words(intake, "withdrawal_symptoms_between_doses"),
                ),
            ],
        },
        {
            "title": _("Where it hurts"),
            "slug": "pain-map",
            "rows": [
                (_("Pain now"), _words(intake, "current_pain_sites")),
                (
                    _("Where it first started"),
                    _words(intake, "original_pain_sites"),
                ),
            ],
        },
        {
            "title": _("How it hurts"),
            "slug": "pain-details",
            "rows": [
                (_("Pain now"), _score(intake.pain_score_now)),
                (_("Pain before opioids"), _score(intake.pain_score_at_start)),
                (_("Average pain, past week"), _score(intake.peg_pain)),
                (_("Pain got in the way of enjoying life"), _score(intake.peg_enjoyment)),
                (_("Pain got in the way of daily activities"), _score(intake.peg_activity)),
                (_("New kinds of pain"), _words(intake, "new_pain_qualities")),
                (
                    _("New injury, surgery or worse health problem"),
                    _progression(intake),
                ),
                (
                    _("About it"),
                    TypedText(intake.new_injury_details)
                    if intake.new_injury_details or intake.new_injury_or_disease_progression
                    else NOT_ASKED,
                ),
                *(
                    [("Anything new since the last visit", YES_NO[intake.has_something_new])]
                    if intake.is_check_in
                    else []
                ),
            ],
        },
        {
            "title": _("Other questions"),
            "slug": "other-questions",
            "rows": [
                (
                    _("Happened in the past year"),
                    _words(intake, "signs_of_misuse"),
                ),
                (
                    _("Told you have opioid use disorder"),
                    {True: _("Yes"), False: _("No"), None: _("Rather not say")}[
                        intake.known_opioid_use_disorder
                    ]
                    if "oud" in intake.completed_steps
                    else "",
                ),
            ],
        },
        {
            "title": _("Other medicines"),
            "slug": "other-medicines",
            "rows": _other_medicines_rows(intake)
            + (
                # Not asked again at a check-in (clinician's pages only, in English).
                [("Other medicines asked at this check-in", "No: carried from the last visit")]
                if intake.is_check_in
                else []
            ),
        },
    ]


def clinician_answer_sections(intake):
    """The answers as the clinician's pages show them: the patient's sections, then the
    questions a deployment added to the answer table (intake.answers), where there are any."""
    sections = answer_sections(intake)
    added = [answer for answer in answers.answer_table() if not answer.fields]
    if added:
        sections.append(
            {
                "title": "More answers",
                "slug": "more-answers",
                "rows": [(answer.label, _added_answer_words(intake, answer)) for answer in added],
            }
        )
    return sections


def _added_answer_words(intake, answer):
    """An added question's answer in words (English: the clinician's pages only)."""
    value = intake.document_value(answer)
    words = dict(getattr(choices, answer.choices).choices) if answer.choices else {}
    if value is None or value == []:
        return ""
    if answer.kind == answers.YES_NO:
        return "Yes" if value else "No"
    if answer.kind == answers.SCORE:
        return f"{value} out of 10"
    if answer.kind == answers.NUMBER:
        return f"{float(value):g}"
    if answer.kind == answers.TEXT:
        return TypedText(value)
    if answer.kind == answers.CHOICES:
        return ", ".join(str(words.get(code, code)) for code in value)
    return str(words.get(value, value))


def _other_medicines_rows(intake):
    """The "Other medicines" page's answers: ticked and typed, as the patient gave them (an
    imported intake has only the document's list, shown by name)."""
    if "other-medicines" not in intake.completed_steps:
        return [(_("Other medicines"), ""), (_("Naloxone (Narcan) at home"), "")]
    # "None of these" reads "None", as an imported empty list does: the same words either way.
    ticked = [code for code in intake.other_medicines_ticked if code != choices.OtherMedicine.NONE]
    shown = [str(_label(choices.OtherMedicine, code)) for code in ticked]
    if intake.other_medicines_typed:
        shown.append(TypedText(intake.other_medicines_typed))
    if not ticked and not intake.other_medicines_typed:
        # An imported empty list is the web form's "None of these", said in the same words.
        shown = [item["name"] for item in intake.other_medicines] or [
            str(choices.OtherMedicine.NONE.label)
        ]
    return [
        (_("Other medicines"), ", ".join(shown)),
        (_("Naloxone (Narcan) at home"), _words(intake, "naloxone_at_home")),
    ]


def _progression(intake):
    """Null on a submitted answer is "not sure" (rulings 2026.2, point 10), not "not answered"."""
    answer = intake.new_injury_or_disease_progression
    if answer is None and "new-injury" in intake.completed_steps:
        return _("Not sure, or I am waiting for test results")
    return YES_NO[answer]


CHANGE_KIND_WORDS = {
    "cut": "Dose cut",
    "increase": "Dose increase",
    "stop": "Stopped",
    "switch": "Switched (not a dose change: no dose response)",
    "start": "Started",
}


def _change_words(change):
    return (
        f"{CHANGE_KIND_WORDS.get(change['kind'], change['kind'])}: "
        f"{change['opioids_before']} to {change['opioids_after']}"
    )


def _change_timing(change):
    weeks = f"{change['weeks_since']:g}"
    if change["changed_on"]:
        return f"{_iso_day(change['changed_on'])}, about {weeks} weeks ago"
    return (
        f"Date not known: between {_iso_day(change['previous_visit_on'])} and "
        f"{_iso_day(change['first_seen_on'])}, so at least {weeks} weeks ago"
    )


def _iso_day(text):
    return dateformat.format(datetime.date.fromisoformat(text), "j M Y")


# ---------------------------------------------------------------- medicines as entered

# What the clinician sees beside a medicine the patient said was right (never the patient).
CONFIRMATION_NOTES = {
    "above_label_maximum": "above the label's usual maximum",
    "strength_not_sold": "a strength not on the product list",
}


def medicine_as_entered(medicine):
    """The medicine as the patient entered it, in the page's language:
    "Percocet 5 mg/325 mg, 1 tablet 4 times a day". One entered before the product list (or
    imported without one) shows its daily total instead."""
    product = medicines.get_product(medicine.product) if medicine.product else None
    schedule = medicine.schedule or {}
    if product is None:
        if medicine.strength_label:
            return _unlisted_as_entered(medicine, schedule)
        return _daily_total(medicine)
    strength = next(
        (s.display for s in product.strengths if s.label == medicine.strength_label),
        medicine.strength_label,
    )
    name = f"{product.name_in(translation.get_language())} {strength}"
    if product.is_patch:
        days = schedule.get("change_every_days")
        patches = schedule.get("patches") or 1
        if patches != 1:
            return _patches_as_entered(product, name, patches, days)
        if product.says_patch:
            # "Fentanyl patch 25 mcg/hr": its name already says patch, so it is not said twice.
            if days is None:
                return name
            return ngettext(
                "%(name)s, changed every day",
                "%(name)s, changed every %(count)s days",
                _plural(days),
            ) % {"name": name, "count": _n(days)}
        if days is None:
            return _("%(name)s patch") % {"name": name}
        return ngettext(
            "%(name)s patch, changed every day",
            "%(name)s patch, changed every %(count)s days",
            _plural(days),
        ) % {"name": name, "count": _n(days)}
    if product.is_injection:
        days = schedule.get("change_every_days")
        if days is None:
            return _("%(name)s injection") % {"name": name}
        return ngettext(
            "%(name)s injection, every day",
            "%(name)s injection, every %(count)s days",
            _plural(days),
        ) % {"name": name, "count": _n(days)}
    if schedule.get("as_needed") and schedule.get("most_times_per_day") is not None:
        return _("%(name)s, %(amount)s at a time as needed, up to %(times)s") % {
            "name": name,
            "amount": _units(product, schedule.get("amount")),
            "times": _times(schedule["most_times_per_day"]),
        }
    if schedule.get("as_needed"):
        most = _units(product, schedule.get("up_to_per_day"))
        amount = schedule.get("amount")
        if amount is None:
            return _("%(name)s, as needed, up to %(most)s a day") % {"name": name, "most": most}
        return _("%(name)s, %(amount)s at a time as needed, up to %(most)s a day") % {
            "name": name,
            "amount": _units(product, amount),
            "most": most,
        }
    return _("%(name)s, %(amount)s %(times)s") % {
        "name": name,
        "amount": _units(product, schedule.get("amount")),
        "times": _times(schedule.get("times_per_day")),
    }


def _patches_as_entered(product, name, patches, days):
    """ "Duragesic 25 mcg/hr, 2 patches at a time, changed every 3 days"."""
    values = {"name": name, "patches": _units(product, patches)}
    if days is None:
        return _("%(name)s, %(patches)s at a time") % values
    return ngettext(
        "%(name)s, %(patches)s at a time, changed every day",
        "%(name)s, %(patches)s at a time, changed every %(count)s days",
        _plural(days),
    ) % {**values, "count": _n(days)}


def medicine_daily_dose(medicine):
    """The opioid part a day, worked out from what was entered: "20 mg of oxycodone a day"."""
    values = {"dose": _n(medicine.daily_dose), "drug": medicine.get_name_display().lower()}
    if medicine.name == choices.OpioidName.OTHER:
        return ""
    if medicine.unit == choices.DoseUnit.MCG_PER_HOUR:
        return _("%(dose)s mcg an hour of %(drug)s") % values
    product = medicines.get_product(medicine.product) if medicine.product else None
    if product is not None and product.counted_as:
        # Xtampza ER 36 mg twice a day is counted as 80 mg of oxycodone (hydrochloride):
        # said so, so that 80 is not read as a mistake for 72.
        return _("the same as %(dose)s mg of %(drug)s a day") % values
    return _("%(dose)s mg of %(drug)s a day") % values


def _unlisted_as_entered(medicine, schedule):
    name = medicines.unlisted_label(medicine.other_name, medicine.strength_label)
    if schedule.get("as_needed") and schedule.get("most_times_per_day") is not None:
        return _("%(name)s, %(amount)s at a time as needed, up to %(times)s") % {
            "name": name,
            "amount": _n(schedule.get("amount")),
            "times": _times(schedule["most_times_per_day"]),
        }
    if schedule.get("as_needed"):
        return _("%(name)s, as needed, up to %(most)s a day") % {
            "name": name,
            "most": _n(schedule.get("up_to_per_day")),
        }
    if schedule.get("times_per_day") is not None:
        return _("%(name)s, %(amount)s at a time, %(times)s") % {
            "name": name,
            "amount": _n(schedule.get("amount")),
            "times": _times(schedule.get("times_per_day")),
        }
    return name


def _daily_total(medicine):
    values = {"name": medicine.display_name, "dose": _n(medicine.daily_dose)}
    if medicine.unit == choices.DoseUnit.MCG_PER_HOUR:
        return _("%(name)s, %(dose)s mcg an hour") % values
    return _("%(name)s, %(dose)s mg a day") % values


def _units(product, count):
    if count is None:
        return ""
    if product.is_liquid:
        return _("%(count)s mL") % {"count": _n(count)}
    words = {
        "tablet": ngettext("%(count)s tablet", "%(count)s tablets", _plural(count)),
        "capsule": ngettext("%(count)s capsule", "%(count)s capsules", _plural(count)),
        "film": ngettext("%(count)s film", "%(count)s films", _plural(count)),
        "patch": ngettext("%(count)s patch", "%(count)s patches", _plural(count)),
        "injection": ngettext("%(count)s injection", "%(count)s injections", _plural(count)),
    }
    return words[product.form] % {"count": _n(count)}


def _times(times_per_day):
    if times_per_day is None:
        return ""
    if times_per_day == 1:
        return str(_("once a day"))
    if times_per_day == 2:
        return str(_("twice a day"))
    return _("%(count)s times a day") % {"count": _n(times_per_day)}


def _n(value):
    """A number as a person writes it: 2, 2.5, 0.075."""
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")
