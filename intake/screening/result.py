"""The `oih-screening/1` result for one intake document."""

from .alerts import build_alerts
from .compare import compare_visits, new_regions_since_last_visit
from .document import DocumentError, validate_document
from .mme import is_taking_now, measure_mme
from .notes import build_notes
from .rules import assess_oih
from .vocabulary import RESULT_FORMAT

# Stored with every result, so a stored flag can be traced to the rules that raised it.
RULES_VERSION = "2026.3"


def screen(document, *, previous=None):
    """Validate an intake (raising DocumentError) and return its `oih-screening/1` result.

    `previous` is the same patient's earlier intake document: it adds a `comparison`, and pain
    regions new since that visit count as spread.
    """
    return _sorted_keys(unsorted_result(document, previous=previous))


def unsorted_result(document, *, previous=None):
    """screen() without sorting the keys: for callers that print it with sort_keys=True."""
    doc = validate_document(document)
    prior = None if previous is None else _validate_previous(previous)
    mme = measure_mme(doc["opioids"], taking_now=is_taking_now(doc))
    result = {
        "format": RESULT_FORMAT,
        "rules_version": RULES_VERSION,
        "mme": {key: value for key, value in mme.items() if key != "exact_total"},
        "oih": assess_oih(doc, new_regions=_regions_counted_as_spread(doc, prior)),
        "alerts": build_alerts(doc, mme),
        # Ruling 11: answers that disagree, for the intake page; never an alert.
        "notes": build_notes(doc),
    }
    if prior is not None:
        result["comparison"] = compare_visits(doc, prior)
    return result


def _validate_previous(previous):
    try:
        return validate_document(previous)
    except DocumentError as error:
        raise DocumentError(f"previous.{error.field}", error.message) from error


def _regions_counted_as_spread(doc, prior):
    # Facts file silent on a previous visit without pain sites: nothing is counted as new.
    if prior is None or not prior["current_pain_sites"]:
        return []
    return new_regions_since_last_visit(doc, prior)


def _sorted_keys(value):
    """The same structure with every dict's keys in sorted order; lists keep their order."""
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value
