"""`manage.py screen FILE...`: the `oih-screening/1` result of intake documents. Stores nothing.

Only the pure rules are used, never the models, so it runs without a database.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from intake.screening import DocumentError, screen

STDIN_NAME = "-"
INVALID_EXIT_STATUS = 2


def load_json_file(path, stdin):
    """The JSON value in a file (`-`: standard input); bad JSON is a DocumentError."""
    try:
        if path == STDIN_NAME:
            text = stdin.read()
        else:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(
            "document", f"is not valid JSON (line {error.lineno}, column {error.colno})"
        ) from error
    except UnicodeDecodeError as error:
        raise DocumentError("document", "is not UTF-8 text") from error
    except OSError as error:
        raise DocumentError("document", f"cannot be read ({error.strerror})") from error


def file_label(path):
    return "standard input" if path == STDIN_NAME else path


class Command(BaseCommand):
    help = (
        "Print the oih-screening/1 result of each oih-intake/1 document (a JSON array for "
        "several files; '-' reads standard input). Nothing is stored."
    )
    # Pure rules only: no model, admin or database setting can affect it, so none is checked.
    requires_system_checks = []
    # Lets tests hand in standard input: call_command("screen", "-", stdin=StringIO(...)).
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, files, **options):
        stdin = options.get("stdin") or sys.stdin
        results, failures = [], 0
        for path in files:
            try:
                results.append(screen(load_json_file(path, stdin)))
            except DocumentError as error:
                failures += 1
                self.stderr.write(f"{file_label(path)}: {error.field}: {error.message}")
        if failures:
            raise CommandError(
                f"{failures} of {len(files)} document(s) invalid; nothing screened.",
                returncode=INVALID_EXIT_STATUS,
            )
        output = results[0] if len(files) == 1 else results
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))
