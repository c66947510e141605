"""Clinician notes: answers that disagree with each other (oih-facts rulings 2026.2, point 11).

They are not alerts: `data_quality` is kept for the MME problems, so that warnings keep their
weight. Notes are shown on the intake page, each with the answers behind it.
"""

from .mme import is_taking_now


def build_notes(doc):
    """Every note that applies to a validated document, each {code, summary, evidence}."""
    found = _use_contradictions(doc) + _duplicate_opioids(doc) + _pain_site_contradictions(doc)
    return found


def _use_contradictions(doc):
    taking = doc["currently_taking_opioids"]
    notes = []
    if taking is True and not doc["opioids"]:
        notes.append(
            _note(
                "taking_opioids_but_none_listed",
                "Says opioids are taken now, but none are listed.",
                {"currently_taking_opioids": True, "opioids": []},
            )
        )
    if taking is True and (doc["months_since_stopped"] or 0) > 0:
        notes.append(
            _note(
                "months_since_stopped_while_taking",
                "Gives months since stopping while still taking opioids.",
                {
                    "currently_taking_opioids": True,
                    "months_since_stopped": doc["months_since_stopped"],
                },
            )
        )
    if taking is True and doc["dose_change_last_6_months"] == "stopped":
        notes.append(
            _note(
                "stopped_while_taking",
                "Says the last dose change was stopping, but opioids are taken now.",
                {"currently_taking_opioids": True, "dose_change_last_6_months": "stopped"},
            )
        )
    return notes


def _duplicate_opioids(doc):
    # Facts file silent on identical entries: a double entry or two real prescriptions, so both
    # are counted (never silently merged) and the clinician is asked to check.
    if not is_taking_now(doc):
        return []
    seen, repeated = [], []
    for index, opioid in enumerate(doc["opioids"]):
        if opioid in seen and opioid not in [doc["opioids"][i] for i in repeated]:
            repeated.append(index)
        seen.append(opioid)
    return [
        _note(
            "opioid_listed_twice",
            f"{doc['opioids'][index]['name']} {doc['opioids'][index]['daily_dose']} "
            f"{doc['opioids'][index]['unit']} is listed twice; both are counted.",
            {f"opioids[{index}]": doc["opioids"][index]},
        )
        for index in repeated
    ]


def _pain_site_contradictions(doc):
    now, sites = doc["pain_score_now"], doc["current_pain_sites"]
    if now is not None and now > 0 and not sites:
        return [
            _note(
                "pain_without_sites",
                f"Pain now is {now}/10, but no current pain sites are marked.",
                {"pain_score_now": now, "current_pain_sites": []},
            )
        ]
    if now == 0 and sites:
        return [
            _note(
                "sites_without_pain",
                "Current pain sites are marked, but pain now is 0/10.",
                {"pain_score_now": 0, "current_pain_sites": sites},
            )
        ]
    return []


def _note(code, summary, evidence):
    return {"code": code, "summary": summary, "evidence": evidence}
