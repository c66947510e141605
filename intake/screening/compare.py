"""Compare an intake with the same patient's previous one (both already validated)."""

from .document import PEG_ITEMS
from .mme import compute_mme, is_taking_now

CHANGE_DECIMALS = 1


def new_regions_since_last_visit(document, previous):
    """Current pain regions that the previous intake did not list, in the order given now."""
    before = set(previous["current_pain_sites"])
    return [region for region in document["current_pain_sites"] if region not in before]


def compare_visits(document, previous):
    """The `comparison` object of a screening result: now minus the previous visit."""
    return {
        "new_regions_since_last_visit": new_regions_since_last_visit(document, previous),
        "pain_change": _difference(previous["pain_score_now"], document["pain_score_now"]),
        "peg_change": _difference(_peg_mean(previous["peg"]), _peg_mean(document["peg"])),
        "mme_change": _difference(_mme_total(previous), _mme_total(document)),
    }


def _difference(before, now):
    if before is None or now is None:
        return None
    # round() keeps whole numbers whole: pain scores stay ints, PEG and MME differences floats.
    return round(now - before, CHANGE_DECIMALS)


def _peg_mean(peg):
    """PEG-3 score: the mean of its three items, only when all three were answered."""
    if peg is None or any(peg[item] is None for item in PEG_ITEMS):
        return None
    return sum(peg[item] for item in PEG_ITEMS) / len(PEG_ITEMS)


def _mme_total(document):
    return compute_mme(document["opioids"], taking_now=is_taking_now(document))["total_per_day"]
