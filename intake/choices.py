"""The answers a patient can choose, with the words they see.

The codes are those of the `oih-intake/1` format (intake/screening/vocabulary.py
holds them without Django); a test checks that both lists agree.
"""

from django.db import models


class OpioidName(models.TextChoices):
    CODEINE = "codeine", "Codeine"
    TRAMADOL = "tramadol", "Tramadol"
    TAPENTADOL = "tapentadol", "Tapentadol"
    HYDROCODONE = "hydrocodone", "Hydrocodone"
    MORPHINE = "morphine", "Morphine"
    OXYCODONE = "oxycodone", "Oxycodone"
    OXYMORPHONE = "oxymorphone", "Oxymorphone"
    HYDROMORPHONE = "hydromorphone", "Hydromorphone"
    METHADONE = "methadone", "Methadone"
    FENTANYL = "fentanyl", "Fentanyl"
    BUPRENORPHINE = "buprenorphine", "Buprenorphine"
    OTHER = "other", "Other"


class Formulation(models.TextChoices):
    IMMEDIATE_RELEASE = "immediate_release", "Tablet, capsule or liquid"
    EXTENDED_RELEASE = "extended_release", "Long-acting tablet or capsule (ER, XR, SR, CR)"
    TRANSDERMAL_PATCH = "transdermal_patch", "Skin patch"
    SUBLINGUAL = "sublingual", "Under the tongue or inside the cheek"
    OTHER = "other", "Something else"


class DoseUnit(models.TextChoices):
    MG_PER_DAY = "mg/day", "mg a day"
    MCG_PER_HOUR = "mcg/hr", "mcg an hour (patch)"


class Purpose(models.TextChoices):
    PAIN = "pain", "For pain"
    OUD_TREATMENT = "oud_treatment", "To treat opioid use disorder (addiction)"


class DoseChange(models.TextChoices):
    INCREASED = "increased", "It went up"
    DECREASED = "decreased", "It went down"
    STABLE = "stable", "It stayed the same"
    STARTED = "started", "I started taking opioids"
    STOPPED = "stopped", "I stopped taking opioids"
    UNKNOWN = "unknown", "I'm not sure"


class PainResponse(models.TextChoices):
    BETTER = "better", "My pain got better"
    WORSE = "worse", "My pain got worse"
    UNCHANGED = "unchanged", "My pain stayed the same"
    NOT_TRIED = "not_tried", "This has not happened"


class BetweenDoses(models.TextChoices):
    WORSE = "worse", "Yes, my pain gets worse"
    NO_CHANGE = "no_change", "No, it does not change"
    NOT_APPLICABLE = "not_applicable", "This does not apply to me"


class WithdrawalSymptom(models.TextChoices):
    YAWNING = "yawning", "Yawning a lot"
    SWEATING = "sweating", "Sweating"
    RUNNY_NOSE = "runny_nose", "Runny nose or watery eyes"
    GOOSEFLESH = "gooseflesh", "Goosebumps"
    DIARRHOEA = "diarrhoea", "Diarrhea (loose stools)"
    ABDOMINAL_CRAMPS = "abdominal_cramps", "Stomach cramps"
    RESTLESSNESS = "restlessness", "Feeling restless"
    ANXIETY = "anxiety", "Feeling anxious or on edge"
    INSOMNIA = "insomnia", "Trouble sleeping"


class PainQuality(models.TextChoices):
    BURNING = "burning", "Burning"
    ELECTRIC = "electric", "Electric or shooting"
    STABBING = "stabbing", "Stabbing"
    PINS_AND_NEEDLES = "pins_and_needles", "Pins and needles"
    NUMBNESS = "numbness", "Numbness"
    ALLODYNIA = "allodynia", "Light touch or clothing hurts"
    TEMPERATURE = "temperature", "Cold or warmth hurts"


class MisuseSign(models.TextChoices):
    TAKING_MORE = "taking_more_than_prescribed", "I have taken more than my prescription says"
    EARLY_REFILLS = "early_refill_requests", "I have asked for a refill early"
    OTHER_SOURCES = (
        "using_opioids_from_other_sources",
        ("I have used opioids that were not prescribed to me"),
    )
    LOST_PRESCRIPTIONS = "lost_prescriptions", "My medicine or prescription was lost or stolen"
    CRAVING = "craving", "I have strong urges or cravings to take opioids"
    CRUSHING = "crushing_tablets", "I have crushed, chewed or changed tablets before taking them"
    MULTIPLE_PRESCRIBERS = "multiple_prescribers", "I get opioids from more than one prescriber"


class BodyRegion(models.TextChoices):
    HEAD = "head", "Head"
    FACE = "face", "Face"
    NECK = "neck", "Neck"
    LEFT_SHOULDER = "left_shoulder", "Left shoulder"
    RIGHT_SHOULDER = "right_shoulder", "Right shoulder"
    CHEST = "chest", "Chest"
    UPPER_BACK = "upper_back", "Upper back"
    LEFT_UPPER_ARM = "left_upper_arm", "Left upper arm"
    RIGHT_UPPER_ARM = "right_upper_arm", "Right upper arm"
    ABDOMEN = "abdomen", "Belly (abdomen)"
    LOWER_BACK = "lower_back", "Lower back"
    LEFT_FOREARM = "left_forearm", "Left forearm"
    RIGHT_FOREARM = "right_forearm", "Right forearm"
    LEFT_HAND = "left_hand", "Left hand"
    RIGHT_HAND = "right_hand", "Right hand"
    PELVIS_GROIN = "pelvis_groin", "Pelvis or groin"
    LEFT_HIP = "left_hip", "Left hip"
    RIGHT_HIP = "right_hip", "Right hip"
    BUTTOCKS = "buttocks", "Buttocks"
    LEFT_THIGH = "left_thigh", "Left thigh"
    RIGHT_THIGH = "right_thigh", "Right thigh"
    LEFT_KNEE = "left_knee", "Left knee"
    RIGHT_KNEE = "right_knee", "Right knee"
    LEFT_LOWER_LEG = "left_lower_leg", "Left lower leg"
    RIGHT_LOWER_LEG = "right_lower_leg", "Right lower leg"
    LEFT_FOOT = "left_foot", "Left foot"
    RIGHT_FOOT = "right_foot", "Right foot"


# Regions drawn on the back view of the body map; every other region is on the front.
BACK_REGIONS = (BodyRegion.UPPER_BACK, BodyRegion.LOWER_BACK, BodyRegion.BUTTOCKS)
