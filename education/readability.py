"""Reading-grade measurement for patient-facing text.

Patient pages must read at Flesch-Kincaid grade 8 or below. The grade is
measured on the words a reader sees, so Markdown syntax, link targets and
code are stripped first; otherwise URLs and symbols skew the count.
"""

import re

import textstat

PATIENT_GRADE_LIMIT = 8.0

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_MARKUP = re.compile(r"[*_`#>|]+")
_LIST_BULLET = re.compile(r"^\s*(?:[-+]|\d+[.)])\s+", re.MULTILINE)
_URL = re.compile(r"https?://\S+")
# Where a picture goes; pictures are not part of the text a reader's grade is measured on.
_FIGURE_MARKER = re.compile(r"\[\[figure:[a-z0-9_-]*\]\]")


def plain_text(markdown_text):
    """Return the words of a Markdown document as a reader would see them."""
    text = _FIGURE_MARKER.sub(" ", markdown_text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _LIST_BULLET.sub("", text)
    text = _MARKUP.sub("", text)
    # A heading or list item without a full stop still ends a sentence for a reader.
    lines = [" ".join(line.split()) for line in text.splitlines()]
    sentences = [line if line[-1:] in ".!?:" else f"{line}." for line in lines if line]
    return " ".join(sentences)


def reading_grade(markdown_text):
    """Flesch-Kincaid grade of a Markdown text, rounded to one decimal."""
    text = plain_text(markdown_text)
    if not text.strip():
        return 0.0
    return round(textstat.flesch_kincaid_grade(text), 1)
