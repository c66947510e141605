"""The answers a patient can choose, with the words they see.

The codes are those of the `oih-intake/1` format (intake/screening/vocabulary.py
holds them without Django); a test checks that both lists agree.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpioidName(models.TextChoices):
    CODEINE = "codeine", _("Codeine")
    TRAMADOL = "tramadol", _("Tramadol")
    TAPENTADOL = "tapentadol", _("Tapentadol")
    HYDROCODONE = "hydrocodone", _("Hydrocodone")
    MORPHINE = "morphine", _("Morphine")
    OXYCODONE = "oxycodone", _("Oxycodone")
    OXYMORPHONE = "oxymorphone", _("Oxymorphone")
    HYDROMORPHONE = "hydromorphone", _("Hydromorphone")
    METHADONE = "methadone", _("Methadone")
    FENTANYL = "fentanyl", _("Fentanyl")
    BUPRENORPHINE = "buprenorphine", _("Buprenorphine")
    OTHER = "other", _("Other")


class Formulation(models.TextChoices):
    IMMEDIATE_RELEASE = "immediate_release", _("Tablet, capsule or liquid")
    EXTENDED_RELEASE = "extended_release", _("Long-acting tablet or capsule (ER, XR, SR, CR)")
    TRANSDERMAL_PATCH = "transdermal_patch", _("Skin patch")
    SUBLINGUAL = "sublingual", _("Under the tongue or inside the cheek")
    OTHER = "other", _("Something else")


class DoseUnit(models.TextChoices):
    MG_PER_DAY = "mg/day", _("mg a day")
    MCG_PER_HOUR = "mcg/hr", _("mcg an hour (patch)")


class TimeUnit(models.TextChoices):
    """The unit a patient chose for "how long ago" (typed_numbers' names, plural)."""

    DAYS = "days", _("Days")
    WEEKS = "weeks", _("Weeks")
    MONTHS = "months", _("Months")
    YEARS = "years", _("Years")


class Purpose(models.TextChoices):
    PAIN = "pain", _("For pain")
    OUD_TREATMENT = "oud_treatment", _("To treat opioid use disorder (addiction)")


class DoseChange(models.TextChoices):
    INCREASED = "increased", _("It went up")
    DECREASED = "decreased", _("It went down")
    STABLE = "stable", _("It stayed the same")
    STARTED = "started", _("I started taking opioids")
    STOPPED = "stopped", _("I stopped taking opioids")
    UNKNOWN = "unknown", _("I'm not sure")


class PainResponse(models.TextChoices):
    BETTER = "better", _("My pain got better")
    WORSE = "worse", _("My pain got worse")
    UNCHANGED = "unchanged", _("My pain stayed the same")
    NOT_TRIED = "not_tried", _("This has not happened")


class BetweenDoses(models.TextChoices):
    WORSE = "worse", _("Yes, my pain gets worse")
    NO_CHANGE = "no_change", _("No, it does not change")
    NOT_APPLICABLE = "not_applicable", _("This does not apply to me")


class WithdrawalSymptom(models.TextChoices):
    YAWNING = "yawning", _("Yawning a lot")
    SWEATING = "sweating", _("Sweating")
    RUNNY_NOSE = "runny_nose", _("Runny nose or watery eyes")
    GOOSEFLESH = "gooseflesh", _("Goosebumps")
    DIARRHOEA = "diarrhoea", _("Diarrhea (loose stools)")
    ABDOMINAL_CRAMPS = "abdominal_cramps", _("Stomach cramps")
    RESTLESSNESS = "restlessness", _("Feeling restless")
    ANXIETY = "anxiety", _("Feeling anxious or on edge")
    INSOMNIA = "insomnia", _("Trouble sleeping")


class PainQuality(models.TextChoices):
    BURNING = "burning", _("Burning")
    ELECTRIC = "electric", _("Electric or shooting")
    STABBING = "stabbing", _("Stabbing")
    PINS_AND_NEEDLES = "pins_and_needles", _("Pins and needles")
    NUMBNESS = "numbness", _("Numbness")
    ALLODYNIA = "allodynia", _("Light touch or clothing hurts")
    TEMPERATURE = "temperature", _("Cold or warmth hurts")


class MisuseSign(models.TextChoices):
    TAKING_MORE = "taking_more_than_prescribed", _("I have taken more than my prescription says")
    EARLY_REFILLS = "early_refill_requests", _("I have asked for a refill early")
    OTHER_SOURCES = (
        "using_opioids_from_other_sources",
        _("I have used opioids that were not prescribed to me"),
    )
    LOST_PRESCRIPTIONS = "lost_prescriptions", _("My medicine or prescription was lost or stolen")
    CRAVING = "craving", _("I have strong urges or cravings to take opioids")
    CRUSHING = "crushing_tablets", _("I have crushed, chewed or changed tablets before taking them")
    MULTIPLE_PRESCRIBERS = "multiple_prescribers", _("I get opioids from more than one prescriber")


class OtherMedicine(models.TextChoices):
    """The "Other medicines" page's boxes: the common sedatives, muscle relaxants and
    gabapentinoids by the names patients know (ruling 19); each code's name and class in the
    document come from screening.other_medicines.LISTED_OTHER_MEDICINES."""

    ALPRAZOLAM = "alprazolam", _("Xanax (alprazolam)")
    DIAZEPAM = "diazepam", _("Valium (diazepam)")
    CLONAZEPAM = "clonazepam", _("Klonopin (clonazepam)")
    LORAZEPAM = "lorazepam", _("Ativan (lorazepam)")
    ZOLPIDEM = "zolpidem", _("Ambien (zolpidem)")
    CARISOPRODOL = "carisoprodol", _("Soma (carisoprodol)")
    CYCLOBENZAPRINE = "cyclobenzaprine", _("Flexeril (cyclobenzaprine)")
    GABAPENTIN = "gabapentin", _("Gabapentin (Neurontin)")
    PREGABALIN = "pregabalin", _("Pregabalin (Lyrica)")
    NONE = "none", _("None of these")
    NOT_SURE = "not_sure", _("I'm not sure")


class NaloxoneAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("Not sure")


class BodyRegion(models.TextChoices):
    HEAD = "head", _("Head")
    FACE = "face", _("Face")
    NECK = "neck", _("Neck")
    LEFT_SHOULDER = "left_shoulder", _("Left shoulder")
    RIGHT_SHOULDER = "right_shoulder", _("Right shoulder")
    CHEST = "chest", _("Chest")
    UPPER_BACK = "upper_back", _("Upper back")
    LEFT_UPPER_ARM = "left_upper_arm", _("Left upper arm")
    RIGHT_UPPER_ARM = "right_upper_arm", _("Right upper arm")
    ABDOMEN = "abdomen", _("Belly (abdomen)")
    LOWER_BACK = "lower_back", _("Lower back")
    LEFT_FOREARM = "left_forearm", _("Left forearm")
    RIGHT_FOREARM = "right_forearm", _("Right forearm")
    LEFT_HAND = "left_hand", _("Left hand")
    RIGHT_HAND = "right_hand", _("Right hand")
    PELVIS_GROIN = "pelvis_groin", _("Pelvis or groin")
    LEFT_HIP = "left_hip", _("Left hip")
    RIGHT_HIP = "right_hip", _("Right hip")
    BUTTOCKS = "buttocks", _("Buttocks")
    LEFT_THIGH = "left_thigh", _("Left thigh")
    RIGHT_THIGH = "right_thigh", _("Right thigh")
    LEFT_KNEE = "left_knee", _("Left knee")
    RIGHT_KNEE = "right_knee", _("Right knee")
    LEFT_LOWER_LEG = "left_lower_leg", _("Left lower leg")
    RIGHT_LOWER_LEG = "right_lower_leg", _("Right lower leg")
    LEFT_FOOT = "left_foot", _("Left foot")
    RIGHT_FOOT = "right_foot", _("Right foot")


# Regions drawn on the back view of the body map; every other region is on the front.
BACK_REGIONS = (BodyRegion.UPPER_BACK, BodyRegion.LOWER_BACK, BodyRegion.BUTTOCKS)
