"""`manage.py export_intakes [--fhir] [--output FILE]`: every submitted intake, written back.

As a JSON array of `oih-intake/1` documents, or with `--fhir` as a FHIR R4 `collection` Bundle.
Intakes are read in chunks and written as they come, so memory stays flat however many there
are. With `--output` the file appears only once it is complete.
"""

import json
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from intake import fhir
from intake.models import Intake
from intake.screening import DocumentError, validate_document

CHUNK_SIZE = 500
INVALID_EXIT_STATUS = 2


class Command(BaseCommand):
    help = (
        "Write every submitted intake as a JSON array of oih-intake/1 documents, or with "
        "--fhir as a FHIR R4 Bundle of QuestionnaireResponse and MedicationStatement resources."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fhir", action="store_true", help="Write a FHIR R4 Bundle (type collection)."
        )
        parser.add_argument(
            "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, *args, fhir=False, output=None, **options):
        self.exported = self.skipped = 0
        chunks = self.fhir_chunks() if fhir else self.document_chunks()
        if output is None:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
        else:
            write_file(output, chunks)
        summary = f"Exported {self.exported} intake(s)" + (f" to {output}." if output else ".")
        if self.skipped:
            raise CommandError(
                f"{summary} Skipped {self.skipped} invalid intake(s).",
                returncode=INVALID_EXIT_STATUS,
            )
        # Standard error, so that standard output stays pure JSON.
        self.stderr.write(summary)

    def valid_intakes(self):
        """Submitted intakes, oldest first, with their documents; invalid ones are reported."""
        intakes = (
            Intake.objects.submitted()
            .order_by("submitted_at", "pk")
            .prefetch_related("medicines")
            .iterator(chunk_size=CHUNK_SIZE)
        )
        for intake in intakes:
            document = intake.as_document()
            try:
                validate_document(document)
            except DocumentError as error:
                self.skipped += 1
                self.stderr.write(f"{intake.reference}: {error.field}: {error.message} (skipped)")
                continue
            self.exported += 1
            yield intake, document

    def document_chunks(self):
        return json_array_chunks(document for _, document in self.valid_intakes())

    def fhir_chunks(self):
        entries = (
            entry
            for intake, document in self.valid_intakes()
            for entry in fhir.intake_entries(
                document,
                reference=intake.reference,
                authored=intake.submitted_at.isoformat(),
                public_id=intake.public_id,
            )
        )
        return fhir.iter_bundle_json(entries, timestamp=timezone.now().isoformat())


def json_array_chunks(values):
    yield "["
    for index, value in enumerate(values):
        yield ("\n" if index == 0 else ",\n") + json.dumps(value, ensure_ascii=False)
    yield "\n]\n"


def write_file(path, chunks):
    partial = f"{path}.partial"
    try:
        with open(partial, "w", encoding="utf-8") as file:
            for chunk in chunks:
                file.write(chunk)
        os.replace(partial, path)
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error.strerror}") from error
    finally:
        if os.path.exists(partial):
            os.remove(partial)
