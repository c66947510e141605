"""Alerts: findings that are not OIH but need a clinician (oih-facts section 4 and 5).

Each alert is a CDS Hooks-style card: code, indicator, summary and source. The indicator follows
ruling 12: `critical` for the urgent withdrawal alert, `warning` for what a clinician must review,
`info` for the 50 MME/day reminder. The withdrawal alerts also carry their `evidence` (the change,
its date, the pain and the symptoms), so that their card explains itself.
"""

import datetime
from decimal import Decimal

from .mme import (
    MAX_PLAUSIBLE_MME_PER_DAY,
    WHY_BUPRENORPHINE,
    WHY_NOT_CONVERTIBLE,
    WHY_OUD_TREATMENT,
    conversion_problem,
    is_taking_now,
    measure_mme,
    unit_problem,
)
from .other_medicines import (
    SOURCE_GABAPENTINOID,
    SOURCE_LABEL_MAXIMUM,
    SOURCE_NALOXONE,
    SOURCE_SEDATIVE,
    gabapentinoids,
    ingredients_over_label_maximum,
    is_on_opioids,
    sedatives,
)
from .rules import CHANGE_WORDS, weeks_since_last_change, withdrawal_after_change

# CDC 2022 (oih-facts section 5): about 50 MME/day is the "pause and reassess" level.
MME_PAUSE_AND_REASSESS = 50
# CDC 2016 (oih-facts section 5): 90 MME/day is the "avoid or justify" level.
MME_AVOID_OR_JUSTIFY = 90
# Ruling 17: a full stop from >= 50 MME/day loses tolerance; a return to use risks an overdose.
TOLERANCE_LOSS_MME = MME_PAUSE_AND_REASSESS

# CDS Hooks (oih-facts section 7): a card's summary is under 140 characters.
SUMMARY_LIMIT = 140

# Ruling 12: the weight of each alert.
CRITICAL, WARNING, INFO = "critical", "warning", "info"
ALERT_INDICATOR = {
    "mme_ge_50": INFO,
    "mme_ge_90": WARNING,
    "mme_not_computable": WARNING,
    "withdrawal_after_dose_cut": CRITICAL,
    "misuse_signals": WARNING,
    "data_quality": WARNING,
    # Ruling 17 (rules 2026.3).
    "withdrawal_symptoms_after_change": WARNING,
    # Rulings 18 and 19 (rules 2026.3).
    "over_label_maximum": WARNING,
    "sedative_with_opioid": WARNING,
    "gabapentinoid_with_opioid": INFO,
    "naloxone_not_at_home": WARNING,
}
# The codes a clinician must see, by weight: the worklist's priority (Screening.priority),
# the urgent email and the evidence a review covers all read these, so a new alert is one
# entry above. Lists, in this order, because the database's priority expression holds them.
URGENT_ALERT_CODES = [code for code, indicator in ALERT_INDICATOR.items() if indicator == CRITICAL]
WARNING_ALERT_CODES = [code for code, indicator in ALERT_INDICATOR.items() if indicator == WARNING]

SOURCE_MME_2022 = "CDC 2022 guideline, MMWR Recomm Rep 2022;71(RR-3); oih-facts section 5"
SOURCE_MME_2016 = "CDC 2016 guideline, MMWR Recomm Rep 2016;65(1); oih-facts section 5"
SOURCE_TAPER = "CDC 2022 Recommendation 5; FDA abrupt-discontinuation warnings; oih-facts 1, 4"
SOURCE_OUD = "CDC 2022 guideline, MMWR Recomm Rep 2022;71(RR-3); oih-facts section 3 point 6"
SOURCE_DATA = "oih-facts section 4 step 0 and rulings 2026.2, points 8 and 11"


def build_alerts(doc, mme):
    """Every alert that applies to a validated document, in the order of ALERT_CODES."""
    alerts = _mme_alerts(mme) + [
        _not_computable_alert(doc, mme),
        _withdrawal_alert(doc),
        _withdrawal_symptoms_alert(doc),
        _misuse_alert(doc),
        _data_quality_alert(doc, mme),
        _over_label_maximum_alert(doc),
        _sedative_alert(doc),
        _gabapentinoid_alert(doc),
        _naloxone_alert(doc, mme),
    ]
    return [alert for alert in alerts if alert is not None]


def _mme_alerts(mme):
    # Ruling 9: the thresholds see the exact sum; ruling 8: a lower bound counts too.
    exact = mme["exact_total"]
    if mme["total_per_day"] is None or exact < MME_PAUSE_AND_REASSESS:
        return []
    shown = f"{mme['total_per_day']:,}"
    amount = f"at least {shown}" if mme["lower_bound"] else shown
    caveat = _left_out_caveat(mme)
    alerts = [
        _alert(
            "mme_ge_50",
            f"Estimated {amount} MME/day is at or above 50, the CDC 2022 pause-and-reassess "
            f"level{caveat}.",
            SOURCE_MME_2022,
        )
    ]
    if exact >= MME_AVOID_OR_JUSTIFY:
        alerts.append(
            _alert(
                "mme_ge_90",
                f"Estimated {amount} MME/day is at or above 90, the CDC 2016 avoid-or-justify "
                f"level{caveat}.",
                SOURCE_MME_2016,
            )
        )
    return alerts


def _left_out_caveat(mme):
    left_out = {item.get("why") for item in mme["items"]}
    names = []
    if WHY_BUPRENORPHINE in left_out:
        names.append("buprenorphine")
    if WHY_OUD_TREATMENT in left_out:
        names.append("OUD treatment")
    if WHY_NOT_CONVERTIBLE in left_out:
        names.append("an unconverted item")
    return f"; {' and '.join(names)} not included" if names else ""


def _not_computable_alert(doc, mme):
    causes = not_computable_causes(doc, mme)
    if not causes:
        return None
    # Ruling 8: with a lower bound the other items are still counted, and the card says so.
    lead = "MME total is only a lower bound" if mme["lower_bound"] else "MME not computed"
    return _alert("mme_not_computable", f"{lead}: {'; '.join(causes)}.", SOURCE_MME_2022)


def not_computable_causes(doc, mme):
    """Why the MME total is missing or only a lower bound, one short phrase per cause."""
    causes = [
        conversion_problem(opioid)
        for opioid, item in zip(doc["opioids"], mme["items"], strict=True)
        if item.get("why") == WHY_NOT_CONVERTIBLE
    ]
    if _is_implausible(mme):
        causes.append(
            f"the total of {_exact_shown(mme)} is over {MAX_PLAUSIBLE_MME_PER_DAY:,} MME/day"
        )
    return list(dict.fromkeys(causes))


def _withdrawal_alert(doc):
    """Ruling 4 and F2: pain worse with withdrawal symptoms after a recent cut, stop or switch."""
    found = withdrawal_after_change(doc)
    if found is None or not found["is_pain_worse"]:
        return None
    kind = found["kind"]
    act = {"cut": "review the taper now", "switch": "review the switch now"}.get(kind, "review now")
    summary = (
        f"Urgent: pain worse with withdrawal symptoms after {CHANGE_WORDS[kind]} "
        f"{_when(doc)}; {act}.{_tolerance_lost(doc, kind)}"
    )
    return _alert("withdrawal_after_dose_cut", summary, SOURCE_TAPER, found["evidence"])


def _withdrawal_symptoms_alert(doc):
    """Ruling 17: withdrawal symptoms after a recent cut, stop or switch, pain not worse."""
    found = withdrawal_after_change(doc)
    if found is None or found["is_pain_worse"]:
        return None
    kind = found["kind"]
    act = "review withdrawal support" if kind == "stop" else "consider slowing or pausing the taper"
    summary = (
        f"Withdrawal symptoms after {CHANGE_WORDS[kind]} {_when(doc)}, pain not worse: "
        f"{act}.{_tolerance_lost(doc, kind)}"
    )
    return _alert("withdrawal_symptoms_after_change", summary, SOURCE_TAPER, found["evidence"])


def _when(doc):
    change = doc["change_between_visits"]
    if change is not None:
        weeks = change["weeks_since"]
        if change["changed_on"]:
            return (
                f"on {_day(change['changed_on'])} ({weeks:g} week{'' if weeks == 1 else 's'} ago)"
            )
        # F3: the window of an undated change runs from the visit where it was first seen.
        return f"on a date not known, first seen {_day(change['first_seen_on'])}"
    if weeks_since_last_change(doc) is None:
        return "of unknown timing"
    return "in about the last 4 weeks"


def _day(iso_date):
    day = datetime.date.fromisoformat(iso_date)
    return f"{day.day} {day:%b %Y}"


def _tolerance_lost(doc, kind):
    """Ruling 17: after a full stop from >= 50 MME/day, one more sentence."""
    if kind != "stop":
        return ""
    change = doc["change_between_visits"]
    if change is not None:
        is_lost = change["is_tolerance_lost"]
    else:
        # A patient who stopped lists what they took (ruling 11): measured as if taken now.
        is_lost = measure_mme(doc["opioids"])["exact_total"] >= Decimal(TOLERANCE_LOSS_MME)
    if not is_lost:
        return ""
    return " Tolerance is lost: overdose risk rises if the old dose is taken again."


def _misuse_alert(doc):
    # Ruling 5: only the answers in `signs_of_misuse` are misuse signals; known OUD and OUD
    # treatment are not.
    if not doc["signs_of_misuse"]:
        return None
    in_oud_treatment = doc.get("known_opioid_use_disorder") is True or any(
        opioid.get("purpose") == "oud_treatment" for opioid in doc["opioids"]
    )
    if in_oud_treatment and RETURN_TO_USE_SIGNS & set(doc["signs_of_misuse"]):
        # Someone already in OUD care needs their treatment team, not a first assessment.
        return _alert(
            "misuse_signals",
            "Opioids not prescribed, in a patient with OUD: possible return to use; "
            "contact the OUD treatment team.",
            SOURCE_OUD,
            {"signs_of_misuse": list(doc["signs_of_misuse"]), "in_oud_care": True},
        )
    return _alert(
        "misuse_signals",
        "Signs of opioid misuse reported: consider an OUD assessment, separate from OIH.",
        SOURCE_OUD,
    )


# Misuse signs that, in a patient already in OUD care, point to a return to use.
RETURN_TO_USE_SIGNS = frozenset({"using_opioids_from_other_sources"})


def _data_quality_alert(doc, mme):
    problems = data_quality_problems(doc, mme)
    if not problems:
        return None
    # Every problem is listed, so with several the summary may pass 140 characters.
    return _alert("data_quality", f"Check the entered data: {'; '.join(problems)}.", SOURCE_DATA)


def data_quality_problems(doc, mme):
    """Ruling 11: only the MME problems of step 0 and ruling 8, one short phrase each."""
    if not is_taking_now(doc):
        # Ruling 11: past opioids of someone who has stopped are history, not a data problem.
        return []
    problems = []
    for opioid, item in zip(doc["opioids"], mme["items"], strict=True):
        if item.get("why") == WHY_NOT_CONVERTIBLE:
            problems.append(conversion_problem(opioid))
        elif unit_problem(opioid):
            # Ruling 16: a unit that does not fit the drug and its form is a data problem for
            # every item, buprenorphine and OUD treatment included, though those are never
            # added and never make the total non-computable (rulings 6 and 7).
            problems.append(unit_problem(opioid))
    if _is_implausible(mme):
        problems.append(f"a total of {_exact_shown(mme)} MME/day is implausible")
    return list(dict.fromkeys(problems))


def _over_label_maximum_alert(doc):
    """Ruling 18: one ingredient summed over every product, above its label maximum."""
    found = ingredients_over_label_maximum(doc)
    if not found:
        return None

    def sentence(item, products):
        return (
            f"{item['ingredient']} {item['mg_per_day']:,} mg/day{products}, above its "
            f"{item['label_maximum_mg_per_day']:,} mg/day label maximum"
        )

    named = "; ".join(sentence(item, f" ({' + '.join(_labels(item))})") for item in found)
    unnamed = "; ".join(sentence(item, "") for item in found)
    evidence = {
        item["ingredient"]: {key: value for key, value in item.items() if key != "ingredient"}
        for item in found
    }
    return _alert(
        "over_label_maximum",
        _short(f"{named[0].upper()}{named[1:]}.", f"{unnamed[0].upper()}{unnamed[1:]}."),
        SOURCE_LABEL_MAXIMUM,
        evidence,
    )


def _labels(item):
    return [product.rsplit(": ", 1)[0] for product in item["products"]]


def _sedative_alert(doc):
    """Ruling 19: a benzodiazepine or other sedative taken with opioids."""
    found = sedatives(doc)
    if not found or not is_on_opioids(doc):
        return None
    risk = "with opioids: higher risk of overdose and slowed breathing; review the combination."
    return _alert(
        "sedative_with_opioid",
        _short(f"Takes {_and(found)} {risk}", f"Takes {_count(len(found), 'sedative')} {risk}"),
        SOURCE_SEDATIVE,
        {"other_medicines": found, "opioids": _opioid_words(doc)},
    )


def _gabapentinoid_alert(doc):
    """Ruling 19: gabapentin or pregabalin with opioids is information."""
    found = gabapentinoids(doc)
    if not found or not is_on_opioids(doc):
        return None
    return _alert(
        "gabapentinoid_with_opioid",
        _short(
            f"Takes {_and(found)} with opioids: added risk of slowed breathing.",
            "Takes a gabapentinoid with opioids: added risk of slowed breathing.",
        ),
        SOURCE_GABAPENTINOID,
        {"other_medicines": found, "opioids": _opioid_words(doc)},
    )


def _short(full, fallback):
    """A card's summary stays under 140 characters (CDS Hooks): the names move to the
    evidence when they do not fit."""
    return full if len(full) < SUMMARY_LIMIT else fallback


def _count(number, noun):
    return f"{'a' if number == 1 else number} {noun}{'' if number == 1 else 's'}"


def _naloxone_alert(doc, mme):
    """Ruling 19 (CDC 2022 Recommendation 8): >= 50 MME/day or a sedative, no naloxone."""
    # "Not sure" is stored as null, like "not asked": only a plain "no" raises the alert.
    if doc["naloxone_at_home"] is not False or not is_on_opioids(doc):
        return None
    # Ruling 8: a lower bound counts, as it does for the MME alerts; so does a total over
    # 1,000 MME/day (not shown as a total, but surely not a low dose).
    is_high_dose = mme["exact_total"] >= MME_PAUSE_AND_REASSESS
    found = sedatives(doc)
    if not is_high_dose and not found:
        return None
    evidence = {"naloxone_at_home": False}
    why = []
    if is_high_dose:
        shown = _exact_shown(mme)
        evidence["mme_per_day"] = f"at least {shown}" if mme["lower_bound"] else shown
        why.append(f"{evidence['mme_per_day']} MME/day")
    if found:
        evidence["other_medicines"] = found
        why.append("a sedative with opioids")
    return _alert(
        "naloxone_not_at_home",
        f"No naloxone at home with {' and '.join(why)}: offer naloxone.",
        SOURCE_NALOXONE,
        evidence,
    )


def _opioid_words(doc):
    return [
        f"{opioid['other_name'] or opioid['name']} {opioid['daily_dose']:g} {opioid['unit']}"
        for opioid in doc["opioids"]
    ]


def _and(names):
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _is_implausible(mme):
    return mme["exact_total"] > MAX_PLAUSIBLE_MME_PER_DAY


def _exact_shown(mme):
    return f"{round(mme['exact_total'], 1):,}"


def _alert(code, summary, source, evidence=None):
    alert = {"code": code, "indicator": ALERT_INDICATOR[code], "summary": summary, "source": source}
    if evidence is not None:
        alert["evidence"] = evidence
    return alert
