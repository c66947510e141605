"""Reading-grade measurement for patient-facing text.

Patient pages must read at Flesch-Kincaid grade 8 or below. The grade is
measured on the words a reader sees, so Markdown syntax, link targets and
code are stripped first; otherwise URLs and symbols skew the count.
"""

import re
import threading

import textstat

# textstat keeps its language in a global; one measurement at a time per process.
_TEXTSTAT_LOCK = threading.Lock()

PATIENT_GRADE_LIMIT = 8.0
# Spanish patient text: Fernández-Huerta 70 or more ("fairly easy"), the counterpart of grade 8.
SPANISH_READING_EASE_MINIMUM = 70.0

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
    with _TEXTSTAT_LOCK:
        return round(textstat.flesch_kincaid_grade(text), 1)


def spanish_reading_ease(markdown_text):
    """Fernández-Huerta reading ease of a Spanish Markdown text (higher is easier).

    textstat keeps its language in a global: set to Spanish for the count, then back to
    its default so the English grades measured after are unchanged.
    """
    text = plain_text(markdown_text)
    if not text.strip():
        return 0.0
    with _TEXTSTAT_LOCK:
        textstat.set_lang("es")
        try:
            return round(textstat.fernandez_huerta(text), 1)
        finally:
            textstat.set_lang("en_US")


# One sentence per match: text up to and including its end mark.
_SENTENCE = re.compile(r"[^.!?:]+[.!?:]+")
HARDEST_SHOWN = 3


def hardest_sentences(markdown_text, language="en", limit=HARDEST_SHOWN):
    """The sentences that pull a text's reading measure the most, hardest first:
    [(sentence, measure)], the English grade (higher is harder) or the Spanish
    Fernández-Huerta ease (lower is harder). One long sentence moves a whole article's
    average little, so the editor sees it by name."""
    sentences = [s.strip() for s in _SENTENCE.findall(plain_text(markdown_text))]
    sentences = [s for s in sentences if len(s.split()) >= 3]
    if not sentences:
        return []
    with _TEXTSTAT_LOCK:
        if language == "es":
            textstat.set_lang("es")
            try:
                scored = [(s, round(textstat.fernandez_huerta(s), 1)) for s in sentences]
            finally:
                textstat.set_lang("en_US")
            scored.sort(key=lambda pair: pair[1])
        else:
            scored = [(s, round(textstat.flesch_kincaid_grade(s), 1)) for s in sentences]
            scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]
