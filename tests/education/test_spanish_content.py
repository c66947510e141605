"""The Spanish articles and glossary that ship beside the English ones.

Each Spanish file pairs with an English one by file name and slug, so the two
language versions of a page share their URL, sources and links.
"""

import contextlib
import re

import pytest
import textstat

from education.content_loader import CONTENT_DIR, parse_article, parse_glossary
from education.readability import plain_text, reading_grade

# Fernández-Huerta 70 or more reads as "fairly easy" Spanish, the counterpart of
# the English grade-8 goal for patient pages.
SPANISH_READING_EASE_MINIMUM = 70.0
SPANISH_SAFETY_MESSAGE = (
    "> **No deje de tomar ni cambie su dosis de opioides por su cuenta. "
    "Dejarlos de golpe puede ser peligroso. Hable primero con su médico o enfermera.**"
)

ENGLISH_ARTICLES = sorted((CONTENT_DIR / "articles").glob("*.md"))
SPANISH_ARTICLES = sorted((CONTENT_DIR / "articles" / "es").glob("*.md"))
ENGLISH_GLOSSARY = CONTENT_DIR / "glossary.md"
SPANISH_GLOSSARY = CONTENT_DIR / "glossary.es.md"

_MARKDOWN_LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
# Everyday English words that never belong in Spanish text; brand names and
# the source citations (front matter, never shown as body text) are not checked.
_ENGLISH_WORDS = re.compile(
    r"\b(the|and|your|you|with|pain|medicine|clinician|doctor|dose|doses|this|that|"
    r"what|how|when|help|withdrawal|tolerance|taper)\b",
    re.IGNORECASE,
)


@contextlib.contextmanager
def measuring_spanish():
    """Count syllables with textstat's Spanish rules, then go back to its default."""
    textstat.set_lang("es")
    try:
        yield
    finally:
        # "en_US" is textstat's default language; the English grade tests rely on it.
        textstat.set_lang("en_US")


def fernandez_huerta(markdown_text):
    with measuring_spanish():
        return round(textstat.fernandez_huerta(plain_text(markdown_text)), 1)


def read_article(path):
    return parse_article(path.read_text(encoding="utf-8"))


def spanish_version_of(english_path):
    return CONTENT_DIR / "articles" / "es" / english_path.name


def link_targets(markdown_text):
    return sorted(_MARKDOWN_LINK_TARGET.findall(markdown_text))


def read_glossary(path):
    return parse_glossary(path.read_text(encoding="utf-8"))


def test_every_english_article_has_a_spanish_version_with_the_same_slug():
    assert [p.name for p in SPANISH_ARTICLES] == [p.name for p in ENGLISH_ARTICLES]
    for english_path in ENGLISH_ARTICLES:
        english_fields, _, _ = read_article(english_path)
        spanish_fields, _, _ = read_article(spanish_version_of(english_path))
        assert spanish_fields["slug"] == english_fields["slug"], english_path.name


@pytest.mark.parametrize("english_path", ENGLISH_ARTICLES, ids=lambda p: p.stem)
def test_spanish_front_matter_matches_the_english_and_translates_the_words(english_path):
    english_fields, english_sources, _ = read_article(english_path)
    spanish_fields, spanish_sources, _ = read_article(spanish_version_of(english_path))
    assert sorted(spanish_fields) == sorted(english_fields)
    for key in ("slug", "topic", "order"):
        assert spanish_fields[key] == english_fields[key], key
    assert spanish_sources == english_sources
    for key in ("title", "summary"):
        assert spanish_fields[key] != english_fields[key], key
        assert not _ENGLISH_WORDS.search(spanish_fields[key]), key


@pytest.mark.parametrize("path", SPANISH_ARTICLES, ids=lambda p: p.stem)
def test_each_spanish_article_reads_at_fernandez_huerta_70_or_more(path):
    fields, _, body = read_article(path)
    assert fernandez_huerta(body) >= SPANISH_READING_EASE_MINIMUM
    assert fernandez_huerta(fields["summary"]) >= SPANISH_READING_EASE_MINIMUM


@pytest.mark.parametrize("path", SPANISH_ARTICLES, ids=lambda p: p.stem)
def test_each_spanish_article_carries_the_safety_message_once(path):
    _, _, body = read_article(path)
    assert body.count(SPANISH_SAFETY_MESSAGE) == 1


@pytest.mark.parametrize("path", SPANISH_ARTICLES, ids=lambda p: p.stem)
def test_each_spanish_article_body_has_no_english_words_left(path):
    _, _, body = read_article(path)
    assert _ENGLISH_WORDS.findall(plain_text(body)) == []


@pytest.mark.parametrize("english_path", ENGLISH_ARTICLES, ids=lambda p: p.stem)
def test_spanish_links_lead_where_the_english_ones_do(english_path):
    _, _, english_body = read_article(english_path)
    _, _, spanish_body = read_article(spanish_version_of(english_path))
    assert link_targets(spanish_body) == link_targets(english_body)


def test_every_internal_spanish_link_points_to_an_english_page_or_term():
    article_paths = {f"/learn/{read_article(p)[0]['slug']}/" for p in ENGLISH_ARTICLES}
    term_slugs = {term["slug"] for term in read_glossary(ENGLISH_GLOSSARY)}
    broken = []
    for path in SPANISH_ARTICLES:
        for target in link_targets(read_article(path)[2]):
            if not target.startswith("/"):
                continue
            page, _, anchor = target.partition("#")
            is_term = page == "/learn/glossary/" and anchor in term_slugs
            if not (is_term or (page in article_paths and not anchor)):
                broken.append(f"{path.name}: {target}")
    assert broken == []


def test_spanish_glossary_covers_every_english_term_once():
    english_slugs = [term["slug"] for term in read_glossary(ENGLISH_GLOSSARY)]
    spanish_slugs = [term["slug"] for term in read_glossary(SPANISH_GLOSSARY)]
    assert sorted(spanish_slugs) == sorted(english_slugs)
    assert len(set(spanish_slugs)) == len(spanish_slugs)


def test_spanish_glossary_translates_every_definition():
    english = {term["slug"]: term for term in read_glossary(ENGLISH_GLOSSARY)}
    untranslated = [
        term["slug"]
        for term in read_glossary(SPANISH_GLOSSARY)
        if term["definition"] == english[term["slug"]]["definition"]
        or _ENGLISH_WORDS.search(term["term"] + " " + term["definition"])
    ]
    assert untranslated == []


def test_spanish_glossary_definitions_read_at_fernandez_huerta_70_or_more():
    definitions = "\n".join(term["definition"] for term in read_glossary(SPANISH_GLOSSARY))
    assert fernandez_huerta(definitions) >= SPANISH_READING_EASE_MINIMUM


def test_measuring_spanish_leaves_the_english_grade_unchanged():
    _, _, english_body = read_article(ENGLISH_ARTICLES[0])
    _, _, spanish_body = read_article(SPANISH_ARTICLES[0])
    grade_before = reading_grade(english_body)
    fernandez_huerta(spanish_body)
    assert reading_grade(english_body) == grade_before
