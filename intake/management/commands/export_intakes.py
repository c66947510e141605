"""`manage.py export_intakes [--fhir] [--output FILE]`: see intake/exchange/export.py."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from intake.exchange.export import Export, write_file
from intake.review.access_log import log_export

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
        # Every export of patients' answers is logged: who ran it, what, and how many.
        command_line = "manage.py export_intakes" + (" --fhir" if fhir else "")
        access = log_export(command_line + (f" --output {output}" if output else ""))
        export = Export(report_invalid=self.report_invalid)
        if fhir:
            chunks = export.fhir_chunks(timestamp=timezone.now().isoformat())
        else:
            chunks = export.document_chunks()
        if output is None:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
        else:
            try:
                write_file(output, chunks)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from error
        access.record_count = export.exported
        access.save(update_fields=["record_count"])
        summary = f"Exported {export.exported} intake(s)" + (f" to {output}." if output else ".")
        if export.skipped:
            raise CommandError(
                f"{summary} Skipped {export.skipped} invalid intake(s).",
                returncode=INVALID_EXIT_STATUS,
            )
        # Standard error, so that standard output stays pure JSON.
        self.stderr.write(summary)

    def report_invalid(self, intake, error):
        self.stderr.write(f"{intake.reference}: {error.field}: {error.message} (skipped)")
