"""The FHIR R4 Questionnaire that the exported QuestionnaireResponses answer. No Django.

Built from the same table as the responses (`fhir.document_items()`, from intake.answers),
with the answer codes of the `oih-intake/1` vocabulary, so the two cannot drift apart. Visits and check-ins answer the
same Questionnaire: a check-in is stored as a full visit (intake/check_ins.py).
`manage.py fhir_questionnaire` writes it out for publishing.
"""

from intake import answers
from intake.exchange import fhir
from intake.screening import vocabulary

ITEM_TYPES = {
    fhir.BOOLEAN: "boolean",
    fhir.INTEGER: "integer",
    fhir.DECIMAL: "decimal",
    fhir.CODING: "choice",
    fhir.STRING: "string",
}
# The opioids' coded parts; the answers' codes come from the answer table.
OPIOID_ANSWER_CODES = {
    "opioids.name": vocabulary.OPIOID_NAMES,
    "opioids.formulation": vocabulary.FORMULATIONS,
    "opioids.purpose": vocabulary.PURPOSES,
}
SCORE_MIN, SCORE_MAX = answers.SCORE_MIN, answers.SCORE_MAX


def answer_codes():
    """The codes of each coded item by linkId (a compound answer's codes are its coded part's)."""
    codes = dict(OPIOID_ANSWER_CODES)
    for answer in answers.answer_table():
        if not answer.codes:
            continue
        coded_parts = [
            part
            for part, kind in answers.PARTS.get(answer.kind, {}).items()
            if kind == answers.CHOICE
        ]
        for part in coded_parts or [None]:
            codes[answer.link_id + (f".{part}" if part else "")] = answer.codes
    return codes


def repeating():
    """Questions that take several answers, and the groups that repeat (once per opioid)."""
    return {"opioids", *(answer.link_id for answer in answers.answer_table() if answer.repeats)}


def scores():
    """The items scored from 0 to 10, a compound answer's parts as dotted paths."""
    found = set()
    for answer in answers.answer_table():
        if answer.kind == answers.SCORE:
            found.add(answer.link_id)
        for part, kind in answers.PARTS.get(answer.kind, {}).items():
            if kind == answers.SCORE:
                found.add(f"{answer.link_id}.{part}")
    return found


# Each item's text: the question as the patient read it on the English form
# (intake/journey/forms.py), or a short label for what the patient did not read as one.
QUESTION_TEXTS = {
    "reference": "Clinic number, or the intake's reference when none was given",
    "opioids": "Opioid medicines taken now or in the past",
    "opioids.name": "Opioid",
    "opioids.other_name": "Name of an opioid not on the list",
    "opioids.formulation": "Form",
    "opioids.daily_dose": "Daily dose (mg a day, or mcg an hour for a patch)",
    "opioids.unit": "Unit of the daily dose",
    "opioids.purpose": "What it is taken for",
    "currently_taking_opioids": "Do you take opioid medicine now?",
    "months_on_opioids": "About how long have you taken opioids, in all? (months)",
    "months_since_stopped": "About how long ago did you stop taking opioids? (months)",
    "dose_change_last_6_months": "In the last 6 months, what happened to your opioid dose?",
    "weeks_since_last_dose_change": "About how many weeks ago did your dose last change?",
    "pain_when_dose_increased": (
        "When your dose went up, what did your pain do over the next weeks?"
    ),
    "pain_when_dose_decreased": (
        "When your dose went down, what did your pain do once the first few weeks had passed?"
    ),
    "pain_between_doses_or_missed_dose": (
        "Does your pain get worse just before your next dose is due, or when you miss a dose?"
    ),
    "withdrawal_symptoms_between_doses": "At those times, do you also have any of these?",
    "pain_score_now": "How bad is your pain now?",
    "pain_score_at_start": "How bad was your pain before you started opioids?",
    "original_pain_sites": "Where did your pain first start?",
    "current_pain_sites": "Where do you feel pain now?",
    "new_pain_qualities": "Since starting opioids, have you had any new kinds of pain?",
    "new_injury_or_disease_progression": "New injury, surgery or worse health problem",
    "new_injury_or_disease_progression.present": (
        "Since your pain started, have you had a new injury, surgery, or a health problem "
        "that got worse? (no answer with data-absent-reason asked-unknown: not sure)"
    ),
    "new_injury_or_disease_progression.details": "If yes, tell us a little about it",
    "signs_of_misuse": "Have any of these happened in the past year?",
    "known_opioid_use_disorder": (
        "Has a clinician ever told you that you have opioid use disorder (addiction)?"
    ),
    "peg": "Pain, enjoyment of life and activity in the past week (PEG)",
    "peg.pain": "What number best describes your pain on average?",
    "peg.enjoyment": "How much has pain got in the way of enjoying life?",
    "peg.activity": "How much has pain got in the way of your daily activities?",
    "other_medicines": (
        "Do you take any of these medicines now? (for sleep, worry, muscle spasms or nerve pain)"
    ),
    "other_medicines.name": "The medicine as the patient named it",
    "other_medicines.class": "Kind of medicine",
    "naloxone_at_home": (
        "Do you have naloxone (Narcan) at home? (no answer with data-absent-reason "
        "asked-unknown: not sure)"
    ),
}
MIN_VALUE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/maxValue"


def questionnaire():
    """The Questionnaire resource, as a plain dict."""
    return {
        "resourceType": "Questionnaire",
        "url": fhir.QUESTIONNAIRE_URL,
        "version": fhir.QUESTIONNAIRE_VERSION,
        "name": "OIHIntake",
        "title": "Opioids and pain: intake and follow-up check-in (oih-intake/1)",
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            "The answers of the pain clinic's intake and of each follow-up check-in. "
            "Link ids are the keys of the oih-intake/1 document; nested ones are dotted paths."
        ),
        "item": _items(
            fhir.document_items(),
            prefix="",
            codes=answer_codes(),
            repeats=repeating(),
            scores=scores(),
        ),
    }


def _text(link_id):
    """The question as the patient read it; an added question's label from the answer table."""
    if link_id in QUESTION_TEXTS:
        return QUESTION_TEXTS[link_id]
    labels = {answer.link_id: answer.label for answer in answers.answer_table()}
    return labels.get(link_id) or link_id.rsplit(".", 1)[-1].replace("_", " ")


def _items(schema, *, prefix, codes, repeats, scores):
    items = []
    for key, kind in schema.items():
        link_id = prefix + key
        item = {"linkId": link_id, "text": _text(link_id)}
        if isinstance(kind, dict):
            item["type"] = "group"
            item["item"] = _items(
                kind, prefix=link_id + ".", codes=codes, repeats=repeats, scores=scores
            )
        else:
            item["type"] = ITEM_TYPES[kind]
        if key in repeats:
            item["repeats"] = True
        if link_id in codes:
            system = fhir.CODE_SYSTEM_PREFIX + link_id
            item["answerOption"] = [
                {"valueCoding": {"system": system, "code": code}} for code in codes[link_id]
            ]
        if link_id in scores:
            item["extension"] = [
                {"url": MIN_VALUE_EXTENSION, "valueInteger": SCORE_MIN},
                {"url": MAX_VALUE_EXTENSION, "valueInteger": SCORE_MAX},
            ]
        items.append(item)
    return items
