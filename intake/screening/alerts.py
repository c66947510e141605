"""Alerts: findings that are not OIH but need a clinician (oih-facts section 4 and 5).

Each alert is a CDS Hooks-style card: code, indicator (`info` or `warning`; `critical` is not
used, so the urgent withdrawal alert is a `warning` that says "urgent"), summary and source.
"""

from .mme import (
    MAX_PLAUSIBLE_MME_PER_DAY,
    current_opioids,
    formulation_problem,
    items_sum,
    unit_problem,
)
from .rules import has_withdrawal_after_recent_cut, misuse_evidence, weeks_since_last_change

# Facts file silent on the indicators: 50 MME/day is an `info` card, 90 MME/day a `warning`.
# CDC 2022 (oih-facts section 5): about 50 MME/day is the "pause and reassess" level.
MME_PAUSE_AND_REASSESS = 50
# CDC 2016 (oih-facts section 5): 90 MME/day is the "avoid or justify" level.
MME_AVOID_OR_JUSTIFY = 90

SOURCE_MME_2022 = "CDC 2022 guideline, MMWR Recomm Rep 2022;71(RR-3); oih-facts section 5"
SOURCE_MME_2016 = "CDC 2016 guideline, MMWR Recomm Rep 2016;65(1); oih-facts section 5"
SOURCE_TAPER = "CDC 2022 Recommendation 5; FDA abrupt-discontinuation warnings; oih-facts 1, 4"
SOURCE_OUD = "CDC 2022 guideline, MMWR Recomm Rep 2022;71(RR-3); oih-facts section 3 point 6"
SOURCE_DATA = "oih-facts section 4 step 0; shared/intake-format.md"


def build_alerts(doc, mme):
    """Every alert that applies to a validated document, in the order of ALERT_CODES."""
    alerts = _mme_alerts(doc, mme) + [
        _not_computable_alert(doc, mme),
        _withdrawal_alert(doc),
        _misuse_alert(doc),
        _data_quality_alert(doc, mme),
    ]
    return [alert for alert in alerts if alert is not None]


def _mme_alerts(doc, mme):
    total = mme["total_per_day"]
    if total is None or total < MME_PAUSE_AND_REASSESS:
        return []
    caveat = "; buprenorphine not included" if _takes(doc, "buprenorphine") else ""
    alerts = [
        _alert(
            "mme_ge_50",
            "info",
            f"Estimated {total} MME/day is at or above 50, the CDC 2022 pause-and-reassess level"
            f"{caveat}.",
            SOURCE_MME_2022,
        )
    ]
    if total >= MME_AVOID_OR_JUSTIFY:
        alerts.append(
            _alert(
                "mme_ge_90",
                "warning",
                f"Estimated {total} MME/day is at or above 90, the CDC 2016 avoid-or-justify level"
                f"{caveat}.",
                SOURCE_MME_2016,
            )
        )
    return alerts


def _not_computable_alert(doc, mme):
    if mme["computable"]:
        return None
    causes = not_computable_causes(doc, mme)
    return _alert(
        "mme_not_computable",
        "info",
        f"MME not computed: {'; '.join(causes)}.",
        SOURCE_MME_2022,
    )


def not_computable_causes(doc, mme):
    """Why the MME total is missing, one short phrase per cause."""
    opioids = current_opioids(doc)
    causes = [_entry_problem(opioid) for opioid in opioids]
    causes = [cause for cause in causes if cause is not None]
    causes += [
        f"'{opioid['other_name']}' has no CDC 2022 factor"
        for opioid in opioids
        if opioid["name"] == "other"
    ]
    if opioids and all(opioid["name"] == "buprenorphine" for opioid in opioids):
        causes.append("buprenorphine has no MME factor")
    if items_sum(mme["items"]) > MAX_PLAUSIBLE_MME_PER_DAY:
        causes.append(f"the total is over {MAX_PLAUSIBLE_MME_PER_DAY:,} MME/day")
    return list(dict.fromkeys(causes))


def _withdrawal_alert(doc):
    if not has_withdrawal_after_recent_cut(doc):
        return None
    if weeks_since_last_change(doc) is None:
        when = "of unknown timing"
    else:
        when = "in about the last 4 weeks"
    return _alert(
        "withdrawal_after_dose_cut",
        "warning",
        f"Urgent: pain worse with withdrawal symptoms after a dose cut {when}; review the taper now.",
        SOURCE_TAPER,
    )


def _misuse_alert(doc):
    evidence = misuse_evidence(doc)
    if not evidence:
        return None
    has_signs = "signs_of_misuse" in evidence
    has_oud = any(field != "signs_of_misuse" for field in evidence)
    if has_signs and has_oud:
        summary = (
            "Misuse signs plus known OUD or OUD treatment: review OUD care, separate from OIH."
        )
    elif has_signs:
        summary = "Signs of opioid misuse reported: consider an OUD assessment, separate from OIH."
    else:
        # Known OUD raises the alert too (conservative), though it is not itself a misuse sign.
        summary = (
            "Known OUD or OUD treatment recorded (alert raised conservatively): review OUD care."
        )
    return _alert("misuse_signals", "warning", summary, SOURCE_OUD)


def _data_quality_alert(doc, mme):
    problems = data_quality_problems(doc, mme)
    if not problems:
        return None
    # Every problem is listed, so with several the summary may pass 140 characters.
    return _alert(
        "data_quality",
        "info",
        f"Check the entered data: {'; '.join(problems)}.",
        SOURCE_DATA,
    )


def data_quality_problems(doc, mme):
    """Entries that look wrong or contradict each other, one short phrase each."""
    # Facts file silent beyond units and the 1,000 MME limit: only plain contradictions between
    # answers are added, never guesses about what the patient meant.
    problems = [_entry_problem(opioid) for opioid in doc["opioids"]]
    problems = [problem for problem in problems if problem is not None]
    problems += _duplicate_opioids(doc)
    if items_sum(mme["items"]) > MAX_PLAUSIBLE_MME_PER_DAY:
        problems.append(f"total over {MAX_PLAUSIBLE_MME_PER_DAY:,} MME/day is implausible")
    problems += _use_contradictions(doc)
    problems += _pain_site_contradictions(doc)
    return problems


def _entry_problem(opioid):
    return unit_problem(opioid) or formulation_problem(opioid)


def _duplicate_opioids(doc):
    # Facts file silent on identical entries: a double entry or two real prescriptions, so both
    # are counted (never silently merged) and the clinician is asked to check.
    seen, problems = [], []
    for opioid in doc["opioids"]:
        if opioid in seen:
            problems.append(
                f"{opioid['name']} {opioid['daily_dose']} {opioid['unit']} listed twice"
            )
        seen.append(opioid)
    return list(dict.fromkeys(problems))


def _use_contradictions(doc):
    taking = doc["currently_taking_opioids"]
    problems = []
    if taking is True and not doc["opioids"]:
        problems.append("currently taking opioids but none listed")
    if taking is False and doc["opioids"]:
        problems.append("opioids listed but not taken now, so not counted in MME")
    if taking is True and (doc["months_since_stopped"] or 0) > 0:
        problems.append("months since stopping given while still taking opioids")
    if taking is True and doc["dose_change_last_6_months"] == "stopped":
        problems.append("dose change 'stopped' while still taking opioids")
    return problems


def _pain_site_contradictions(doc):
    now, sites = doc["pain_score_now"], doc["current_pain_sites"]
    if now is not None and now > 0 and not sites:
        return [f"pain now {now}/10 but no current pain sites"]
    if now == 0 and sites:
        return ["current pain sites listed with pain now 0/10"]
    return []


def _takes(doc, name):
    return any(opioid["name"] == name for opioid in current_opioids(doc))


def _alert(code, indicator, summary, source):
    return {"code": code, "indicator": indicator, "summary": summary, "source": source}
