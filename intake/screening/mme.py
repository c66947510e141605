"""Morphine milligram equivalents with the CDC 2022 factor table (oih-facts section 5).

Estimates for a clinician only: never a way to convert a patient between opioids, and never shown
to patients. A dose is converted only when its unit fits the drug; anything else is left
uncomputed rather than guessed.

Sums are exact (Decimal from the number as written, factors as Decimal), so a threshold sees
the true sum; only the displayed figures are rounded (oih-facts rulings 2026.2, point 9).
"""

from decimal import ROUND_HALF_UP, Decimal

from .vocabulary import UNITS

FACTOR_TABLE = "CDC-2022"

# Conversion factors to oral morphine, per mg/day unless noted. Source: CDC Clinical Practice
# Guideline for Prescribing Opioids for Pain, MMWR Recomm Rep 2022;71(RR-3); oih-facts section 5.
CODEINE_FACTOR = Decimal("0.15")
TRAMADOL_FACTOR = Decimal("0.2")
TAPENTADOL_FACTOR = Decimal("0.4")
HYDROCODONE_FACTOR = Decimal("1")
MORPHINE_FACTOR = Decimal("1")
OXYCODONE_FACTOR = Decimal("1.5")
OXYMORPHONE_FACTOR = Decimal("3")
HYDROMORPHONE_FACTOR = Decimal("5")
# CDC 2022 uses one methadone factor for every dose (the 2016 table was tiered 4/8/10/12).
METHADONE_FACTOR = Decimal("4.7")
# Per mcg/hr of a transdermal patch, not per mg/day.
FENTANYL_PATCH_FACTOR = Decimal("2.4")

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

# oih-facts section 4 step 0 and ruling 8: above this the entry is almost surely wrong, so no
# total is shown.
MAX_PLAUSIBLE_MME_PER_DAY = Decimal(1000)
PATCH_UNIT = "mcg/hr"
DAILY_UNIT = "mg/day"
PATCH_FORMULATION = "transdermal_patch"
OTHER_FORMULATION = "other"
DISPLAY_STEP = Decimal("0.1")

# Why an item is shown but not added (shared/intake-format.md, `mme.items[].why`).
WHY_STOPPED = "stopped"
WHY_BUPRENORPHINE = "buprenorphine"
WHY_OUD_TREATMENT = "oud_treatment"
WHY_NOT_CONVERTIBLE = "not_convertible"


def expected_units(name, formulation=None):
    """The units that fit a drug and its form: mcg/hr for fentanyl patches, mg/day for the rest.

    Buprenorphine comes as a patch in mcg/hr or as a tablet or film in mg/day (rulings 7 and
    16); with its form not given, or `other`, either fits.
    """
    if name == "fentanyl":
        return (PATCH_UNIT,)
    if name == "buprenorphine":
        if formulation == PATCH_FORMULATION:
            return (PATCH_UNIT,)
        if formulation in (None, OTHER_FORMULATION):
            return (DAILY_UNIT, PATCH_UNIT)
        return (DAILY_UNIT,)
    return (DAILY_UNIT,)


def unit_problem(opioid):
    """A plain-English description of a unit that is unknown or does not fit the drug and its
    form (ruling 16), or None."""
    name, unit = opioid.get("name"), opioid.get("unit")
    if unit not in UNITS:
        return f"{name} dose unit '{unit}' is neither mg/day nor mcg/hr"
    formulation = opioid.get("formulation")
    fitting = expected_units(name, formulation)
    if unit not in fitting:
        form = f" {formulation.replace('_', ' ')}" if name == "buprenorphine" else ""
        return f"{name}{form} dose is in {unit} but should be in {' or '.join(fitting)}"
    return None


def formulation_problem(opioid):
    """Fentanyl's factor is for patches only; a fentanyl entry of another form has none."""
    # Facts file silent on fentanyl that is not a patch (buccal, nasal): their CDC factors are not in
    # our table, so such an entry is not converted. A missing formulation is taken as a patch.
    formulation = opioid.get("formulation")
    if opioid.get("name") == "fentanyl" and formulation not in (None, PATCH_FORMULATION):
        return f"fentanyl entered as {formulation}; the factor is for patches only"
    return None


def conversion_problem(opioid):
    """Why an opioid that would be added cannot be converted, or None when it can."""
    problem = unit_problem(opioid) or formulation_problem(opioid)
    if problem:
        return problem
    if opioid.get("name") not in MME_FACTORS:
        label = opioid.get("other_name") or opioid.get("name")
        return f"'{label}' has no CDC 2022 factor"
    return None


def exact_mme(opioid):
    """dose x factor as an exact Decimal, or None when the opioid has no usable factor."""
    if conversion_problem(opioid):
        return None
    # str() of the number as given: 39.5 stays 39.5, never its nearest binary fraction.
    return Decimal(str(opioid["daily_dose"])) * MME_FACTORS[opioid["name"]]


def displayed(value):
    """An exact MME rounded to one decimal for display, as a float (ruling 9)."""
    return float(value.quantize(DISPLAY_STEP, rounding=ROUND_HALF_UP))


def why_not_added(opioid, taking_now):
    """Why an item is shown without being added to the total, or None when it is added."""
    if not taking_now:
        # Ruling 11: past opioids of someone who has stopped are history, MME 0.
        return WHY_STOPPED
    if opioid.get("name") == "buprenorphine":
        # Ruling 7: buprenorphine in any form has no CDC 2022 factor.
        return WHY_BUPRENORPHINE
    if opioid.get("purpose") == "oud_treatment":
        # Ruling 6: the CDC 2022 dosage thresholds do not apply to OUD treatment.
        return WHY_OUD_TREATMENT
    if conversion_problem(opioid):
        return WHY_NOT_CONVERTIBLE
    return None


def is_taking_now(document):
    """Only a patient who says they no longer take opioids has nothing to count."""
    # Facts file silent on an unanswered "currently taking": the listed opioids are counted, so
    # a high dose is never hidden by a missing answer.
    return document.get("currently_taking_opioids") is not False


def compute_mme(opioids, *, taking_now=True):
    """The `mme` object of a screening result for the opioids a patient lists."""
    mme = measure_mme(opioids, taking_now=taking_now)
    del mme["exact_total"]
    return mme


def measure_mme(opioids, *, taking_now=True):
    """compute_mme() plus `exact_total`, the exact Decimal sum the alert thresholds compare."""
    items, exact_total, has_unconvertible = [], Decimal(0), False
    for opioid in opioids:
        why = why_not_added(opioid, taking_now)
        factor = MME_FACTORS.get(opioid.get("name"))
        item = {
            "name": opioid.get("name"),
            "daily_dose": opioid.get("daily_dose"),
            "unit": opioid.get("unit"),
            "factor": None if factor is None or why else float(factor),
            "mme_per_day": None,
            "included": why is None,
        }
        if why is None:
            mme = exact_mme(opioid)
            exact_total += mme
            item["mme_per_day"] = displayed(mme)
        else:
            item["why"] = why
            has_unconvertible = has_unconvertible or why == WHY_NOT_CONVERTIBLE
        items.append(item)
    return {
        "factor_table": FACTOR_TABLE,
        "items": items,
        **_total(items, exact_total, has_unconvertible, taking_now),
    }


def _total(items, exact_total, has_unconvertible, taking_now):
    """total_per_day, computable and lower_bound, with the exact sum kept for the alerts."""
    included = any(item["included"] for item in items)
    if not taking_now or not items:
        return _shown(Decimal(0), Decimal(0), computable=True, lower_bound=False)
    if exact_total > MAX_PLAUSIBLE_MME_PER_DAY or (has_unconvertible and not included):
        return _shown(None, exact_total, computable=False, lower_bound=False)
    if has_unconvertible:
        return _shown(exact_total, exact_total, computable=False, lower_bound=True)
    if not included:
        # Rulings 6 and 7: buprenorphine or OUD treatment alone leave nothing to add; there
        # is nothing to compute, which is not a failure to compute.
        return _shown(None, exact_total, computable=True, lower_bound=False)
    return _shown(exact_total, exact_total, computable=True, lower_bound=False)


def _shown(total, exact_total, *, computable, lower_bound):
    return {
        "total_per_day": None if total is None else displayed(total),
        "computable": computable,
        "lower_bound": lower_bound,
        "exact_total": exact_total,
    }
