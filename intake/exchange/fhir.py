"""An `oih-intake/1` document as HL7 FHIR R4 resources (oih-facts section 7). No Django.

Each intake becomes a `QuestionnaireResponse` holding the answers, with one RxNorm-coded
`MedicationStatement` per opioid derived from it. Plain values in, plain dicts out: the caller
passes the intake's reference, submission time and public id, so the same intake always gives
the same resources.
"""

import json
import uuid

from intake import answers
from intake.screening import validate_document

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
# Our own answer codes: one system per document key, such as urn:oih-intake:signs_of_misuse.
CODE_SYSTEM_PREFIX = "urn:oih-intake:"
INTAKE_REFERENCE_SYSTEM = "urn:oih-clinic:intake-reference"
PATIENT_REFERENCE_SYSTEM = CODE_SYSTEM_PREFIX + "reference"
# The Questionnaire every response answers (exchange/questionnaire.py, `manage.py
# fhir_questionnaire`), and the follow-up a check-in belongs to, named as a CarePlan.
QUESTIONNAIRE_URL = "urn:oih-clinic:questionnaire:oih-intake"
QUESTIONNAIRE_VERSION = "1"
FOLLOW_UP_SYSTEM = "urn:oih-clinic:follow-up"

# RxNorm ingredient codes, oih-facts section 5. `other` has none: it is sent as text only.
RXNORM_INGREDIENTS = {
    "codeine": "2670",
    "hydrocodone": "5489",
    "morphine": "7052",
    "oxycodone": "7804",
    "fentanyl": "4337",
    "buprenorphine": "1819",
    "hydromorphone": "3423",
    "tramadol": "10689",
    "tapentadol": "787390",
    "methadone": "6813",
    "oxymorphone": "7814",
}
# The document's units as UCUM; any other unit is sent as entered, without a code.
# A medicine kept as typed keeps its label's unit (intake.journey.typed_numbers.DAILY_UNIT_OF).
UCUM_UNITS = {
    "mg/day": "mg/d",
    "mcg/hr": "ug/h",
    "mcg/day": "ug/d",
    "g/day": "g/d",
    "mL/day": "mL/d",
    "tablets/day": "{tablet}/d",
}

BOOLEAN, INTEGER, DECIMAL, CODING, STRING = (
    answers.BOOLEAN,
    answers.INTEGER,
    answers.DECIMAL,
    answers.CODING,
    answers.STRING,
)
# A nested dict is a group: `opioids` repeats once per opioid. Nested linkIds are dotted paths.
OPIOID_ITEMS = {
    "name": CODING,
    "other_name": STRING,
    "formulation": CODING,
    "daily_dose": DECIMAL,
    "unit": STRING,
    "purpose": CODING,
}


def document_items():
    """Every answer of the document in its order (shared/intake-format.md), with its FHIR
    type: the reference and the opioids, then the answer table (intake.answers)."""
    return {
        "reference": STRING,
        "opioids": OPIOID_ITEMS,
        **{answer.link_id: answer.fhir_type for answer in answers.answer_table()},
    }


def intake_entries(document, *, reference, authored, public_id, follow_up_id=None):
    """Bundle entries for one intake: its QuestionnaireResponse, then its MedicationStatements.

    A check-in passes its follow-up's public id, named as the response's context (basedOn).
    Raises DocumentError if the document is not a valid `oih-intake/1` document.
    """
    doc = validate_document(document, answers.extra_answers())
    response_url = f"urn:uuid:{public_id}"
    entries = [
        {
            "fullUrl": response_url,
            "resource": questionnaire_response(
                doc, reference=reference, authored=authored, follow_up_id=follow_up_id
            ),
        }
    ]
    for index, opioid in enumerate(doc["opioids"]):
        # Derived from the intake's id, so exporting twice gives the same urls.
        statement_id = uuid.uuid5(uuid.UUID(str(public_id)), f"opioids[{index}]")
        entries.append(
            {
                "fullUrl": f"urn:uuid:{statement_id}",
                "resource": medication_statement(
                    opioid,
                    currently_taking=doc["currently_taking_opioids"],
                    subject=_subject(doc, reference),
                    asserted=authored,
                    derived_from=response_url,
                ),
            }
        )
    return entries


def questionnaire_response(document, *, reference, authored, follow_up_id=None):
    """The answers of a validated document as a completed QuestionnaireResponse."""
    response = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": INTAKE_REFERENCE_SYSTEM, "value": reference},
        "questionnaire": f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}",
        "status": "completed",
        "subject": _subject(document, reference),
        "authored": authored,
    }
    if follow_up_id is not None:
        # A check-in: the follow-up plan it answers, as R4's basedOn (a CarePlan).
        response["basedOn"] = [
            {
                "type": "CarePlan",
                "identifier": {"system": FOLLOW_UP_SYSTEM, "value": str(follow_up_id)},
            }
        ]
    items = _items(document, document_items(), prefix="")
    # FHIR JSON allows no empty arrays: a response with no answers has no `item`.
    if items:
        response["item"] = items
    return response


def medication_statement(opioid, *, currently_taking, subject, asserted, derived_from):
    """One opioid of a validated document as an RxNorm-coded MedicationStatement."""
    if currently_taking is None:
        status = "unknown"
    else:
        status = "active" if currently_taking else "completed"
    unit = opioid["unit"]
    dose = {"value": opioid["daily_dose"], "unit": UCUM_UNITS.get(unit, unit)}
    if unit in UCUM_UNITS:
        dose.update(system=UCUM, code=UCUM_UNITS[unit])
    return {
        "resourceType": "MedicationStatement",
        "status": status,
        "medicationCodeableConcept": _medication_concept(opioid),
        "subject": subject,
        "dateAsserted": asserted,
        "derivedFrom": [{"reference": derived_from}],
        "reasonCode": [{"coding": [_coding("opioids.purpose", opioid["purpose"])]}],
        "dosage": [{"doseAndRate": [{"doseQuantity": dose}]}],
    }


def iter_bundle_json(entries, *, timestamp=None):
    """A `collection` Bundle of the entries as JSON text, piece by piece, so that any number
    of intakes can be written without holding them all in memory."""
    head = {"resourceType": "Bundle", "type": "collection"}
    if timestamp is not None:
        head["timestamp"] = timestamp
    entries = iter(entries)
    first = next(entries, None)
    if first is None:
        # FHIR JSON allows no empty arrays: a bundle without entries has no `entry`.
        yield json.dumps(head) + "\n"
        return
    yield json.dumps(head)[:-1] + ', "entry": [\n' + json.dumps(first)
    for entry in entries:
        yield ",\n" + json.dumps(entry)
    yield "\n]}\n"


def _medication_concept(opioid):
    name = opioid["name"]
    if name not in RXNORM_INGREDIENTS:
        return {"text": opioid["other_name"]}
    return {
        "coding": [{"system": RXNORM, "code": RXNORM_INGREDIENTS[name], "display": name}],
        "text": name,
    }


def _subject(document, reference):
    # Imported intakes may carry only the clinic's reference, and exports never carry names.
    return {
        "type": "Patient",
        "identifier": {
            "system": PATIENT_REFERENCE_SYSTEM,
            "value": document["reference"] or reference,
        },
    }


def _items(values, schema, *, prefix):
    items = []
    for key, kind in schema.items():
        link_id = prefix + key
        value = values.get(key)
        if isinstance(kind, dict):
            for group in value if isinstance(value, list) else [value]:
                nested = _items(group or {}, kind, prefix=link_id + ".")
                if nested:
                    items.append({"linkId": link_id, "item": nested})
            continue
        answers = [
            {kind: _coding(link_id, answer) if kind == CODING else answer}
            for answer in (value if isinstance(value, list) else [value])
            if answer is not None and answer != ""
        ]
        # Unanswered questions are left out rather than sent empty.
        if answers:
            items.append({"linkId": link_id, "answer": answers})
    return items


def _coding(link_id, code):
    return {"system": CODE_SYSTEM_PREFIX + link_id, "code": code}
