"""The intake's answers, one entry each: the table every reader of the answers goes by.

An entry names the `oih-intake/1` document key, what kind of answer it is, the Intake
field(s) it is stored in, its codes, the clinician's label, the web form's page that asks it
and whether a check-in carries it over from the previous visit. The document (Intake
.as_document), the import, the re-screening, the check-in, the FHIR export and its
Questionnaire, and the clinician's pages all read it, so adding a question is one entry here
(and its model field, form and rules, where it has them).

Plain Python, no Django at import time: the FHIR export reads it too. `answer_table()` adds
the answers a deployment declares in the setting OIH_EXTRA_ANSWERS (entries with no model
field are kept in Intake.more_answers).
"""

from dataclasses import dataclass

from intake.screening import vocabulary

# Kinds of answer. A compound kind is a group of parts, each a simple kind.
YES_NO = "yes_no"  # true / false / null
YES_NO_CHOICE = (
    "yes_no_choice"  # stored as yes / no / not_sure; null in the document unless yes or no
)
NUMBER = "number"
CHOICE = "choice"
CHOICES = "choices"
SCORE = "score"  # a whole number from 0 to 10
PAIN_SITES = "pain_sites"  # body regions, several
TEXT = "text"
PROGRESSION = "progression"  # {present, details}
PEG = "peg"  # {pain, enjoyment, activity}
MEDICINE_LIST = "medicine_list"  # [{name, class}], once per medicine

# The parts of each compound kind, in the document's order.
PARTS = {
    PROGRESSION: {"present": YES_NO, "details": TEXT},
    PEG: {"pain": SCORE, "enjoyment": SCORE, "activity": SCORE},
    MEDICINE_LIST: {"name": TEXT, "class": CHOICE},
}
# Kinds whose answer is a list (FHIR: a question that repeats).
REPEATING_KINDS = {CHOICES, PAIN_SITES, MEDICINE_LIST}
SCORE_MIN, SCORE_MAX = 0, 10

# The FHIR R4 answer type of each simple kind.
BOOLEAN, INTEGER, DECIMAL, CODING, STRING = (
    "valueBoolean",
    "valueInteger",
    "valueDecimal",
    "valueCoding",
    "valueString",
)
FHIR_TYPES = {
    YES_NO: BOOLEAN,
    YES_NO_CHOICE: BOOLEAN,
    NUMBER: DECIMAL,
    CHOICE: CODING,
    CHOICES: CODING,
    SCORE: INTEGER,
    PAIN_SITES: CODING,
    TEXT: STRING,
}


@dataclass(frozen=True)
class Answer:
    key: str
    kind: str
    # The Intake fields that hold it, the first the main one; none: kept in more_answers.
    fields: tuple = ()
    # The document's codes (a compound kind: its one coded part's), and the intake.choices
    # class that words them for people.
    codes: tuple = ()
    choices: str = ""
    # As the clinician's pages show it (English).
    label: str = ""
    # The web form's page (intake/journey/steps.py) that asks it.
    step: str = ""
    # Whether a check-in carries it over from the previous visit rather than asking it.
    carried: bool = False
    # Only in the document once its page was answered (keys added after oih-intake/1 began:
    # a document without them says "not asked", not "none").
    only_once_answered: bool = False

    @property
    def link_id(self):
        """Its FHIR linkId: the document key (nested parts are dotted paths)."""
        return self.key

    @property
    def fhir_type(self):
        """The FHIR answer type, or for a compound kind {part: answer type}."""
        if self.kind in PARTS:
            return {part: FHIR_TYPES[kind] for part, kind in PARTS[self.kind].items()}
        return FHIR_TYPES[self.kind]

    @property
    def repeats(self):
        return self.kind in REPEATING_KINDS


ANSWERS = (
    Answer(
        "currently_taking_opioids",
        YES_NO,
        fields=("currently_taking_opioids",),
        label="Take opioids now",
        step="opioid-use",
    ),
    Answer(
        "months_on_opioids",
        NUMBER,
        fields=("months_on_opioids",),
        label="How long on opioids",
        step="time-on-opioids",
    ),
    Answer(
        "months_since_stopped",
        NUMBER,
        fields=("months_since_stopped",),
        label="Stopped how long ago",
        step="time-since-stopped",
        carried=True,
    ),
    Answer(
        "dose_change_last_6_months",
        CHOICE,
        fields=("dose_change_last_6_months",),
        codes=vocabulary.DOSE_CHANGES,
        choices="DoseChange",
        label="Dose in the last 6 months",
        step="dose-change",
    ),
    Answer(
        "weeks_since_last_dose_change",
        NUMBER,
        # The weeks the rules read, and the answer in the patient's own unit ("6 months").
        fields=("weeks_since_last_dose_change", "dose_change_ago", "dose_change_ago_unit"),
        label="Last dose change",
        step="dose-change-weeks",
    ),
    Answer(
        "pain_when_dose_increased",
        CHOICE,
        fields=("pain_when_dose_increased",),
        codes=vocabulary.PAIN_RESPONSES,
        choices="PainResponse",
        label="When the dose went up",
        step="dose-changes",
    ),
    Answer(
        "pain_when_dose_decreased",
        CHOICE,
        fields=("pain_when_dose_decreased",),
        codes=vocabulary.PAIN_RESPONSES,
        choices="PainResponse",
        label="When the dose went down",
        step="dose-down",
    ),
    Answer(
        "pain_between_doses_or_missed_dose",
        CHOICE,
        fields=("pain_between_doses_or_missed_dose",),
        codes=vocabulary.BETWEEN_DOSES,
        choices="BetweenDoses",
        label="Pain before the next dose or a missed dose",
        step="between-doses",
        carried=True,
    ),
    Answer(
        "withdrawal_symptoms_between_doses",
        CHOICES,
        fields=("withdrawal_symptoms_between_doses",),
        codes=vocabulary.WITHDRAWAL_SYMPTOMS,
        choices="WithdrawalSymptom",
        label="At those times",
        step="between-doses",
    ),
    Answer(
        "pain_score_now",
        SCORE,
        fields=("pain_score_now",),
        label="Pain now",
        step="pain-details",
    ),
    Answer(
        "pain_score_at_start",
        SCORE,
        fields=("pain_score_at_start",),
        label="Pain before opioids",
        step="pain-at-start",
        carried=True,
    ),
    Answer(
        "original_pain_sites",
        PAIN_SITES,
        fields=("original_pain_sites",),
        codes=vocabulary.BODY_REGIONS,
        choices="BodyRegion",
        label="Where it first started",
        step="pain-map-start",
        carried=True,
    ),
    Answer(
        "current_pain_sites",
        PAIN_SITES,
        fields=("current_pain_sites",),
        codes=vocabulary.BODY_REGIONS,
        choices="BodyRegion",
        label="Pain now",
        step="pain-map",
        carried=True,
    ),
    Answer(
        "new_pain_qualities",
        CHOICES,
        fields=("new_pain_qualities",),
        codes=vocabulary.PAIN_QUALITIES,
        choices="PainQuality",
        label="New kinds of pain",
        step="new-pain",
        carried=True,
    ),
    Answer(
        "new_injury_or_disease_progression",
        PROGRESSION,
        fields=("new_injury_or_disease_progression", "new_injury_details"),
        label="New injury, surgery or worse health problem",
        step="new-injury",
        carried=True,
    ),
    Answer(
        "signs_of_misuse",
        CHOICES,
        fields=("signs_of_misuse",),
        codes=vocabulary.MISUSE_SIGNS,
        choices="MisuseSign",
        label="Happened in the past year",
        step="other-questions",
        carried=True,
    ),
    Answer(
        "known_opioid_use_disorder",
        YES_NO,
        fields=("known_opioid_use_disorder",),
        label="Told you have opioid use disorder",
        step="oud",
        carried=True,
    ),
    Answer(
        "peg",
        PEG,
        fields=("peg_pain", "peg_enjoyment", "peg_activity"),
        label="Average pain, past week",
        step="pain-past-week",
    ),
    # Rules 2026.3 (ruling 19): medicines that are not opioids, and naloxone at home. Not asked
    # again at a check-in, to keep it short: carried, and the clinician's page says so.
    Answer(
        "other_medicines",
        MEDICINE_LIST,
        # The document's list, then the boxes ticked and the names typed it was made from.
        fields=("other_medicines", "other_medicines_ticked", "other_medicines_typed"),
        codes=vocabulary.OTHER_MEDICINE_CLASSES,
        label="Other medicines",
        step="other-medicines",
        carried=True,
        only_once_answered=True,
    ),
    Answer(
        "naloxone_at_home",
        YES_NO_CHOICE,
        fields=("naloxone_at_home",),
        choices="NaloxoneAnswer",
        label="Naloxone (Narcan) at home",
        step="other-medicines",
        carried=True,
        only_once_answered=True,
    ),
)


def answer_table():
    """The answers in the document's order, with those the settings add (OIH_EXTRA_ANSWERS)
    at the end. Where Django is not set up (a script of the pure code), the table alone."""
    return ANSWERS + extra_answers()


def extra_answers():
    """The answers a deployment adds in OIH_EXTRA_ANSWERS: Answer entries, kept in
    Intake.more_answers. Read at call time, never at import, as settings may change."""
    try:
        from django.conf import settings
    except ImportError:
        return ()
    if not settings.configured:
        return ()
    return tuple(getattr(settings, "OIH_EXTRA_ANSWERS", ()))


def stored_fields(table=None):
    """The Intake fields that hold the answers, in the table's order."""
    return [field for answer in table or answer_table() for field in answer.fields]


def carried_fields(table=None):
    """The Intake fields a check-in copies from the previous visit."""
    return [
        field for answer in table or answer_table() if answer.carried for field in answer.fields
    ]
