"""`manage.py screen FILE...`: the `oih-screening/1` result of intake documents. Stores nothing.

Run from the shell, manage.py hands `screen` to `intake.screening.command_line` before Django
starts, so no settings are read and no database is started. This command is the same program for
callers that are already inside Django (call_command, django-admin).
"""

import sys

from django.core.management.base import BaseCommand, CommandError

# file_label and load_json_file are also read by import_intakes, so files are read one way.
from intake.screening.command_line import (
    INVALID_EXIT_STATUS,
    add_arguments,
    failure_summary,
    file_label,
    load_json_file,
    screen_files,
)

__all__ = ["INVALID_EXIT_STATUS", "Command", "file_label", "load_json_file"]


class Command(BaseCommand):
    help = (
        "Print the oih-screening/1 result of each oih-intake/1 document (a JSON array for "
        "several files, or JSON lines with --jsonl; '-' reads standard input). Nothing is stored."
    )
    # Pure rules only: no model, admin or database setting can affect it, so none is checked.
    requires_system_checks = []
    # Lets tests hand in standard input: call_command("screen", "-", stdin=StringIO(...)).
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, files, jsonl, workers, **options):
        stdin = options.get("stdin") or sys.stdin
        text, errors = screen_files(files, stdin=stdin, jsonl=jsonl, workers=workers)
        if errors:
            for line in errors:
                self.stderr.write(line)
            raise CommandError(
                failure_summary(len(errors), len(files)), returncode=INVALID_EXIT_STATUS
            )
        self.stdout.write(text, ending="")
