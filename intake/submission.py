"""The one write path for a submitted intake.

The web form, the import command and the tests all submit through
`submit_intake`: it validates the answers as an `oih-intake/1` document,
gives it its patient record (a returning patient only as a suggested match), runs the screening rules and stores the result,
all in one transaction. Submitting twice changes nothing the second time.
"""

import hashlib
import json
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from intake import screening
from intake.models import ALERTS_TO_REVIEW, Intake, Screening
from intake.patient_matching import patient_for
from intake.recommendations import recommended_article_slugs
from intake.signals import screenings_stored


@transaction.atomic
def submit_intake(intake_id, language=""):
    """Submit the intake once; return it. Raises screening.DocumentError for invalid answers.

    `language` is the one the patient answered in (a code of Intake.Language), if known."""
    intake = Intake.objects.select_for_update().get(pk=intake_id)
    if intake.is_submitted:
        return intake
    if language in Intake.Language.values:
        intake.language = language
    document = screening.validate_document(intake.as_document())
    # Typed identity only suggests a match (patient_matching): the earlier visit compared
    # with is one of the same record, never one a stranger typed their way into.
    patient = patient_for(intake)
    previous = (
        patient.intakes.submitted().order_by("-submitted_at", "-pk").first() if patient else None
    )
    result = screening.screen(document, previous=previous.as_document() if previous else None)
    intake.patient = patient
    intake.previous_intake = previous
    intake.status = Intake.Status.SUBMITTED
    intake.submitted_at = timezone.now()
    intake.expires_at = None
    intake.recommended_articles = recommended_article_slugs(intake)
    intake.save()
    record_screening(intake, result, cause=Screening.Cause.SUBMISSION)
    return intake


def evidence_key(result):
    """A fingerprint of what a clinician is asked to look at: the OIH level, its reasons and
    their evidence, and the urgent and warning alerts with what they say (their figures)."""
    oih = result["oih"]
    alerts = [
        (a["code"], a.get("summary", "")) for a in result["alerts"] if a["code"] in ALERTS_TO_REVIEW
    ]
    material = [oih["level"], [(r["code"], r.get("evidence")) for r in oih["reasons"]]]
    if alerts:
        # Only when there are any, so keys stored before alerts counted stay the same.
        material.append(alerts)
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


def needs_clinician(result):
    """Whether a result goes to the worklist (the same test as Screening.priority)."""
    return result["oih"]["level"] != Screening.Level.NONE or any(
        alert["code"] in ALERTS_TO_REVIEW for alert in result["alerts"]
    )


def record_screening(intake, result, *, cause, user=None):
    """Store a result as the intake's current screening, keeping the earlier ones."""
    return record_screenings([(intake, result)], cause=cause, user=user)[0]


def record_screenings(pairs, *, cause, user=None):
    """Store each (intake, result) as that intake's current screening, in a few queries.

    A flag already reviewed on the same evidence (the same intake under earlier rules, or
    an earlier visit of the same patient) is stored but not raised again (oih-facts
    section 7).
    """
    stored = Screening.objects.bulk_create(
        replace_current_screenings(pairs, cause=cause, user=user)
    )
    screenings_stored.send(sender=Screening, pairs=pairs)
    return stored


def replace_current_screenings(pairs, *, cause, user=None):
    """The new current screenings of (intake, result) pairs, not yet saved; the intakes'
    current ones are no longer current. The caller saves them in the same transaction
    (`record_screenings`, or a rescreen's bulk writer)."""
    keys = [evidence_key(result) if needs_clinician(result) else "" for _, result in pairs]
    intake_ids = [intake.pk for intake, _ in pairs]
    # The clinician an item was assigned to keeps it when the intake is screened again (a
    # submission is screened for the first time, so it has none).
    assigned = {}
    if cause in (Screening.Cause.RESCREEN, Screening.Cause.CORRECTION):
        assigned = dict(
            Screening.objects.filter(
                intake_id__in=intake_ids, is_current=True, assigned_to__isnull=False
            ).values_list("intake_id", "assigned_to_id")
        )
    Screening.objects.filter(intake_id__in=intake_ids, is_current=True).update(is_current=False)
    reviewed = _reviewed_evidence(pairs, keys)
    screenings = []
    for (intake, result), key in zip(pairs, keys, strict=True):
        total = result["mme"]["total_per_day"]
        owner = ("patient", intake.patient_id) if intake.patient_id else ("intake", intake.pk)
        screenings.append(
            Screening(
                intake=intake,
                cause=cause,
                rules_version=result["rules_version"],
                factor_table=result["mme"]["factor_table"],
                level=result["oih"]["level"],
                mme_total=None if total is None else Decimal(str(total)),
                alert_codes=[alert["code"] for alert in result["alerts"]],
                reason_codes=[reason["code"] for reason in result["oih"]["reasons"]],
                evidence_key=key,
                is_repeat_of_reviewed=bool(key) and (*owner, key) in reviewed,
                intake_submitted_at=intake.submitted_at,
                result=result,
                created_by=user,
                assigned_to_id=assigned.get(intake.pk),
            )
        )
    return screenings


def _reviewed_evidence(pairs, keys):
    """The (owner kind, owner id, evidence key) triples a clinician has already reviewed.

    The owner is the patient, or the intake itself when it has no patient. Two plain
    lookups rather than one OR across two tables, which would read every screening.
    """
    wanted = {key for key in keys if key}
    if not wanted:
        return set()
    reviewed = Screening.objects.filter(evidence_key__in=wanted, review__isnull=False)
    patient_ids = {intake.patient_id for intake, _ in pairs if intake.patient_id}
    lone_intake_ids = [intake.pk for intake, _ in pairs if not intake.patient_id]
    found = set()
    if patient_ids:
        found.update(
            ("patient", patient_id, key)
            for patient_id, key in reviewed.filter(intake__patient_id__in=patient_ids).values_list(
                "intake__patient_id", "evidence_key"
            )
        )
    if lone_intake_ids:
        found.update(
            ("intake", intake_id, key)
            for intake_id, key in reviewed.filter(intake_id__in=lone_intake_ids).values_list(
                "intake_id", "evidence_key"
            )
        )
    return found


def purge_expired(now=None):
    """Delete unfinished intakes past their expiry; return how many."""
    _, deleted = Intake.objects.expired(now=now or timezone.now()).delete()
    return deleted.get("intake.Intake", 0)
