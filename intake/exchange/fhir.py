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
# A patient without a clinic number: a keyed id that stays the same over their visits.
PATIENT_KEY_SYSTEM = "urn:oih-clinic:patient"
# An answer the patient gave as "not sure" (the document's null on a question the form
# asked), kept as asked-unknown rather than dropped.
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
PROGRESSION_PRESENT = "new_injury_or_disease_progression.present"
# The screening's OIH level and alerts, each as a DetectedIssue.
OIH_LEVEL_SYSTEM = "urn:oih-clinic:oih-level"
ALERT_SYSTEM = "urn:oih-clinic:alert"
SEVERITY = {"critical": "high", "warning": "moderate", "info": "low"}

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


def intake_entries(
    document,
    *,
    reference,
    authored,
    public_id,
    follow_up_id=None,
    patient_key=None,
    screening=None,
    not_sure=(),
):
    """Bundle entries for one intake: its QuestionnaireResponse, its MedicationStatements,
    then a DetectedIssue for its OIH level and each alert.

    A check-in passes its follow-up's public id, named as the response's context (basedOn).
    `patient_key`, for a patient without a clinic number, names them the same at every visit.
    `screening`: the stored result with its review ({"result", "identified", "review"}).
    `not_sure`: the link ids whose null the patient chose as "not sure" on the form.
    Raises DocumentError if the document is not a valid `oih-intake/1` document.
    """
    doc = validate_document(document, answers.extra_answers())
    subject = _subject(doc, reference, patient_key)
    response_url = f"urn:uuid:{public_id}"
    entries = [
        {
            "fullUrl": response_url,
            "resource": questionnaire_response(
                doc,
                reference=reference,
                authored=authored,
                follow_up_id=follow_up_id,
                subject=subject,
                not_sure=not_sure,
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
                    subject=subject,
                    asserted=authored,
                    derived_from=response_url,
                ),
            }
        )
    if screening is not None:
        for index, issue in enumerate(
            detected_issues(screening, subject=subject, response_url=response_url)
        ):
            issue_id = uuid.uuid5(uuid.UUID(str(public_id)), f"issues[{index}]")
            entries.append({"fullUrl": f"urn:uuid:{issue_id}", "resource": issue})
    return entries


def detected_issues(screening, *, subject, response_url):
    """The screening's OIH level (flag or borderline) and each alert as a DetectedIssue,
    with the clinician's review as its mitigation once there is one."""
    result = screening["result"]
    oih = result["oih"]
    issues = []
    if oih["level"] in ("flag", "borderline"):
        reasons = "; ".join(reason["summary"] for reason in oih["reasons"])
        issues.append(
            _detected_issue(
                code={"system": OIH_LEVEL_SYSTEM, "code": oih["level"]},
                text=f"OIH pattern to review ({oih['level']})",
                severity="moderate" if oih["level"] == "flag" else "low",
                detail=f"{reasons} (screening rules {result['rules_version']})",
                screening=screening,
                subject=subject,
                response_url=response_url,
            )
        )
    for alert in result["alerts"]:
        issues.append(
            _detected_issue(
                code={"system": ALERT_SYSTEM, "code": alert["code"]},
                text=alert["code"].replace("_", " ").capitalize(),
                severity=SEVERITY.get(alert.get("indicator"), "moderate"),
                detail=f"{alert['summary']} Source: {alert['source']}",
                screening=screening,
                subject=subject,
                response_url=response_url,
            )
        )
    return issues


def _detected_issue(*, code, text, severity, detail, screening, subject, response_url):
    issue = {
        "resourceType": "DetectedIssue",
        "status": "final",
        "code": {"coding": [code], "text": text},
        "severity": severity,
        "patient": subject,
        "identifiedDateTime": screening["identified"],
        "detail": detail,
        "evidence": [{"detail": [{"reference": response_url}]}],
    }
    review = screening.get("review")
    if review:
        issue["mitigation"] = [
            {
                "action": {"text": review["words"]},
                "date": review["at"],
                "author": {"display": review["by"]},
            }
        ]
    return issue


def questionnaire_response(
    document, *, reference, authored, follow_up_id=None, subject=None, not_sure=()
):
    """The answers of a validated document as a completed QuestionnaireResponse."""
    response = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": INTAKE_REFERENCE_SYSTEM, "value": reference},
        "questionnaire": f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}",
        "status": "completed",
        "subject": subject or _subject(document, reference),
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
    items = _items(document, document_items(), prefix="", not_sure=frozenset(not_sure))
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


def _subject(document, reference, patient_key=None):
    # Imported intakes may carry only the clinic's reference, and exports never carry names.
    # Without a clinic number the document's reference is the visit's own, new every visit:
    # the patient's keyed id then names them the same at every visit.
    if patient_key is not None and document["reference"] == reference:
        return {
            "type": "Patient",
            "identifier": {"system": PATIENT_KEY_SYSTEM, "value": patient_key},
        }
    return {
        "type": "Patient",
        "identifier": {
            "system": PATIENT_REFERENCE_SYSTEM,
            "value": document["reference"] or reference,
        },
    }


def _items(values, schema, *, prefix, not_sure=frozenset()):
    items = []
    for key, kind in schema.items():
        link_id = prefix + key
        value = values.get(key)
        if isinstance(kind, dict):
            for group in value if isinstance(value, list) else [value]:
                nested = _items(group or {}, kind, prefix=link_id + ".", not_sure=not_sure)
                if nested:
                    items.append({"linkId": link_id, "item": nested})
            continue
        answers = [
            {kind: _coding(link_id, answer) if kind == CODING else answer}
            for answer in (value if isinstance(value, list) else [value])
            if answer is not None and answer != ""
        ]
        if value is None and link_id in not_sure:
            # "Not sure" (ruling 10): asked, and the answer is not known yet.
            absent = {"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "asked-unknown"}]}
            answers = [{f"_{kind}": absent}]
        # Unanswered questions are left out rather than sent empty.
        if answers:
            items.append({"linkId": link_id, "answer": answers})
    return items


def _coding(link_id, code):
    return {"system": CODE_SYSTEM_PREFIX + link_id, "code": code}
