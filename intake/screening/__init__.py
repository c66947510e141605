"""Clinical screening rules for opioid-induced hyperalgesia (OIH): pure Python, no Django.

Plain values in, a result out. The Django app calls `screen()` and stores the result with its
`rules_version`; nothing here reads the clock, the database or settings.
"""

from .compare import compare_visits
from .document import DocumentError, validate_document
from .mme import FACTOR_TABLE, compute_mme
from .result import RULES_VERSION, screen
from .vocabulary import (
    ALERT_CODES,
    BETWEEN_DOSES,
    BODY_REGIONS,
    DOSE_CHANGES,
    FORMULATIONS,
    MISUSE_SIGNS,
    OIH_LEVELS,
    OPIOID_NAMES,
    PAIN_QUALITIES,
    PAIN_RESPONSES,
    PURPOSES,
    UNITS,
    WITHDRAWAL_SYMPTOMS,
)

__all__ = [
    "ALERT_CODES",
    "BETWEEN_DOSES",
    "BODY_REGIONS",
    "DOSE_CHANGES",
    "FACTOR_TABLE",
    "FORMULATIONS",
    "MISUSE_SIGNS",
    "OIH_LEVELS",
    "OPIOID_NAMES",
    "PAIN_QUALITIES",
    "PAIN_RESPONSES",
    "PURPOSES",
    "RULES_VERSION",
    "UNITS",
    "WITHDRAWAL_SYMPTOMS",
    "DocumentError",
    "compare_visits",
    "compute_mme",
    "screen",
    "validate_document",
]
