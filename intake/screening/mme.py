"""Morphine milligram equivalents with the CDC 2022 factor table (oih-facts section 5).

Estimates for a clinician only: never a way to convert a patient between opioids, and never shown
to patients. A dose is converted only when its unit fits the drug; anything else is left
uncomputed rather than guessed.
"""

from .vocabulary import UNITS

FACTOR_TABLE = "CDC-2022"

# Conversion factors to oral morphine, per mg/day unless noted. Source: CDC Clinical Practice
# Guideline for Prescribing Opioids for Pain, MMWR Recomm Rep 2022;71(RR-3); oih-facts section 5.
CODEINE_FACTOR = 0.15
TRAMADOL_FACTOR = 0.2
TAPENTADOL_FACTOR = 0.4
HYDROCODONE_FACTOR = 1.0
MORPHINE_FACTOR = 1.0
OXYCODONE_FACTOR = 1.5
OXYMORPHONE_FACTOR = 3.0
HYDROMORPHONE_FACTOR = 5.0
# CDC 2022 uses one methadone factor for every dose (the 2016 table was tiered 4/8/10/12).
METHADONE_FACTOR = 4.7
# Per mcg/hr of a transdermal patch, not per mg/day.
FENTANYL_PATCH_FACTOR = 2.4

MME_FACTORS = {
    "codeine": CODEINE_FACTOR,
    "tramadol": TRAMADOL_FACTOR,
    "tapentadol": TAPENTADOL_FACTOR,
    "hydrocodone": HYDROCODONE_FACTOR,
    "morphine": MORPHINE_FACTOR,
    "oxycodone": OXYCODONE_FACTOR,
    "oxymorphone": OXYMORPHONE_FACTOR,
    "hydromorphone": HYDROMORPHONE_FACTOR,
    "methadone": METHADONE_FACTOR,
    "fentanyl": FENTANYL_PATCH_FACTOR,
}
# Buprenorphine has no factor (CDC 2022): it is shown but never added. An `other` opioid has
# none either: counting it as zero would understate the total, so (conservatively) it makes the
# MME not computable.

# oih-facts section 4 step 0: above this the entry is almost surely wrong, so no total is shown.
MAX_PLAUSIBLE_MME_PER_DAY = 1000
PATCH_UNIT = "mcg/hr"
DAILY_UNIT = "mg/day"
PATCH_FORMULATION = "transdermal_patch"
MME_DECIMALS = 1


def expected_unit(name):
    """Fentanyl patches are dosed in mcg/hr, every other opioid in mg/day (oih-facts section 4)."""
    # Facts file silent on buprenorphine patches (really dosed in mcg/hr): the facts' "all else
    # mg/day" is followed, so one is flagged for a clinician to check rather than accepted.
    return PATCH_UNIT if name == "fentanyl" else DAILY_UNIT


def unit_problem(opioid):
    """A plain-English description of a unit that is unknown or does not fit the drug, or None."""
    name, unit = opioid.get("name"), opioid.get("unit")
    if unit not in UNITS:
        return f"{name} dose unit '{unit}' is neither mg/day nor mcg/hr"
    if unit != expected_unit(name):
        return f"{name} dose is in {unit} but should be in {expected_unit(name)}"
    return None


def formulation_problem(opioid):
    """Fentanyl's factor is for patches only; a fentanyl entry of another form has none."""
    # Facts file silent on fentanyl that is not a patch (buccal, nasal): their CDC factors are not in
    # our table, so such an entry is not converted. A missing formulation is taken as a patch.
    formulation = opioid.get("formulation")
    if opioid.get("name") == "fentanyl" and formulation not in (None, PATCH_FORMULATION):
        return f"fentanyl entered as {formulation}; the factor is for patches only"
    return None


def compute_mme(opioids):
    """The `mme` object of a screening result for the opioids a patient takes now."""
    items = [_item(opioid) for opioid in opioids]
    total = _total(opioids, items)
    return {
        "total_per_day": total,
        "computable": total is not None,
        "factor_table": FACTOR_TABLE,
        "items": items,
    }


def items_sum(items):
    """Sum of the items that have an MME, rounded as shown."""
    return round(sum(item["mme_per_day"] or 0.0 for item in items), MME_DECIMALS)


def _item(opioid):
    factor = _factor(opioid)
    dose = opioid.get("daily_dose")
    return {
        "name": opioid.get("name"),
        "daily_dose": dose,
        "unit": opioid.get("unit"),
        "factor": factor,
        "mme_per_day": None if factor is None else round(dose * factor, MME_DECIMALS),
    }


def _factor(opioid):
    if unit_problem(opioid) or formulation_problem(opioid):
        return None
    # Opioids taken to treat opioid use disorder are counted like any other when they have a
    # factor (e.g. methadone): conservative, as the body is exposed to the same dose.
    return MME_FACTORS.get(opioid.get("name"))


def _total(opioids, items):
    if not opioids:
        return 0.0
    for opioid, item in zip(opioids, items, strict=True):
        if item["mme_per_day"] is None and not _is_left_out_by_design(opioid):
            return None
    if all(opioid.get("name") == "buprenorphine" for opioid in opioids):
        return None
    total = items_sum(items)
    if total > MAX_PLAUSIBLE_MME_PER_DAY:
        return None
    return total


def _is_left_out_by_design(opioid):
    """Buprenorphine in a fitting unit is shown without MME and does not block the total."""
    return opioid.get("name") == "buprenorphine" and unit_problem(opioid) is None


def current_opioids(document):
    """The opioids to count now: none when the patient says they no longer take any."""
    if document["currently_taking_opioids"] is False:
        return []
    return document["opioids"]
