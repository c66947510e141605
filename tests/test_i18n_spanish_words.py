"""The Spanish a patient reads keeps its words straight across the whole site.

An error that quotes an option or a page quotes it as that option or page reads in
Spanish. One word names one thing everywhere (the catalogue, the guides, the word list and
the drawings): "medicamento", "lesión" for an injury, "aerosol" for the naloxone spray. A
sentence about the patient reads the same for a woman and a man ("No sé", not "No estoy
seguro"). Numbers are written with a decimal point, as in Mexico and Central America and as
the summary of answers shows them.
"""

import re

import polib
import pytest
from django.conf import settings

CATALOGUE = settings.LOCALE_PATHS[0] / "es" / "LC_MESSAGES" / "django.po"
_QUOTED = re.compile(r"“([^”]+)”")


def catalogue():
    return polib.pofile(str(CATALOGUE))


def spanish_strings():
    """Every msgstr, plural forms included."""
    for entry in catalogue():
        if entry.msgstr_plural:
            yield from entry.msgstr_plural.values()
        else:
            yield entry.msgstr


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
