"""The Spanish a patient reads keeps its words straight across the whole site.

An error that quotes an option or a page quotes it as that option or page reads in
Spanish. One word names one thing everywhere (the catalogue, the guides, the word list and
the drawings): "medicamento", "lesión" for an injury, "aerosol" for the naloxone spray. A
sentence about the patient reads the same for a woman and a man ("No sé", not "No estoy
seguro"). Numbers are written with a decimal point, as in Mexico and Central America and as
the summary of answers shows them.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from education.content_loader import CONTENT_DIR, parse_article, parse_glossary
from education.diagrams import DIAGRAMS

CATALOGUE = settings.LOCALE_PATHS[0] / "es" / "LC_MESSAGES" / "django.po"
SPANISH_DRAWINGS = sorted(
    (Path(settings.BASE_DIR) / "static" / "img" / "diagrams" / "es").glob("*.svg")
)
_QUOTED = re.compile(r"“([^”]+)”")
_SVG_TEXT = re.compile(r"<(?:text|tspan|title|desc)\b[^>]*>([^<]+)<")


def catalogue():
    return polib.pofile(str(CATALOGUE))


def spanish_strings():
    """Every msgstr, plural forms included."""
    for entry in catalogue():
        if entry.msgstr_plural:
            yield from entry.msgstr_plural.values()
        else:
            yield entry.msgstr


def spanish_texts():
    """(where, text) for every Spanish text a patient reads outside the catalogue."""
    for path in sorted((CONTENT_DIR / "articles" / "es").glob("*.md")):
        fields, _, body = parse_article(path.read_text(encoding="utf-8"))
        yield path.name, " ".join([fields["title"], fields["summary"], body])
    for term in parse_glossary((CONTENT_DIR / "glossary.es.md").read_text(encoding="utf-8")):
        yield f"glossary {term['slug']}", f"{term['term']} {term['definition']}"
    for key, diagram in DIAGRAMS.items():
        words = diagram.spanish
        yield f"diagram {key}", f"{words.alt_text} {words.caption} {words.long_description}"
    for path in SPANISH_DRAWINGS:
        yield path.name, " ".join(_SVG_TEXT.findall(path.read_text(encoding="utf-8")))


def test_a_quoted_option_or_page_reads_as_the_option_or_page_does():
    entries = catalogue()
    spanish_of = {entry.msgid: entry.msgstr for entry in entries if not entry.msgid_plural}
    mismatches = [
        (entry.msgid, quoted, spanish_of[quoted])
        for entry in entries
        for quoted in _QUOTED.findall(entry.msgid)
        if quoted in spanish_of and f"“{spanish_of[quoted]}”" not in entry.msgstr
    ]
    assert mismatches == []


# (pattern, what to write instead): each one a word a patient met in two forms, or a form
# that reads wrong for a Latin American patient.
UNWANTED = [
    (r"\bmedicinas?\b", "medicamento"),
    (r"\bheridas?\b", "lesión (an injury) or daño (a hurt)"),
    (r"\boperaci[oó]n\b", "cirugía"),
    (r"\bespray\b", "aerosol para la nariz"),
    (r"\bNo estoy segur[oa]\b", "No sé"),
    (r"\b(?:inquieto|tenso|cansado|seguro de que)\b", "a phrase that fits a woman and a man"),
    (r"\(opcional\)", "(si quiere)"),
    (r"\d,\d", "a decimal point: 2.5"),
    (r"«|»", "“ ”, as the rest of the site"),
]


@pytest.mark.parametrize(("pattern", "instead"), UNWANTED, ids=[p for p, _ in UNWANTED])
def test_the_catalogue_keeps_one_word_per_thing(pattern, instead):
    found = [text for text in spanish_strings() if re.search(pattern, text, re.IGNORECASE)]
    assert found == [], instead


@pytest.mark.parametrize(("pattern", "instead"), UNWANTED, ids=[p for p, _ in UNWANTED])
def test_the_guides_word_list_and_drawings_keep_one_word_per_thing(pattern, instead):
    found = [where for where, text in spanish_texts() if re.search(pattern, text, re.IGNORECASE)]
    assert found == [], instead
