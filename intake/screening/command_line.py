"""`screen FILE...`: the `oih-screening/1` result of intake documents. Pure Python, stores nothing.

`manage.py screen` runs `main()` before Django starts (see manage.py), so it needs no settings and
never starts or touches a database; the Django management command of the same name calls
`screen_files()` too. Every bad input gives one line naming the file and the field, and exit
status 2: never a traceback.
"""

import argparse
import codecs
import json
import multiprocessing
import os
import sys

from .document import DocumentError
from .result import unsorted_result

STDIN_NAME = "-"
INVALID_EXIT_STATUS = 2
# No valid intake needs a number this long; a longer one is read as a stand-in of the same sign
# and far out of every range, so that validation names its field (and Python's limit on
# converting very long digit strings to int is never reached).
MAX_NUMBER_DIGITS = 100
OVERSIZED_NUMBER = 10**MAX_NUMBER_DIGITS
# Keys sorted as screen() sorts them: one result per line, or indented as the default output.
COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
INDENTED = json.JSONEncoder(ensure_ascii=False, indent=2, sort_keys=True)
# Starting a worker process costs about as much as screening this many documents.
MIN_FILES_PER_WORKER = 1000


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
        return _loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(
            "document", f"is not valid JSON (line {error.lineno}, column {error.colno})"
        ) from error
    except RecursionError as error:
        raise DocumentError("document", "is nested too deeply") from error


def _loads(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError:
        # A number past Python's limit on converting digits to int: parse again, bounded (a
        # call per number, so only here), and let validation name its field.
        return json.loads(text, parse_int=parse_int)


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


def load_json_file(path, stdin):
    """The JSON value in a file (`-`: standard input); anything unreadable is a DocumentError."""
    return parse_document(read_bytes(path, stdin))


def screen_document(data):
    """The result of one document's bytes, or DocumentError naming the field at fault."""
    try:
        return unsorted_result(parse_document(data))
    except RecursionError as error:
        raise DocumentError("document", "is nested too deeply") from error


def file_label(path):
    return "standard input" if path == STDIN_NAME else path


def screen_files(paths, *, stdin, jsonl=False, workers=1):
    """(the text to print, the error lines): the text is None when any document is invalid.

    With several workers the files are split into as many runs, in order, each screened by its
    own process; the output is the same as with one.
    """
    workers = min(workers, len(paths) // MIN_FILES_PER_WORKER)
    if workers > 1 and STDIN_NAME not in paths:
        runs = [
            paths[_run_start(len(paths), workers, i) : _run_start(len(paths), workers, i + 1)]
            for i in range(workers)
        ]
        context = multiprocessing.get_context("fork" if hasattr(os, "fork") else None)
        with context.Pool(workers) as pool:
            parts = pool.starmap(_screen_run, [(run, None, jsonl) for run in runs])
    else:
        parts = [_screen_run(paths, stdin, jsonl)]
    rendered = [text for texts, _ in parts for text in texts]
    errors = [line for _, lines in parts for line in lines]
    if errors:
        return None, errors
    if jsonl:
        return "".join(text + "\n" for text in rendered), errors
    if len(paths) == 1:
        return rendered[0] + "\n", errors
    # The same text as json.dumps(results, indent=2): each object indented one level more.
    items = ",\n".join("  " + text.replace("\n", "\n  ") for text in rendered)
    return f"[\n{items}\n]\n", errors


def _run_start(total, workers, index):
    return total * index // workers


def _screen_run(paths, stdin, jsonl):
    """The rendered results and the error lines of some files, in their order."""
    encoder = COMPACT if jsonl else INDENTED
    rendered, errors = [], []
    for path in paths:
        try:
            rendered.append(encoder.encode(screen_document(read_bytes(path, stdin))))
        except DocumentError as error:
            errors.append(f"{file_label(path)}: {error.field}: {error.message}")
    return rendered, errors


def available_cpus():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


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
        "--workers",
        type=int,
        # One process by default: on a machine whose cores are shared, more were measured no
        # faster (10,000 documents in about 1.5-1.9 s either way); give more where cores are free.
        default=1,
        help=f"processes to screen large batches with (from {2 * MIN_FILES_PER_WORKER:,} files; "
        f"this machine has {available_cpus()} CPUs)",
    )
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
    text, errors = screen_files(
        options.files, stdin=stdin, jsonl=options.jsonl, workers=options.workers
    )
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
