"""The OIH screening rules: oih-facts section 4, with section 3 for the alternatives.

OIH is a pattern for a clinician to review, never a diagnosis. The rules favour specificity: every
alternative explanation and confounder can only lower the level, and every outcome carries the
reasons that drove it, each with the answers behind it and its source.

Where section 4 was read in more than one way, the rulings for rules versions 2026.2 and 2026.3
decide; each is marked `Ruling N` (`F1`-`F5` for the follow-up rulings). Where the facts file is still silent, the safer reading is chosen (fewer
flags, never a hidden safety signal) and marked `# Facts file silent: ...`.
"""

# oih-facts section 2 and section 4 step 3, after CDC 2022: long-term therapy is >= 3 months.
LONG_TERM_MONTHS = 3
# CDC 2022 (oih-facts section 2): acute pain and exposure last under 1 month.
ACUTE_MONTHS = 1
# oih-facts section 3 point 7: residual OIH is plausible up to about 6 months after stopping.
RESIDUAL_OIH_MONTHS = 6
# oih-facts section 4 step 2: a rapid dose cut "in the last ~4 weeks" is a withdrawal window.
# Facts file silent on the edge of "about 4 weeks": exactly 4 weeks is inside the window.
WITHDRAWAL_WINDOW_WEEKS = 4
WEEKS_PER_MONTH = 52 / 12
# oih-facts section 4, Decision: flag needs >= 1 major and >= 2 minor features.
MIN_MINOR_FOR_FLAG = 2
# oih-facts section 4, Decision: without dose-response answers, >= 2 of m1-m3 plus m4 is borderline.
MIN_SPECIFIC_MINOR_WITHOUT_DOSE_RESPONSE = 2

SOURCE_FEATURES = "Chen L, Mao J et al., Pain 2009;143:65-70 (Table 4); oih-facts section 4"
SOURCE_ALTERNATIVES = "oih-facts section 3 (comparison table and its sources); section 4 step 2"
SOURCE_WITHDRAWAL = "Rieb LM et al., Pain 2016;157:2865-2874; oih-facts section 3 point 5"
SOURCE_EXPOSURE = "CDC 2022 guideline, MMWR Recomm Rep 2022;71(RR-3); oih-facts section 4 step 1"
SOURCE_CESSATION = "oih-facts section 3 point 7 (its listed reviews); section 4 step 1"
SOURCE_MISUSE = "CDC 2022 guideline, MMWR Recomm Rep 2022;71(RR-3); oih-facts section 3 point 6"

MAJOR_CODES = ("pain_worse_after_dose_increase", "pain_better_after_dose_reduction")
# Answers that fit OIH only partly: they count toward borderline, never toward a flag.
PARTIAL_MAJOR_CODES = (
    "pain_unchanged_after_dose_increase",
    "pain_better_after_dose_reduction_of_unknown_timing",
)
SPECIFIC_MINOR_CODES = ("pain_spread", "new_allodynia", "new_burning_or_diffuse_pain")
BASELINE_MINOR_CODE = "pain_at_or_above_baseline"
# oih-facts section 2: allodynia includes pain from mild warmth, so `temperature` counts as m2.
ALLODYNIA_QUALITIES = ("allodynia", "temperature")
# Facts file silent on what makes pain "diffuse" beyond spread, which m1 already counts; to avoid
# counting one observation twice, m3 is the `burning` quality only.
BURNING_QUALITIES = ("burning",)
DOSE_RESPONSE_ANSWERS = ("better", "worse", "unchanged")
CUT_DOSE_CHANGES = ("decreased", "stopped")
# F2: the changes between visits (screening.follow_up) that a withdrawal can follow.
WITHDRAWAL_CHANGES = ("cut", "stop", "switch")

# Ruling 2: "features" for limited exposure are >= 1 major or >= 2 minor features.
MIN_MINOR_FOR_LIMITED_EXPOSURE = 2

# How much the exposure lets the features say (section 4 step 1, rulings 1 and 2).
NO_OIH_EXPOSURE = "none"
LIMITED_EXPOSURE = "limited"
LONG_TERM_EXPOSURE = "long_term"


def assess_oih(doc, *, new_regions=()):
    """The `oih` object: level and reasons for a validated document."""
    features = major_features(doc) + minor_features(doc, new_regions)
    exposure_kind, exposure = exposure_class(doc)
    if exposure_kind == NO_OIH_EXPOSURE:
        level, decision = "none", None
    elif exposure_kind == LIMITED_EXPOSURE:
        level, decision = limited_exposure_level(doc, features)
    else:
        level, decision = feature_level(doc, features)
    alternatives = alternative_explanations(doc, features)
    confounders = confounding_signals(doc)
    if any(reason["code"] == "withdrawal_after_dose_cut" for reason in alternatives):
        # Ruling 4: inside the withdrawal window nothing counts as OIH; the features stay
        # listed so that a clinician can reassess once withdrawal has passed.
        level = "none"
    elif alternatives:
        # Section 4 step 2: none, unless features clearly exceed the alternative. Ruling 14:
        # only a full flag pattern does, and it gives borderline in every exposure class that
        # allows borderline (limited exposure included); ruling 1 still gives none.
        exceeds = exposure_kind != NO_OIH_EXPOSURE and is_full_pattern(features)
        level = "borderline" if exceeds else "none"
    progression = _progression_not_ruled_out(doc, level)
    if progression is not None:
        confounders.append(progression)
    if confounders and level == "flag":
        level = "borderline"
    ignored = _ignored_answers(doc)
    reasons = features + ignored + [decision, exposure] + alternatives + confounders
    return {"level": level, "reasons": [reason for reason in reasons if reason is not None]}


def is_full_pattern(features):
    """>= 1 major and >= 2 minor features: what a flag needs before alternatives and
    confounders (section 4, Decision)."""
    majors, _, minors, _ = _counts(features)
    return bool(majors) and len(minors) >= MIN_MINOR_FOR_FLAG


def major_features(doc):
    """M1 and M2 of section 4 step 3, plus the partial answers that count only toward borderline."""
    found = []
    increased = doc["pain_when_dose_increased"]
    if increased == "worse":
        found.append(
            _feature(
                "pain_worse_after_dose_increase",
                "Pain got worse after the opioid dose was increased (major feature M1).",
                {"pain_when_dose_increased": increased},
            )
        )
    elif increased == "unchanged":
        found.append(
            _feature(
                "pain_unchanged_after_dose_increase",
                "Pain did not improve after a dose increase: counts only toward borderline.",
                {"pain_when_dose_increased": increased},
            )
        )
    if doc["pain_when_dose_decreased"] == "better":
        found.append(_reduction_feature(doc))
    return [feature for feature in found if feature is not None]


def _reduction_evidence(doc):
    evidence = {
        "pain_when_dose_decreased": doc["pain_when_dose_decreased"],
        "weeks_since_last_dose_change": doc["weeks_since_last_dose_change"],
    }
    if doc["currently_taking_opioids"] is False:
        evidence["months_since_stopped"] = doc["months_since_stopped"]
    return evidence


def _reduction_feature(doc):
    weeks = weeks_since_last_change(doc)
    if weeks is not None and weeks > WITHDRAWAL_WINDOW_WEEKS:
        return _feature(
            "pain_better_after_dose_reduction",
            "Pain got better after the dose was reduced, outside the withdrawal window (major M2).",
            _reduction_evidence(doc),
        )
    if weeks is None:
        # Ruling 3: a reduction of unknown timing is a partial answer.
        return _feature(
            "pain_better_after_dose_reduction_of_unknown_timing",
            "Pain better after a dose cut of unknown timing: counts only toward borderline.",
            _reduction_evidence(doc),
        )
    # Ruling 3: inside the withdrawal window it is not a feature at all (see _ignored_answers).
    return None


def is_better_inside_withdrawal_window(doc):
    weeks = weeks_since_last_change(doc)
    return (
        doc["pain_when_dose_decreased"] == "better"
        and weeks is not None
        and weeks <= WITHDRAWAL_WINDOW_WEEKS
    )


def _ignored_answers(doc):
    """Answers shown to the clinician that, by the rulings, count toward nothing."""
    if not is_better_inside_withdrawal_window(doc):
        return []
    return [
        _reason(
            "pain_better_inside_withdrawal_window",
            "Pain better within about 4 weeks of a dose cut: not counted while withdrawal may last.",
            _reduction_evidence(doc),
            SOURCE_WITHDRAWAL,
        )
    ]


def minor_features(doc, new_regions=()):
    """m1-m4 of section 4 step 3, in that order."""
    found = [
        _spread_feature(doc, new_regions),
        _quality_feature(
            doc,
            ALLODYNIA_QUALITIES,
            "new_allodynia",
            "New allodynia: light touch, clothing, or mild cold or warmth now hurts (minor m2).",
        ),
        _quality_feature(
            doc,
            BURNING_QUALITIES,
            "new_burning_or_diffuse_pain",
            "New burning pain, a neuropathic-like quality (minor m3).",
        ),
        _baseline_feature(doc),
    ]
    return [feature for feature in found if feature is not None]


def spread_regions(doc):
    """Current regions beyond the original sites; none when the original sites are unknown."""
    # Facts file silent on unknown original sites: spread cannot be judged, so it is not counted.
    original = set(doc["original_pain_sites"])
    if not original:
        return []
    return [region for region in doc["current_pain_sites"] if region not in original]


def _spread_feature(doc, new_regions):
    beyond = spread_regions(doc)
    # Facts file silent on a region new since the last visit that was an original site: pain
    # returning where it began is not spread beyond it, so it is not counted.
    since_last = [region for region in new_regions if region not in doc["original_pain_sites"]]
    if not beyond and not since_last:
        return None
    evidence = {
        "original_pain_sites": doc["original_pain_sites"],
        "current_pain_sites": doc["current_pain_sites"],
    }
    if since_last:
        evidence["new_regions_since_last_visit"] = since_last
    if beyond:
        summary = f"Pain has spread to {_regions(len(beyond))} beyond where it started (minor m1)."
    else:
        summary = f"Pain has spread to {_regions(len(since_last))} since the last visit (minor m1)."
    return _feature("pain_spread", summary, evidence)


def _regions(count):
    return "1 body region" if count == 1 else f"{count} body regions"


def _quality_feature(doc, qualities, code, summary):
    matched = [quality for quality in doc["new_pain_qualities"] if quality in qualities]
    if not matched:
        return None
    return _feature(code, summary, {"new_pain_qualities": matched})


def _baseline_feature(doc):
    now, start = doc["pain_score_now"], doc["pain_score_at_start"]
    if now is None or start is None or now < start:
        return None
    return _feature(
        BASELINE_MINOR_CODE,
        f"Pain now ({now}/10) is at or above pain before opioids ({start}/10) (minor m4).",
        {"pain_score_now": now, "pain_score_at_start": start},
    )


def _counts(features):
    codes = [feature["code"] for feature in features]
    majors = [code for code in codes if code in MAJOR_CODES]
    partial_majors = [code for code in codes if code in PARTIAL_MAJOR_CODES]
    minors = [code for code in codes if code in SPECIFIC_MINOR_CODES + (BASELINE_MINOR_CODE,)]
    specific = [code for code in minors if code in SPECIFIC_MINOR_CODES]
    return majors, partial_majors, minors, specific


def feature_level(doc, features):
    """Section 4 Decision for long-term current use: (level, the reason for a level below flag)."""
    majors, partial_majors, minors, specific = _counts(features)
    evidence = _dose_response_evidence(doc)
    if is_full_pattern(features):
        return "flag", None
    if majors:
        return "borderline", _decision(
            "major_feature_with_fewer_than_two_minor",
            "A major feature with fewer than two minor features: a partial pattern.",
            evidence,
        )
    if partial_majors and specific:
        # Ruling 3: a partial answer reaches borderline only with >= 1 of m1-m3.
        return "borderline", _decision(
            "dose_response_only_partial",
            "A partial dose-change answer with spread or a new quality: borderline, not a flag.",
            evidence,
        )
    if partial_majors:
        return "none", _decision(
            "partial_dose_response_alone",
            "A partial dose-change answer without spread or a new quality: not an OIH pattern.",
            evidence,
        )
    if (
        not has_dose_response(doc)
        and len(specific) >= MIN_SPECIFIC_MINOR_WITHOUT_DOSE_RESPONSE
        and BASELINE_MINOR_CODE in minors
    ):
        return "borderline", _decision(
            "no_dose_response_information",
            "OIH-like spread or qualities with pain at or above baseline, but no dose-change response.",
            evidence,
        )
    return "none", _decision(
        "no_major_feature",
        "No major OIH feature: pain was not worse after an increase nor better after a cut.",
        evidence,
    )


def limited_exposure_level(doc, features):
    """Rulings 1 and 2: at most borderline, and only with >= 1 major or >= 2 minor features."""
    majors, _, minors, _ = _counts(features)
    if majors or len(minors) >= MIN_MINOR_FOR_LIMITED_EXPOSURE:
        return "borderline", None
    return "none", _decision(
        "too_few_features_for_limited_exposure",
        "Fewer than one major or two minor features for this exposure: not an OIH pattern.",
        _dose_response_evidence(doc),
    )


def has_dose_response(doc):
    """True when the patient said how pain responded to a dose increase or reduction."""
    # Ruling 3: pain better inside the withdrawal window says nothing about OIH, so it is not
    # dose-response information either.
    if doc["pain_when_dose_increased"] in DOSE_RESPONSE_ANSWERS:
        return True
    decreased = doc["pain_when_dose_decreased"]
    return decreased in DOSE_RESPONSE_ANSWERS and not is_better_inside_withdrawal_window(doc)


def _dose_response_evidence(doc):
    return {
        "pain_when_dose_increased": doc["pain_when_dose_increased"],
        "pain_when_dose_decreased": doc["pain_when_dose_decreased"],
    }


def exposure_class(doc):
    """Section 4 step 1 with rulings 1, 2, 13 and 14: (how much features may say, the reason)."""
    taking = doc["currently_taking_opioids"]
    if taking is False:
        return _stopped_class(doc)
    evidence = {
        "currently_taking_opioids": taking,
        "months_on_opioids": doc["months_on_opioids"],
    }
    months = doc["months_on_opioids"]
    if months is not None and months < ACUTE_MONTHS:
        # Ruling 14: ruling 1 holds whenever time on opioids is under 1 month, also when
        # current use was not answered.
        return _acute_class(doc, evidence)
    if months is None and taking is True:
        # Ruling 13: unknown time on opioids while taking them is read as subacute exposure.
        return LIMITED_EXPOSURE, _exposure(
            "time_on_opioids_unknown",
            "Time on opioids is not known: read as 1 to 3 months, so features count at most "
            "as borderline.",
            evidence,
        )
    if taking is None:
        # Facts file silent on unknown current use: the safer reading treats it as limited
        # exposure (ruling 2), so features give at most borderline, never a flag.
        return LIMITED_EXPOSURE, _exposure(
            "exposure_unknown",
            "Current opioid use or its duration is not known: features count at most as borderline.",
            evidence,
        )
    if months < LONG_TERM_MONTHS:
        return LIMITED_EXPOSURE, _exposure(
            "subacute_exposure",
            "Opioids taken for 1 to 3 months, not yet long-term: features count at most as borderline.",
            evidence,
        )
    return LONG_TERM_EXPOSURE, None


def _acute_class(doc, evidence):
    evidence = {
        **evidence,
        "pain_score_now": doc["pain_score_now"],
        "pain_score_at_start": doc["pain_score_at_start"],
    }
    if _pain_improving(doc):
        # Ruling 1: improving pain in the first month is none, whatever else was answered.
        return NO_OIH_EXPOSURE, _exposure(
            "acute_exposure_improving",
            "Under 1 month of opioids with pain improving: acute use, not an OIH pattern.",
            evidence,
        )
    # Facts file silent on unknown pain scores here: not known to be improving, so features may
    # still lift it to borderline (the safer reading: a clinician looks).
    return LIMITED_EXPOSURE, _exposure(
        "acute_exposure",
        "Under 1 month of opioids: at most borderline; first exclude surgical or injury causes.",
        evidence,
    )


def _pain_improving(doc):
    now, start = doc["pain_score_now"], doc["pain_score_at_start"]
    return now is not None and start is not None and now < start


def _stopped_class(doc):
    stopped = doc["months_since_stopped"]
    evidence = {
        "currently_taking_opioids": False,
        "months_on_opioids": doc["months_on_opioids"],
        "months_since_stopped": stopped,
    }
    if stopped is None and doc["months_on_opioids"] == 0:
        return NO_OIH_EXPOSURE, _exposure(
            "never_on_opioids",
            "No opioid exposure reported, so the pain cannot be opioid-induced hyperalgesia.",
            evidence,
            SOURCE_EXPOSURE,
        )
    if stopped is None:
        # Ruling 2: stopped at an unknown time is recent cessation.
        return LIMITED_EXPOSURE, _exposure(
            "stopped_time_unknown",
            "Opioids stopped at an unknown time: features count at most as borderline.",
            evidence,
            SOURCE_CESSATION,
        )
    if stopped > RESIDUAL_OIH_MONTHS:
        return NO_OIH_EXPOSURE, _exposure(
            "stopped_over_6_months",
            "Opioid-free for over 6 months: OIH is unlikely; consider a work-up for nociplastic pain.",
            evidence,
            SOURCE_CESSATION,
        )
    # Ruling 2: stopped <= 6 months ago (under 1 month included) is recent cessation.
    return LIMITED_EXPOSURE, _exposure(
        "stopped_within_6_months",
        "Opioids stopped within 6 months: residual OIH is plausible but counts at most as borderline.",
        evidence,
        SOURCE_CESSATION,
    )


def alternative_explanations(doc, features):
    """Section 4 step 2: findings that explain the pain better than OIH does."""
    found = [
        _progression(doc),
        _end_of_dose(doc),
        _withdrawal_after_cut(doc),
        _tolerance(doc, features),
    ]
    return [reason for reason in found if reason is not None]


def _progression(doc):
    progression = doc["new_injury_or_disease_progression"]
    if progression["present"] is not True:
        return None
    return _alternative(
        "disease_progression_or_new_injury",
        "Disease progression or a new injury is reported and may explain the change in pain.",
        {
            "new_injury_or_disease_progression.present": True,
            "new_injury_or_disease_progression.details": progression["details"],
        },
    )


def _end_of_dose(doc):
    symptoms = doc["withdrawal_symptoms_between_doses"]
    if doc["pain_between_doses_or_missed_dose"] != "worse" or not symptoms:
        return None
    return _alternative(
        "end_of_dose_pattern",
        "Pain worsens before the next or a missed dose with withdrawal symptoms: end-of-dose pattern.",
        {
            "pain_between_doses_or_missed_dose": "worse",
            "withdrawal_symptoms_between_doses": symptoms,
        },
    )


def _withdrawal_after_cut(doc):
    found = withdrawal_after_change(doc)
    if found is None or not found["is_pain_worse"]:
        return None
    return _alternative(
        "withdrawal_after_dose_cut",
        f"Pain worse with withdrawal symptoms soon after {CHANGE_WORDS[found['kind']]}: "
        "withdrawal, not OIH evidence.",
        found["evidence"],
        SOURCE_WITHDRAWAL,
    )


# What a change is called in the reasons and alerts.
CHANGE_WORDS = {
    "cut": "a dose cut",
    "stop": "stopping opioids",
    "switch": "a switch of opioids",
}


def withdrawal_after_change(doc):
    """Withdrawal symptoms within the window after a cut, a stop or a switch (rulings 4 and
    17, F2): {kind, is_pain_worse, evidence}, or None.

    At a check-in the change is the one found across the visits (`change_between_visits`,
    F1-F3); at a visit it is the patient's own answer about the last dose change.
    """
    symptoms = doc["withdrawal_symptoms_between_doses"]
    if not symptoms:
        return None
    change = doc["change_between_visits"]
    if change is not None:
        return _withdrawal_after_check_in_change(doc, change)
    if not is_recent_cut(doc):
        return None
    is_stop = doc["currently_taking_opioids"] is False or (
        doc["dose_change_last_6_months"] == "stopped"
    )
    return {
        "kind": "stop" if is_stop else "cut",
        "is_pain_worse": doc["pain_when_dose_decreased"] == "worse",
        "evidence": withdrawal_evidence(doc),
    }


def _withdrawal_after_check_in_change(doc, change):
    if change["kind"] not in WITHDRAWAL_CHANGES or not change["is_inside_window"]:
        return None
    before, now = change["pain_before"], doc["pain_score_now"]
    # F4 counts a change in pain at 2 points for the dose response (M1, M2). Facts file silent
    # on the withdrawal alert: any rise in pain with withdrawal symptoms after a change is read
    # as worse, the safer side (urgent rather than a warning).
    is_worse = before is not None and now is not None and now > before
    return {
        "kind": change["kind"],
        "is_pain_worse": is_worse,
        "evidence": {
            key: value
            for key, value in {
                "change": change["kind"],
                "opioids_before": change["opioids_before"],
                "opioids_after": change["opioids_after"],
                "mme_before": change["mme_before_in_words"],
                "mme_after": change["mme_after_in_words"],
                "changed_on": change["changed_on"],
                "date_not_known_between": None
                if change["changed_on"]
                else f"{change['previous_visit_on']} and {change['first_seen_on']}",
                "weeks_since_change": change["weeks_since"]
                if change["changed_on"]
                else f"at least {change['weeks_since']:g}",
                "withdrawal_window_ends_on": change["window_ends_on"],
                "pain_before": before,
                "pain_now": now,
                "withdrawal_symptoms_in_the_past_week": doc["withdrawal_symptoms_between_doses"],
            }.items()
            # Only what is known: a dated change has no range, an undated one no date.
            if value is not None or key.startswith("pain_")
        },
    }


def is_recent_cut(doc):
    """The last change was a cut or stop within the withdrawal window, or at an unknown time."""
    # A patient who no longer takes opioids has stopped, whatever the dose-change answer says.
    is_cut = doc["dose_change_last_6_months"] in CUT_DOSE_CHANGES
    if not is_cut and doc["currently_taking_opioids"] is not False:
        return False
    weeks = weeks_since_last_change(doc)
    # Facts file silent on a cut of unknown timing: treated as recent, which keeps the urgent
    # alert and keeps withdrawal-window pain from counting as OIH evidence.
    return weeks is None or weeks <= WITHDRAWAL_WINDOW_WEEKS


def weeks_since_last_change(doc):
    """Weeks since the last dose change or, for a stopped patient, since the last dose."""
    weeks = doc["weeks_since_last_dose_change"]
    if weeks is None and doc["currently_taking_opioids"] is False:
        stopped = doc["months_since_stopped"]
        if stopped is not None:
            return stopped * WEEKS_PER_MONTH
    return weeks


def withdrawal_evidence(doc):
    evidence = {
        "dose_change_last_6_months": doc["dose_change_last_6_months"],
        "weeks_since_last_dose_change": doc["weeks_since_last_dose_change"],
        "pain_when_dose_decreased": doc["pain_when_dose_decreased"],
        "withdrawal_symptoms_between_doses": doc["withdrawal_symptoms_between_doses"],
    }
    if doc["currently_taking_opioids"] is False:
        evidence["months_since_stopped"] = doc["months_since_stopped"]
    return evidence


def _tolerance(doc, features):
    codes = {feature["code"] for feature in features}
    if doc["pain_when_dose_increased"] != "better" or "pain_spread" in codes:
        return None
    if doc["new_pain_qualities"]:
        return None
    return _alternative(
        "tolerance_pattern",
        "Pain eased after a dose increase, stays at the original site, no new qualities: tolerance.",
        {
            "pain_when_dose_increased": "better",
            "current_pain_sites": doc["current_pain_sites"],
            "new_pain_qualities": [],
        },
    )


def confounding_signals(doc):
    """Signals that do not explain the pain but keep an OIH pattern from being a flag."""
    found = [_dosing_interval_link(doc), _misuse(doc)]
    return [reason for reason in found if reason is not None]


def _dosing_interval_link(doc):
    # Facts file silent on pain before the next dose without withdrawal symptoms: OIH has no
    # link to the dosing interval (section 3), so it confounds the pattern: a flag drops to
    # borderline.
    if doc["pain_between_doses_or_missed_dose"] != "worse":
        return None
    if doc["withdrawal_symptoms_between_doses"]:
        return None
    return _reason(
        "pain_linked_to_dosing_interval",
        "Pain worsens before the next or a missed dose: a link to dosing that OIH does not have.",
        {"pain_between_doses_or_missed_dose": "worse", "withdrawal_symptoms_between_doses": []},
        SOURCE_ALTERNATIVES,
    )


def _misuse(doc):
    # Ruling 5: only answers in `signs_of_misuse` are misuse signals; known OUD and OUD treatment
    # are not, and a patient in stable OUD treatment with a full pattern stays a flag.
    if not doc["signs_of_misuse"]:
        return None
    return _reason(
        "misuse_signals_present",
        "Signs of misuse: assess for OUD; an OIH pattern counts at most as borderline.",
        {"signs_of_misuse": doc["signs_of_misuse"]},
        SOURCE_MISUSE,
    )


def _progression_not_ruled_out(doc, level):
    """Ruling 10: with progression not yet ruled out, a flag pattern is only borderline."""
    # Facts file silent on a progression question left unanswered: not ruled out either, so it
    # is read like "not sure" (the safer reading: no flag before progression is excluded).
    if doc["new_injury_or_disease_progression"]["present"] is not None or level == "none":
        return None
    return _reason(
        "progression_not_ruled_out",
        "Disease progression or a new injury is not yet ruled out: rule out progression first.",
        {"new_injury_or_disease_progression.present": None},
        SOURCE_ALTERNATIVES,
    )


def _feature(code, summary, evidence):
    return _reason(code, summary, evidence, SOURCE_FEATURES)


def _decision(code, summary, evidence):
    return _reason(code, summary, evidence, SOURCE_FEATURES)


def _exposure(code, summary, evidence, source=SOURCE_EXPOSURE):
    return _reason(code, summary, evidence, source)


def _alternative(code, summary, evidence, source=SOURCE_ALTERNATIVES):
    return _reason(code, summary, evidence, source)


def _reason(code, summary, evidence, source):
    return {"code": code, "summary": summary, "evidence": evidence, "source": source}
