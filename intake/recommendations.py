"""Which articles fit what a patient reported. Plain rules over the answers; no flags."""

ALWAYS = ["what-is-oih", "managing-oih"]


def recommended_article_slugs(intake):
    slugs = list(ALWAYS)
    if {"burning", "allodynia", "temperature"} & set(intake.new_pain_qualities) or (
        set(intake.current_pain_sites) - set(intake.original_pain_sites)
    ):
        slugs.append("signs-of-oih")
    if intake.pain_when_dose_increased in ("worse", "unchanged", "better"):
        slugs.append("oih-or-tolerance")
    if (
        intake.withdrawal_symptoms_between_doses
        or intake.pain_between_doses_or_missed_dose == "worse"
    ):
        slugs.append("oih-withdrawal-or-addiction")
    if intake.currently_taking_opioids is False:
        slugs.append("recovery-from-oih")
    if intake.signs_of_misuse or intake.known_opioid_use_disorder:
        slugs.extend(["oih-withdrawal-or-addiction", "getting-help"])
    return list(dict.fromkeys(slugs))
