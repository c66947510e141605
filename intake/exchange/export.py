"""Documents out: every submitted intake as `oih-intake/1` JSON or as a FHIR R4 Bundle.

Intakes are read in chunks and written as they come, so memory stays flat however many
there are. An intake whose stored answers no longer make a valid document is skipped and
reported, never written half-right.
"""

import json
import os

from intake.exchange import fhir
from intake.models import Intake
from intake.screening import DocumentError, validate_document

CHUNK_SIZE = 500


class Export:
    """One pass over the submitted intakes; counts what it wrote and what it skipped."""

    def __init__(self, report_invalid):
        # Called with (intake, DocumentError) for each intake left out.
        self.report_invalid = report_invalid
        self.exported = self.skipped = 0

    def valid_intakes(self):
        """Submitted intakes, oldest first, with their documents."""
        intakes = (
            Intake.objects.submitted()
            .order_by("submitted_at", "pk")
            .select_related("follow_up")
            .prefetch_related("medicines")
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
            for intake, document in self.valid_intakes()
            for entry in fhir.intake_entries(
                document,
                reference=intake.reference,
                authored=intake.submitted_at.isoformat(),
                public_id=intake.public_id,
                follow_up_id=intake.follow_up.public_id if intake.follow_up else None,
            )
        )
        return fhir.iter_bundle_json(entries, timestamp=timestamp)


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
