"""The FHIR R4 Questionnaire that the exported QuestionnaireResponses answer. No Django.

Built from the same table as the responses (`fhir.DOCUMENT_ITEMS`), with the answer codes of
the `oih-intake/1` vocabulary, so the two cannot drift apart. Visits and check-ins answer the
same Questionnaire: a check-in is stored as a full visit (intake/check_ins.py).
`manage.py fhir_questionnaire` writes it out for publishing.
"""

from intake.exchange import fhir
from intake.screening import vocabulary

ITEM_TYPES = {
    fhir.BOOLEAN: "boolean",
    fhir.INTEGER: "integer",
    fhir.DECIMAL: "decimal",
    fhir.CODING: "choice",
    fhir.STRING: "string",
}
ANSWER_CODES = {
    "opioids.name": vocabulary.OPIOID_NAMES,
    "opioids.formulation": vocabulary.FORMULATIONS,
    "opioids.purpose": vocabulary.PURPOSES,
    "dose_change_last_6_months": vocabulary.DOSE_CHANGES,
    "pain_when_dose_increased": vocabulary.PAIN_RESPONSES,
    "pain_when_dose_decreased": vocabulary.PAIN_RESPONSES,
    "pain_between_doses_or_missed_dose": vocabulary.BETWEEN_DOSES,
    "withdrawal_symptoms_between_doses": vocabulary.WITHDRAWAL_SYMPTOMS,
    "original_pain_sites": vocabulary.BODY_REGIONS,
    "current_pain_sites": vocabulary.BODY_REGIONS,
    "new_pain_qualities": vocabulary.PAIN_QUALITIES,
    "signs_of_misuse": vocabulary.MISUSE_SIGNS,
    "other_medicines.class": vocabulary.OTHER_MEDICINE_CLASSES,
}
# Questions that take several answers, and the group that repeats once per opioid.
REPEATS = {
    "opioids",
    "withdrawal_symptoms_between_doses",
    "original_pain_sites",
    "current_pain_sites",
    "new_pain_qualities",
    "signs_of_misuse",
    "other_medicines",
}
SCORES = {"pain_score_now", "pain_score_at_start", "peg.pain", "peg.enjoyment", "peg.activity"}
SCORE_MIN, SCORE_MAX = 0, 10
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
        "item": _items(fhir.DOCUMENT_ITEMS, prefix=""),
    }


def _items(schema, *, prefix):
    items = []
    for key, kind in schema.items():
        link_id = prefix + key
        item = {"linkId": link_id, "text": key.replace("_", " ")}
        if isinstance(kind, dict):
            item["type"] = "group"
            item["item"] = _items(kind, prefix=link_id + ".")
        else:
            item["type"] = ITEM_TYPES[kind]
        if key in REPEATS:
            item["repeats"] = True
        if link_id in ANSWER_CODES:
            system = fhir.CODE_SYSTEM_PREFIX + link_id
            item["answerOption"] = [
                {"valueCoding": {"system": system, "code": code}} for code in ANSWER_CODES[link_id]
            ]
        if link_id in SCORES:
            item["extension"] = [
                {"url": MIN_VALUE_EXTENSION, "valueInteger": SCORE_MIN},
                {"url": MAX_VALUE_EXTENSION, "valueInteger": SCORE_MAX},
            ]
        items.append(item)
    return items
