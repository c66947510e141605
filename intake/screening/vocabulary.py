"""The codes an `oih-intake/1` document may use (shared/intake-format.md).

Plain tuples, so the web form, the import command and the rules share one list.
"""

INTAKE_FORMAT = "oih-intake/1"
RESULT_FORMAT = "oih-screening/1"

OPIOID_NAMES = (
    "codeine",
    "tramadol",
    "tapentadol",
    "hydrocodone",
    "morphine",
    "oxycodone",
    "oxymorphone",
    "hydromorphone",
    "methadone",
    "fentanyl",
    "buprenorphine",
    "other",
)
FORMULATIONS = (
    "immediate_release",
    "extended_release",
    "transdermal_patch",
    "sublingual",
    "other",
)
UNITS = ("mg/day", "mcg/hr")
PURPOSES = ("pain", "oud_treatment")
DOSE_CHANGES = ("increased", "decreased", "stable", "started", "stopped", "unknown")
PAIN_RESPONSES = ("better", "worse", "unchanged", "not_tried")
BETWEEN_DOSES = ("worse", "no_change", "not_applicable")
WITHDRAWAL_SYMPTOMS = (
    "yawning",
    "sweating",
    "runny_nose",
    "gooseflesh",
    "diarrhoea",
    "abdominal_cramps",
    "restlessness",
    "anxiety",
    "insomnia",
)
PAIN_QUALITIES = (
    "burning",
    "electric",
    "stabbing",
    "pins_and_needles",
    "numbness",
    "allodynia",
    "temperature",
)
MISUSE_SIGNS = (
    "taking_more_than_prescribed",
    "early_refill_requests",
    "using_opioids_from_other_sources",
    "lost_prescriptions",
    "craving",
    "crushing_tablets",
    "multiple_prescribers",
)
# Head to foot, trunk before limbs at each level, left before right.
BODY_REGIONS = (
    "head",
    "face",
    "neck",
    "left_shoulder",
    "right_shoulder",
    "chest",
    "upper_back",
    "left_upper_arm",
    "right_upper_arm",
    "left_forearm",
    "right_forearm",
    "left_hand",
    "right_hand",
    "abdomen",
    "lower_back",
    "pelvis_groin",
    "buttocks",
    "left_hip",
    "right_hip",
    "left_thigh",
    "right_thigh",
    "left_knee",
    "right_knee",
    "left_lower_leg",
    "right_lower_leg",
    "left_foot",
    "right_foot",
)
OIH_LEVELS = ("flag", "borderline", "none")
ALERT_CODES = (
    "mme_ge_50",
    "mme_ge_90",
    "mme_not_computable",
    "withdrawal_after_dose_cut",
    "withdrawal_symptoms_after_change",
    "misuse_signals",
    "data_quality",
    # Rulings 18 and 19 (rules 2026.3).
    "over_label_maximum",
    "sedative_with_opioid",
    "gabapentinoid_with_opioid",
    "naloxone_not_at_home",
)
# Medicines that are not opioids (2026.3 `other_medicines[].class`): never in MME (ruling 19).
OTHER_MEDICINE_CLASSES = (
    "benzodiazepine",
    "z_drug",
    "barbiturate",
    "muscle_relaxant",
    "gabapentinoid",
    "other",
)
# Ruling 12: critical (urgent), warning (needs a clinician's review), info.
ALERT_INDICATORS = ("info", "warning", "critical")
# Why an MME item is shown but not added to the total.
MME_EXCLUSION_REASONS = ("buprenorphine", "oud_treatment", "not_convertible", "stopped")
# Changes between two visits (screening.follow_up, follow-up ruling F1).
CHANGE_KINDS = ("cut", "increase", "stop", "switch", "start")
