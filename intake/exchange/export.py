"""Documents out: every submitted intake as `oih-intake/1` JSON or as a FHIR R4 Bundle.

Intakes are read in chunks and written as they come, so memory stays flat however many
there are. An intake whose stored answers no longer make a valid document is skipped and
reported, never written half-right.
"""

import json
import os

from django.db.models import Prefetch

from intake.exchange import fhir
from intake.models import Intake, Screening, keyed_hash
from intake.screening import DocumentError, validate_document

CHUNK_SIZE = 500


class Export:
    """One pass over the submitted intakes; counts what it wrote and what it skipped."""

    def __init__(self, report_invalid, intakes=None):
        # Called with (intake, DocumentError) for each intake left out.
        self.report_invalid = report_invalid
        self.exported = self.skipped = 0
        # Which intakes: all of them, or one patient's (the admin's per-patient export).
        self.intakes = Intake.objects.all() if intakes is None else intakes

    def valid_intakes(self, with_screenings=False):
        """Submitted intakes, oldest first, with their documents (and their current
        screenings with the review, for FHIR)."""
        prefetched = ["medicines"]
        if with_screenings:
            current = Screening.objects.filter(is_current=True).select_related(
                "review__reviewed_by"
            )
            prefetched.append(Prefetch("screenings", queryset=current, to_attr="current"))
        intakes = (
            self.intakes.submitted()
            .order_by("submitted_at", "pk")
            .select_related("follow_up")
            .prefetch_related(*prefetched)
            .iterator(chunk_size=CHUNK_SIZE)
        )
        for intake in intakes:
            document = intake.as_document()
            try:
                validate_document(document)
            except DocumentError as error:
                self.skipped += 1
                self.report_invalid(intake, error)
                continue
            self.exported += 1
            yield intake, document

    def document_chunks(self):
        """A JSON array of `oih-intake/1` documents, in pieces; check-ins say whose plan."""
        return json_array_chunks(
            {**document, **visit_context(intake)} for intake, document in self.valid_intakes()
        )

    def fhir_chunks(self, timestamp):
        """A FHIR R4 `collection` Bundle, in pieces."""
        entries = (
            entry
            for intake, document in self.valid_intakes(with_screenings=True)
            for entry in fhir.intake_entries(
                document,
                reference=intake.reference,
                authored=intake.submitted_at.isoformat(),
                public_id=intake.public_id,
                follow_up_id=intake.follow_up.public_id if intake.follow_up else None,
                patient_key=patient_key(intake),
                screening=screening_record(intake),
                not_sure=not_sure_answers(intake),
            )
        )
        return fhir.iter_bundle_json(entries, timestamp=timestamp)


def not_sure_answers(intake):
    """The form's "Not sure" on progression and on naloxone is stored as null (ruling 10,
    intake-format.md); an import's null says nothing of what was asked, so only a web
    intake that saved that page says it."""
    not_sure = []
    if intake.new_injury_or_disease_progression is None and "new-injury" in (
        intake.completed_steps or []
    ):
        not_sure.append(fhir.PROGRESSION_PRESENT)
    # "Not sure" about naloxone is null in the document too (intake-format.md).
    if intake.naloxone_at_home == "not_sure":
        not_sure.append("naloxone_at_home")
    return not_sure


def patient_key(intake):
    """A patient's id for the exports: keyed, so it says nothing outside the clinic, and the
    same at every visit (a patient without a clinic number is otherwise named by the
    visit's own reference)."""
    if intake.patient_id is None:
        return None
    return keyed_hash(f"fhir-patient:{intake.patient_id}")[:32]


def screening_record(intake):
    """The intake's current screening and its review, as fhir.intake_entries takes them."""
    screening = next(iter(getattr(intake, "current", [])), None)
    if screening is None:
        return None
    review = getattr(screening, "review", None)
    return {
        "result": screening.result,
        "identified": screening.created_at.isoformat(),
        "review": {
            "words": review_words(review),
            "at": (review.amended_at or review.reviewed_at).isoformat(),
            "by": review.reviewed_by.get_username(),
        }
        if review
        else None,
    }


def review_words(review):
    """ "Overridden (Tolerance); contacted the patient": the decision and what was done."""
    parts = []
    if review.decision:
        words = review.get_decision_display()
        if review.override_reason:
            words += f" ({review.get_override_reason_display()})"
        parts.append(words)
    if review.action:
        parts.append(review.get_action_display().split(" (")[0])
    return "; ".join(parts)


def visit_context(intake):
    """Extra keys for a check-in (the format allows and ignores them on import)."""
    if not intake.is_check_in:
        return {}
    follow_up = intake.follow_up
    return {
        "kind": intake.kind,
        "follow_up": {
            "id": str(follow_up.public_id),
            "every_weeks": follow_up.every_weeks,
            "planned_dose_change": follow_up.planned_dose_change or None,
            "planned_dose_change_on": follow_up.planned_dose_change_on.isoformat()
            if follow_up.planned_dose_change_on
            else None,
        },
    }


def json_array_chunks(values):
    yield "["
    for index, value in enumerate(values):
        yield ("\n" if index == 0 else ",\n") + json.dumps(value, ensure_ascii=False)
    yield "\n]\n"


def write_file(path, chunks):
    """Write the chunks to path; the file appears only once it is complete. Raises OSError."""
    partial = f"{path}.partial"
    try:
        with open(partial, "w", encoding="utf-8") as file:
            for chunk in chunks:
                file.write(chunk)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
