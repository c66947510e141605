"""`screen FILE...`: the `oih-screening/1` result of intake documents. Pure Python, stores nothing.

`manage.py screen` runs `main()` before Django starts (see manage.py), so it needs no settings and
never starts or touches a database; the Django management command of the same name calls
`screen_files()` too. Every bad input gives one line naming the file and the field, and exit
status 2: never a traceback.
"""

import argparse
import codecs
import json
import sys

from .document import DocumentError
from .result import screen

STDIN_NAME = "-"
INVALID_EXIT_STATUS = 2
# No valid intake needs a number this long; a longer one is read as a stand-in of the same sign
# and far out of every range, so that validation names its field (and Python's limit on
# converting very long digit strings to int is never reached).
MAX_NUMBER_DIGITS = 100
OVERSIZED_NUMBER = 10**MAX_NUMBER_DIGITS


def parse_int(digits):
    """json's int parser, bounded: a number of thousands of digits never reaches int()."""
    if len(digits) > MAX_NUMBER_DIGITS:
        return -OVERSIZED_NUMBER if digits.startswith("-") else OVERSIZED_NUMBER
    return int(digits)


def parse_document(data):
    """The JSON value in the bytes of a file; anything unreadable is a DocumentError."""
    if data.startswith(codecs.BOM_UTF8):
        raise DocumentError("document", "starts with a byte order mark (BOM); save it without one")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError("document", f"is not UTF-8 text (byte {error.start + 1})") from error
    try:
        return json.loads(text, parse_int=parse_int)
    except json.JSONDecodeError as error:
        raise DocumentError(
            "document", f"is not valid JSON (line {error.lineno}, column {error.colno})"
        ) from error
    except RecursionError as error:
        raise DocumentError("document", "is nested too deeply") from error


def read_bytes(path, stdin):
    """The bytes of a file, or of standard input for `-`."""
    if path == STDIN_NAME:
        return _read_stdin(stdin)
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise DocumentError("document", f"cannot be read ({error.strerror})") from error


def _read_stdin(stdin):
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        return buffer.read()
    # A text stream (tests hand one in): back to the bytes it would have held.
    try:
        return stdin.read().encode("utf-8")
    except UnicodeEncodeError as error:
        raise DocumentError("document", "is not UTF-8 text") from error


def screen_document(data):
    """The result of one document's bytes, or DocumentError naming the field at fault."""
    try:
        return screen(parse_document(data))
    except RecursionError as error:
        raise DocumentError("document", "is nested too deeply") from error


def file_label(path):
    return "standard input" if path == STDIN_NAME else path


def screen_files(paths, *, stdin, jsonl=False):
    """(the text to print, the error lines): the text is None when any document is invalid."""
    lines, errors = [], []
    for path in paths:
        try:
            result = screen_document(read_bytes(path, stdin))
        except DocumentError as error:
            errors.append(f"{file_label(path)}: {error.field}: {error.message}")
            continue
        if jsonl:
            lines.append(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
        else:
            lines.append(result)
    if errors:
        return None, errors
    if jsonl:
        return "".join(line + "\n" for line in lines), errors
    output = lines[0] if len(paths) == 1 else lines
    return json.dumps(output, indent=2, ensure_ascii=False) + "\n", errors


def failure_summary(failures, total):
    return f"{failures} of {total} document(s) invalid; nothing screened."


def argument_parser(prog="manage.py screen"):
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Print the oih-screening/1 result of each oih-intake/1 document: one JSON "
        "object for one file, a JSON array for several; '-' reads standard input. Nothing is "
        "stored and no database is used.",
    )
    add_arguments(parser)
    return parser


def add_arguments(parser):
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="print one result per line (JSON lines), in the order of the files: for large batches",
    )


def main(argv=None, *, stdin=None, stdout=None, stderr=None):
    """Run `screen` from the command line; return the exit status."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    options = argument_parser().parse_args(argv)
    text, errors = screen_files(options.files, stdin=stdin, jsonl=options.jsonl)
    if errors:
        stderr.write("".join(line + "\n" for line in errors))
        stderr.write(failure_summary(len(errors), len(options.files)) + "\n")
        return INVALID_EXIT_STATUS
    try:
        _write_utf8(stdout, text)
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error of the documents.
        sys.stdout = None
    return 0


def _write_utf8(stream, text):
    """UTF-8 whatever the locale says, so a non-ASCII answer never fails to print."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()
