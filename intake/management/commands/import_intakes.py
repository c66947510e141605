"""`manage.py import_intakes FILE...`: store `oih-intake/1` documents as submitted intakes.

Every document goes through `import_document`, the one write path, so it is screened and
flagged like a web submission. Each file is one transaction: an invalid file stores nothing and
the others are still imported.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DataError, IntegrityError, transaction

from intake.exchange.imports import import_document
from intake.management.commands.screen import (
    INVALID_EXIT_STATUS,
    file_label,
    load_json_file,
)
from intake.screening import DocumentError


class Command(BaseCommand):
    help = (
        "Store oih-intake/1 documents (one per file, or a JSON array of them) as submitted, "
        "screened intakes. Prints: reference, level, alert codes."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, files, **options):
        stdin = options.get("stdin") or sys.stdin
        stored = failed = 0
        for path in files:
            try:
                intakes = self.import_file(path, stdin)
            except (DocumentError, DataError, IntegrityError) as error:
                failed += 1
                self.stderr.write(f"{file_label(path)}: {describe(error)} (file skipped)")
                continue
            stored += len(intakes)
            for intake, screening in intakes:
                codes = ",".join(screening.alert_codes) or "-"
                self.stdout.write(f"{intake.reference}\t{screening.level}\t{codes}")
        summary = f"Imported {stored} intake(s) from {len(files) - failed} of {len(files)} file(s)."
        if failed:
            raise CommandError(summary, returncode=INVALID_EXIT_STATUS)
        self.stdout.write(summary)

    @transaction.atomic
    def import_file(self, path, stdin):
        """Every document in the file stored, with its screening; all or nothing."""
        data = load_json_file(path, stdin)
        documents = data if isinstance(data, list) else [data]
        intakes = []
        for index, document in enumerate(documents):
            try:
                intake = import_document(document)
            except DocumentError as error:
                if isinstance(data, list):
                    raise DocumentError(f"[{index}].{error.field}", error.message) from error
                raise
            intakes.append((intake, intake.screenings.current().get()))
        return intakes


def describe(error):
    if isinstance(error, DocumentError):
        return f"{error.field}: {error.message}"
    # A value the database refuses though the document passed validation.
    return f"database refused a value: {str(error).strip()}"
