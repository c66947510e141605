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


def _items(schema, *, prefix, codes, repeats, scores):
    items = []
    for key, kind in schema.items():
        link_id = prefix + key
        item = {"linkId": link_id, "text": key.replace("_", " ")}
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
