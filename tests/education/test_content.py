"""The articles and glossary that ship with the code."""

import re

import pytest

from education.content_loader import CONTENT_DIR, load_content, parse_article
from education.diagrams import DIAGRAMS
from education.models import (
    DOSE_CHANGE_WORDS,
    SAFETY_MESSAGE,
    Article,
    ArticleFigure,
    GlossaryTerm,
)
from education.readability import PATIENT_GRADE_LIMIT, reading_grade

pytestmark = pytest.mark.django_db
ARTICLE_FILES = sorted((CONTENT_DIR / "articles").glob("*.md"))

# Every topic the articles must cover together, as words a reader would find.
REQUIRED_COVERAGE = {
    "paradox": r"paradox",
    "receptors in brain and spinal cord": r"receptor",
    "glutamate": r"glutamate",
    "inflammation in the nervous system": r"inflam",
    "spinal cord as a gate": r"gate",
    "nerve endings": r"nerve ending",
    "tolerance": r"tolerance",
    "withdrawal": r"withdrawal",
    "addiction": r"addiction",
    "spreading pain": r"spread",
    "burning pain": r"burning",
    "light touch hurts": r"light touch|clothes|bedsheets",
    "months after stopping": r"months",
    "taper": r"taper",
    "switching opioid": r"switch",
    "NSAIDs": r"NSAID",
    "acetaminophen": r"acetaminophen",
    "anticonvulsants": r"anticonvulsant|seizure",
    "antidepressants": r"antidepressant",
    "physical therapy": r"physical therapy",
    "TENS": r"TENS",
    "nerve blocks": r"nerve block",
    "CBT": r"cognitive behavio",
    "mindfulness": r"mindful",
    "lowest dose shortest time": r"lowest dose",
    "crisis line 988": r"988",
}


def test_at_least_eight_articles_ship():
    assert len(ARTICLE_FILES) >= 8


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=lambda p: p.stem)
def test_each_article_reads_at_grade_8_or_below(path):
    fields, _, body = parse_article(path.read_text(encoding="utf-8"))
    assert reading_grade(body) <= PATIENT_GRADE_LIMIT
    assert reading_grade(fields["summary"]) <= PATIENT_GRADE_LIMIT


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=lambda p: p.stem)
def test_each_article_about_doses_carries_the_safety_sentence_itself(path):
    _, _, body = parse_article(path.read_text(encoding="utf-8"))
    if DOSE_CHANGE_WORDS.search(body):
        assert SAFETY_MESSAGE in body


def test_articles_together_cover_every_required_topic():
    text = " ".join(p.read_text(encoding="utf-8") for p in ARTICLE_FILES)
    missing = [
        name
        for name, pattern in REQUIRED_COVERAGE.items()
        if not re.search(pattern, text, re.IGNORECASE)
    ]
    assert missing == []


@pytest.mark.usefixtures("empty_site")
def test_loading_creates_published_articles_with_sources_and_glossary():
    articles, terms = load_content()
    assert articles == len(ARTICLE_FILES)
    assert Article.objects.published().count() == len(ARTICLE_FILES)
    assert all(a.sources.exists() for a in Article.objects.all())
    assert terms == GlossaryTerm.objects.filter(language="en").count() >= 15
    # Each shipped Spanish term is its own row, under its English term's slug.
    spanish = set(GlossaryTerm.objects.filter(language="es").values_list("slug", flat=True))
    assert spanish == set(GlossaryTerm.objects.filter(language="en").values_list("slug", flat=True))
    assert all(a.reading_grade <= PATIENT_GRADE_LIMIT for a in Article.objects.all())


def test_loading_again_adds_nothing_and_keeps_staff_edits():
    load_content()
    article = Article.objects.order_by("order").first()
    draft = article.start_draft(by=None)
    draft.title = "Edited by staff"
    draft.save()
    draft.go_live()
    assert load_content() == (0, 0)
    article.refresh_from_db()
    english = article.revisions.filter(language="en")
    assert (article.title, english.count()) == ("Edited by staff", 2)


def test_every_glossary_definition_reads_at_grade_8_or_below():
    load_content()
    too_hard = [
        t.term
        for t in GlossaryTerm.objects.filter(language="en")
        if reading_grade(t.definition) > PATIENT_GRADE_LIMIT
    ]
    assert too_hard == []


def test_every_internal_link_in_the_articles_leads_somewhere(client):
    load_content()
    slugs = set(GlossaryTerm.objects.values_list("slug", flat=True))
    for article in Article.objects.all():
        for href in re.findall(r'href="(/[^"]*)"', article.body_html):
            path, _, anchor = href.partition("#")
            assert client.get(path).status_code == 200, href
            if path == "/learn/glossary/" and anchor:
                assert anchor in slugs, href


@pytest.mark.usefixtures("empty_site")
def test_shipped_articles_start_live_but_not_signed_off(client):
    articles, _ = load_content()
    live = Article.objects.published().select_related("live_revision")
    assert [a.live_revision.is_signed_off for a in live] == [False] * articles
    assert Article.objects.due_for_review().count() == articles
    for article in live:
        content = client.get(article.get_absolute_url()).content.decode()
        assert "Checked by a clinician" not in content, article.slug


def test_the_three_drawings_ship_in_the_articles_that_explain_them():
    load_content()
    placed = {
        figure.revision.article.slug: figure.diagram
        for figure in ArticleFigure.objects.select_related("revision__article")
    }
    assert placed == {
        "how-oih-develops": "pain-gate",
        "oih-or-tolerance": "tolerance-vs-oih",
        "managing-oih": "slow-taper",
    }


@pytest.mark.parametrize("diagram", DIAGRAMS.values(), ids=lambda d: d.key)
def test_each_drawings_words_read_at_grade_8_or_below(diagram):
    for text in (diagram.alt_text, diagram.caption, diagram.long_description):
        assert reading_grade(text) <= PATIENT_GRADE_LIMIT, text
    assert (CONTENT_DIR.parent.parent / "static" / diagram.static_path).exists()


def _drawn_words(path):
    return re.findall(r"<(?:text|tspan)\b[^>]*>([^<]+)</(?:text|tspan)>", path.read_text())


@pytest.mark.parametrize("diagram", DIAGRAMS.values(), ids=lambda d: d.key)
def test_each_drawing_has_a_spanish_copy_with_its_words_in_spanish(diagram):
    static = CONTENT_DIR.parent.parent / "static"
    english = _drawn_words(static / diagram.static_path)
    spanish_file = static / diagram.static_path_in("es")
    spanish = _drawn_words(spanish_file)
    assert len(spanish) == len(english) > 5
    for english_word, spanish_word in zip(english, spanish, strict=True):
        assert english_word.isdigit() or spanish_word != english_word, english_word
    assert 'xml:lang="es"' in spanish_file.read_text()


@pytest.mark.django_db
def test_a_spanish_article_shows_the_spanish_drawing(client, content):
    page = client.get("/es/guias/how-oih-develops/").content.decode()
    assert 'src="/static/img/diagrams/es/pain-gate.svg"' in page
    english = client.get("/learn/how-oih-develops/").content.decode()
    assert 'src="/static/img/diagrams/pain-gate.svg"' in english
