"""Validate an `oih-intake/1` document and return a normalised copy.

The rules read only the normalised copy, so every optional key is present (None, [] or its
default) and every value has the type shared/intake-format.md promises.
"""

import math
import re

from . import vocabulary as v

MAX_TEXT_LENGTH = 2000
# A code longer than this is shown cut short in an error message.
MAX_SHOWN_VALUE_LENGTH = 40
# Half of a UTF-16 surrogate pair on its own is not a character: it cannot be stored or printed.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Far above any real prescription in either unit; larger values are typing errors.
MAX_DAILY_DOSE = 100_000
# A century: a larger number of months or weeks cannot be a real history.
MAX_MONTHS = 1200
MAX_WEEKS = 5200
PAIN_SCORE_MIN = 0
PAIN_SCORE_MAX = 10
PEG_ITEMS = ("pain", "enjoyment", "activity")
DEFAULT_PURPOSE = "pain"


class DocumentError(ValueError):
    """An intake document that breaks the format, naming the field at fault."""

    def __init__(self, field, message):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

    def __str__(self):
        return f"{self.field}: {self.message}"


def validate_document(data, extra_answers=()):
    """Check an `oih-intake/1` document; return a normalised copy or raise DocumentError.

    `extra_answers`: questions a deployment added (intake.answers entries: key, kind, codes),
    checked by their kind and passed through when given. The rules pass none: they read
    only the keys they know, and any other key is left out of their copy."""
    if not isinstance(data, dict):
        raise DocumentError("document", "must be a JSON object")
    if data.get("format") != v.INTAKE_FORMAT:
        raise DocumentError("format", f"must be '{v.INTAKE_FORMAT}'")
    normalised = _normalised(data)
    for answer in extra_answers:
        if answer.key in data:
            normalised[answer.key] = _added_answer(data[answer.key], answer)
    return normalised


# An added question's number: far above any count or duration a question could ask for.
MAX_ADDED_NUMBER = 100_000


def _added_answer(value, answer):
    checks = {
        "yes_no": lambda: _bool(value, answer.key),
        "number": lambda: _amount(value, answer.key, MAX_ADDED_NUMBER),
        "score": lambda: _score(value, answer.key),
        "text": lambda: _text(value, answer.key),
        "choice": lambda: _code(value, answer.codes, answer.key),
        "choices": lambda: _codes(value, answer.codes, answer.key),
    }
    if answer.kind not in checks:
        raise DocumentError(
            answer.key, f"is an added question of a kind not supported: {answer.kind}"
        )
    return checks[answer.kind]()


def _normalised(data):
    return {
        "format": v.INTAKE_FORMAT,
        "reference": _text(data.get("reference"), "reference"),
        "opioids": _opioids(data.get("opioids"), "opioids"),
        "currently_taking_opioids": _bool(
            data.get("currently_taking_opioids"), "currently_taking_opioids"
        ),
        "months_on_opioids": _amount(
            data.get("months_on_opioids"), "months_on_opioids", MAX_MONTHS
        ),
        "months_since_stopped": _amount(
            data.get("months_since_stopped"), "months_since_stopped", MAX_MONTHS
        ),
        "dose_change_last_6_months": _code(
            data.get("dose_change_last_6_months"), v.DOSE_CHANGES, "dose_change_last_6_months"
        ),
        "weeks_since_last_dose_change": _amount(
            data.get("weeks_since_last_dose_change"), "weeks_since_last_dose_change", MAX_WEEKS
        ),
        "pain_when_dose_increased": _code(
            data.get("pain_when_dose_increased"), v.PAIN_RESPONSES, "pain_when_dose_increased"
        ),
        "pain_when_dose_decreased": _code(
            data.get("pain_when_dose_decreased"), v.PAIN_RESPONSES, "pain_when_dose_decreased"
        ),
        "pain_between_doses_or_missed_dose": _code(
            data.get("pain_between_doses_or_missed_dose"),
            v.BETWEEN_DOSES,
            "pain_between_doses_or_missed_dose",
        ),
        "withdrawal_symptoms_between_doses": _codes(
            data.get("withdrawal_symptoms_between_doses"),
            v.WITHDRAWAL_SYMPTOMS,
            "withdrawal_symptoms_between_doses",
        ),
        "pain_score_now": _score(data.get("pain_score_now"), "pain_score_now"),
        "pain_score_at_start": _score(data.get("pain_score_at_start"), "pain_score_at_start"),
        "original_pain_sites": _codes(
            data.get("original_pain_sites"), v.BODY_REGIONS, "original_pain_sites"
        ),
        "current_pain_sites": _codes(
            data.get("current_pain_sites"), v.BODY_REGIONS, "current_pain_sites"
        ),
        "new_pain_qualities": _codes(
            data.get("new_pain_qualities"), v.PAIN_QUALITIES, "new_pain_qualities"
        ),
        "new_injury_or_disease_progression": _progression(
            data.get("new_injury_or_disease_progression"), "new_injury_or_disease_progression"
        ),
        "signs_of_misuse": _codes(data.get("signs_of_misuse"), v.MISUSE_SIGNS, "signs_of_misuse"),
        "known_opioid_use_disorder": _bool(
            data.get("known_opioid_use_disorder"), "known_opioid_use_disorder"
        ),
        "peg": _peg(data.get("peg"), "peg"),
        "change_between_visits": _change_between_visits(
            data.get("change_between_visits"), "change_between_visits"
        ),
        "other_medicines": _other_medicines(data.get("other_medicines"), "other_medicines"),
        "naloxone_at_home": _bool(data.get("naloxone_at_home"), "naloxone_at_home"),
        # The product and strength each opioid was chosen as (optional extra keys of
        # `opioids[]`), kept beside the items so that the items keep their shape; ruling 18
        # reads the non-opioid parts of a combination from them.
        "opioid_products": _opioid_products(data),
    }


def _opioids(value, path):
    items = _list(value, path)
    return [_opioid(item, f"{path}[{index}]") for index, item in enumerate(items)]


def _opioid(value, path):
    _object(value, path)
    name = _code(value.get("name"), v.OPIOID_NAMES, f"{path}.name", required=True)
    other_name = _text(value.get("other_name"), f"{path}.other_name")
    if name == "other" and not (other_name or "").strip():
        raise DocumentError(f"{path}.other_name", "is required when the opioid name is 'other'")
    purpose = _code(value.get("purpose"), v.PURPOSES, f"{path}.purpose")
    return {
        "name": name,
        "other_name": other_name,
        "formulation": _code(value.get("formulation"), v.FORMULATIONS, f"{path}.formulation"),
        "daily_dose": _daily_dose(value.get("daily_dose"), f"{path}.daily_dose"),
        # Any unit text is kept as entered: the rules flag an unknown or unfitting unit and
        # never convert it.
        "unit": _unit(value.get("unit"), f"{path}.unit"),
        "purpose": purpose or DEFAULT_PURPOSE,
    }


def _opioid_products(data):
    # A normalised document validated again (submission screens the normalised copy) keeps
    # its list: the items themselves no longer carry these keys.
    if "opioid_products" in data:
        value, path = data["opioid_products"], "opioid_products"
    else:
        value, path = data.get("opioids"), "opioids"
    items = _list(value, path)
    if len(items) != len(_list(data.get("opioids"), "opioids")):
        raise DocumentError(path, "must have one entry per opioid")
    products = []
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        _object(item, where)
        products.append(
            {
                **{
                    key: _text(item.get(key), f"{where}.{key}")
                    for key in ("product", "product_name", "strength")
                },
                "non_opioid_parts": [
                    _non_opioid_part(part, f"{where}.non_opioid_parts[{number}]")
                    for number, part in enumerate(
                        _list(item.get("non_opioid_parts"), f"{where}.non_opioid_parts")
                    )
                ],
            }
        )
    return products


def _non_opioid_part(value, path):
    """An ingredient of a combination a day ({name, daily_dose, unit}): ruling 18 sums them."""
    _object(value, path)
    name = _text(value.get("name"), f"{path}.name")
    if not (name or "").strip():
        raise DocumentError(f"{path}.name", "is required")
    return {
        "name": name,
        "daily_dose": _daily_dose(value.get("daily_dose"), f"{path}.daily_dose"),
        "unit": _unit(value.get("unit"), f"{path}.unit"),
    }


def _other_medicines(value, path):
    items = _list(value, path)
    return [_other_medicine(item, f"{path}[{index}]") for index, item in enumerate(items)]


def _other_medicine(value, path):
    _object(value, path)
    name = _text(value.get("name"), f"{path}.name")
    if not (name or "").strip():
        raise DocumentError(f"{path}.name", "is required")
    return {
        "name": name,
        "class": _code(
            value.get("class"), v.OTHER_MEDICINE_CLASSES, f"{path}.class", required=True
        ),
    }


def _daily_dose(value, path):
    if value is None:
        raise DocumentError(path, "is required")
    if not _is_number(value) or value <= 0:
        raise DocumentError(path, "must be a positive number")
    if value > MAX_DAILY_DOSE:
        raise DocumentError(path, f"is too large to be a daily dose (over {MAX_DAILY_DOSE})")
    return value


def _unit(value, path):
    unit = _text(value, path)
    if unit is None or not unit.strip():
        raise DocumentError(path, "is required")
    return unit


def _progression(value, path):
    if value is None:
        return {"present": None, "details": None}
    _object(value, path)
    return {
        "present": _bool(value.get("present"), f"{path}.present"),
        "details": _text(value.get("details"), f"{path}.details"),
    }


def _peg(value, path):
    if value is None:
        return None
    _object(value, path)
    return {item: _score(value.get(item), f"{path}.{item}") for item in PEG_ITEMS}


# A check-in's derived change (screening.follow_up.Change.as_record): the keys the rules read.
CHANGE_NUMBERS = ("mme_before", "mme_after", "weeks_since")
CHANGE_SCORES = ("pain_before", "pain_now")
CHANGE_FLAGS = (
    "mme_before_is_lower_bound",
    "mme_after_is_lower_bound",
    "is_inside_window",
    "counts_as_dose_response",
    "is_tolerance_lost",
)
CHANGE_TEXTS = (
    "opioids_before",
    "opioids_after",
    "mme_before_in_words",
    "mme_after_in_words",
    "previous_visit_on",
    "first_seen_on",
    "changed_on",
    "window_ends_on",
)


def _change_between_visits(value, path):
    """The latest change of opioids a check-in found across the patient's visits: not part
    of oih-intake/1 (an extra key, which other readers ignore), written by the check-in."""
    if value is None:
        return None
    _object(value, path)
    change = {"kind": _code(value.get("kind"), v.CHANGE_KINDS, f"{path}.kind", required=True)}
    for key in CHANGE_NUMBERS:
        number = value.get(key)
        if number is not None and (not _is_number(number) or number < 0):
            raise DocumentError(f"{path}.{key}", "must be a number of 0 or more")
        change[key] = number
    for key in CHANGE_SCORES:
        change[key] = _score(value.get(key), f"{path}.{key}")
    for key in CHANGE_FLAGS:
        change[key] = bool(_bool(value.get(key), f"{path}.{key}"))
    for key in CHANGE_TEXTS:
        change[key] = _text(value.get(key), f"{path}.{key}")
    return change


def _code(value, allowed, path, required=False):
    if value is None:
        if required:
            raise DocumentError(path, "is required")
        return None
    if isinstance(value, str) and value in allowed:
        return value
    raise DocumentError(path, f"{_shown(value)} is not one of: {', '.join(allowed)}")


def _shown(value):
    """A wrong value as an error message shows it: short, one line, never a huge number."""
    if isinstance(value, str):
        if len(value) > MAX_SHOWN_VALUE_LENGTH:
            value = value[:MAX_SHOWN_VALUE_LENGTH] + "..."
        return ascii(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        # repr() of an int of thousands of digits raises ValueError (Python's conversion limit).
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a value"


def _codes(value, allowed, path):
    items = _list(value, path)
    for index, item in enumerate(items):
        if not isinstance(item, str) or item not in allowed:
            # Raises, naming the position; the path is built only for a wrong item.
            _code(item, allowed, f"{path}[{index}]", required=True)
    return list(dict.fromkeys(items))


def _score(value, path):
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise DocumentError(path, "must be a whole number from 0 to 10")
    if not PAIN_SCORE_MIN <= value <= PAIN_SCORE_MAX:
        raise DocumentError(path, "must be a whole number from 0 to 10")
    return value


def _amount(value, path, maximum):
    if value is None:
        return None
    if not _is_number(value) or value < 0:
        raise DocumentError(path, "must be a number of 0 or more")
    if value > maximum:
        raise DocumentError(path, f"is too large (over {maximum})")
    return value


def _bool(value, path):
    if value is None or isinstance(value, bool):
        return value
    raise DocumentError(path, "must be true or false")


def _text(value, path):
    if value is None:
        return None
    if not isinstance(value, str):
        raise DocumentError(path, "must be text")
    if len(value) > MAX_TEXT_LENGTH:
        raise DocumentError(path, f"is longer than {MAX_TEXT_LENGTH} characters")
    if not value.isascii() and LONE_SURROGATE.search(value):
        raise DocumentError(path, "contains a character that is not valid text (a lone surrogate)")
    return value


def _list(value, path):
    if value is None:
        return []
    if not isinstance(value, list):
        raise DocumentError(path, "must be a list")
    return value


def _object(value, path):
    if not isinstance(value, dict):
        raise DocumentError(path, "must be an object")


def _is_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    # An int is always finite; math.isfinite() would overflow on one of hundreds of digits.
    return isinstance(value, int) or math.isfinite(value)
