"""The guides and the word list in Spanish: served, searched, cached and edited per language."""

import re

import pytest
from django.urls import reverse

from accounts.roles import CLINICIANS
from education import page_cache
from education.content_loader import CONTENT_DIR, load_content, parse_article
from education.models import Article, ArticleRevision, GlossaryTerm, Language
from tests.conftest import make_staff
from tests.education.factories import make_article

pytestmark = pytest.mark.django_db

SPANISH_FILES = sorted((CONTENT_DIR / "articles" / "es").glob("*.md"))
FALLBACK_NOTICE = "Esta guía todavía no está en español. Aquí la tiene en inglés."


def spanish_fields(path):
    fields, _, _ = parse_article(path.read_text(encoding="utf-8"))
    return fields


def html_lang(content):
    return re.search(r'<html lang="([^"]+)"', content).group(1)


@pytest.mark.parametrize("path", SPANISH_FILES, ids=lambda p: p.stem)
def test_every_spanish_article_is_served_in_spanish(client, content, path):
    fields = spanish_fields(path)
    response = client.get(f"/es/guias/{fields['slug']}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert html_lang(page) == "es"
    assert f"<h1>{fields['title']}</h1>" in page
    assert FALLBACK_NOTICE not in page
    # Links between the guides stay in Spanish.
    assert 'href="/learn/' not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_load_content_publishes_each_spanish_text_as_its_own_unsigned_revision(content):
    spanish = ArticleRevision.objects.filter(language=Language.SPANISH)
    assert spanish.count() == len(SPANISH_FILES)
    assert all(r.status == ArticleRevision.Status.PUBLISHED for r in spanish)
    assert all(r.signed_off_at is None for r in spanish)
    article = Article.objects.get(slug="what-is-oih")
    assert article.live_spanish_revision.title == spanish_fields(SPANISH_FILES[0])["title"]
    assert article.title == "What is opioid-induced hyperalgesia?"


@pytest.mark.parametrize("path", SPANISH_FILES, ids=lambda p: p.stem)
def test_every_loaded_spanish_article_reads_at_fernandez_huerta_70_or_more(content, path):
    revision = ArticleRevision.objects.get(
        article__slug=spanish_fields(path)["slug"], language=Language.SPANISH
    )
    assert revision.reading_ease >= 70
    assert not revision.is_above_grade_limit


def test_load_content_twice_adds_no_second_spanish_revision(content):
    load_content()
    assert ArticleRevision.objects.filter(language=Language.SPANISH).count() == len(SPANISH_FILES)


def test_spanish_figures_carry_spanish_words(client, content):
    page = client.get("/es/guias/oih-or-tolerance/").content.decode()
    assert "Dos gráficas pequeñas" in page
    assert "Lo que muestra la imagen" in page
    assert "Two small charts" not in page


def test_a_guide_without_spanish_text_falls_back_to_english_and_says_so_in_spanish(client):
    article = make_article(title="Only in English", slug="only-english")
    response = client.get(f"/es/guias/{article.slug}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert html_lang(page) == "es"
    assert FALLBACK_NOTICE in page
    assert '<article class="article-body" lang="en">' in page
    assert "<h1>Only in English</h1>" in page


def test_the_spanish_index_lists_spanish_titles_and_marks_english_ones(client, content):
    make_article(title="Only in English", slug="only-english", order=99)
    page = client.get("/es/guias/").content.decode()
    assert "¿Qué es la hiperalgesia inducida por opioides?" in page
    assert "Lo básico" in page
    assert "Only in English" in page
    assert "Esta guía todavía no está en español. Se muestra en inglés." in page


def test_the_spanish_word_list_shows_spanish_terms_in_spanish_order(client, content):
    response = client.get("/es/guias/glosario/")
    terms = [term.term for term in response.context["terms"]]
    assert "Acetaminofén" in terms
    assert terms == sorted(terms, key=lambda t: t.lower().replace("á", "a").replace("é", "e"))
    assert "(Todavía no está en español.)" not in response.content.decode()


@pytest.mark.usefixtures("empty_site")
def test_a_term_without_spanish_words_shows_in_english_marked(client):
    GlossaryTerm.objects.create(term="Naloxone", slug="naloxone", definition="A rescue medicine.")
    page = client.get("/es/guias/glosario/").content.decode()
    assert '<div class="glossary-term py-2" id="naloxone" lang="en">' in page
    assert "(Todavía no está en español.)" in page


def test_a_spanish_query_finds_spanish_articles_with_spanish_stems(client, content):
    response = client.get("/es/guias/buscar/", {"q": "dolores"})
    slugs = [article.slug for article in response.context["results"]]
    assert "what-is-oih" in slugs
    page = response.content.decode()
    assert "resultados para “dolores”" in page
    assert "<mark>" in page


def test_a_spanish_query_finds_nothing_on_the_english_search(client, content):
    response = client.get("/learn/search/", {"q": "abstinencia"})
    assert response.context["results"] == []
    spanish = client.get("/es/guias/buscar/", {"q": "abstinencia"})
    assert "oih-withdrawal-or-addiction" in [a.slug for a in spanish.context["results"]]


def test_the_page_cache_keeps_each_language_apart(client, content):
    english = client.get("/learn/what-is-oih/").content.decode()
    spanish = client.get("/es/guias/what-is-oih/").content.decode()
    assert html_lang(english) == "en" and html_lang(spanish) == "es"
    # Served again from the cache, each in its own language.
    assert client.get("/es/guias/what-is-oih/").content.decode() == spanish
    assert client.get("/learn/what-is-oih/").content.decode() == english
    assert page_cache.cached_page("es:article_detail:what-is-oih:") is not None
    assert page_cache.cached_page("en:article_detail:what-is-oih:") is not None


def test_publishing_spanish_text_clears_the_spanish_page(client, editor):
    article = make_article(slug="guide")
    assert FALLBACK_NOTICE in client.get("/es/guias/guide/").content.decode()
    draft = article.start_draft(by=editor, language=Language.SPANISH)
    draft.title, draft.body = "Una guía", "El dolor puede cambiar con el tiempo.\n"
    draft.save()
    draft.go_live(by=editor)
    page = client.get("/es/guias/guide/").content.decode()
    assert "<h1>Una guía</h1>" in page
    assert FALLBACK_NOTICE not in page


# Editing in Spanish -----------------------------------------------------------


def test_a_first_spanish_draft_starts_from_the_english_text_without_its_sign_off(editor):
    clinician = make_staff("doc", CLINICIANS)
    article = make_article(slug="guide")
    article.live_revision.sign_off(by=clinician)
    draft = article.start_draft(by=editor, language=Language.SPANISH)
    assert draft.language == Language.SPANISH
    assert draft.body == article.live_revision.body
    assert draft.signed_off_at is None
    assert article.draft is None


def test_each_language_has_its_own_open_draft(editor):
    article = make_article(slug="guide")
    english = article.start_draft(by=editor)
    spanish = article.start_draft(by=editor, language=Language.SPANISH)
    assert english.pk != spanish.pk
    assert article.start_draft(by=editor, language=Language.SPANISH).pk == spanish.pk
    assert article.draft == english and article.spanish_draft == spanish


def test_a_spanish_revision_is_measured_with_fernandez_huerta(editor):
    article = make_article(slug="guide")
    draft = article.start_draft(by=editor, language=Language.SPANISH)
    draft.body = "El dolor puede cambiar. Hable con su médico. Usted no está solo.\n"
    draft.save()
    assert draft.reading_ease is not None and draft.reading_ease >= 70
    assert not draft.is_above_grade_limit
    draft.body = (
        "La hiperalgesia inducida por opioides constituye una manifestación paradójica "
        "caracterizada por sensibilización nociceptiva progresivamente incrementada.\n"
    )
    draft.save()
    assert draft.reading_ease < 70
    assert draft.is_above_grade_limit


def test_spanish_dose_talk_shows_the_safety_message_in_spanish(client, editor):
    article = make_article(slug="guide")
    draft = article.start_draft(by=editor, language=Language.SPANISH)
    draft.body = "No cambie su dosis sin hablar con su médico.\n"
    draft.save()
    draft.go_live(by=editor)
    assert draft.mentions_dose_change
    page = client.get("/es/guias/guide/").content.decode()
    assert "No deje de tomar ni cambie su dosis de opioides por su cuenta." in page


def test_signing_off_the_spanish_text_leaves_the_english_unchecked(client, editor):
    clinician = make_staff("doc", CLINICIANS, first_name="Ana", last_name="Ruiz")
    article = make_article(slug="guide")
    draft = article.start_draft(by=editor, language=Language.SPANISH)
    draft.sign_off(by=clinician)
    draft.publish(by=editor)
    article.refresh_from_db()
    assert article.spanish_review_due is not None
    assert article.next_review_due is None
    assert (
        "Guía revisada por Ana Ruiz, del personal médico, el "
        in client.get("/es/guias/guide/").content.decode()
    )
    assert "Checked by a clinician" not in client.get("/learn/guide/").content.decode()


def test_the_editor_starts_a_spanish_draft_from_the_article_page(editor_client):
    article = make_article(slug="guide")
    page = editor_client.get(reverse("admin:education_article_change", args=[article.pk]))
    assert "Edit the Spanish text as a new draft" in page.content.decode()
    response = editor_client.post(
        reverse("admin:education_article_start_draft", args=[article.pk]), {"language": "es"}
    )
    draft = article.spanish_draft
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:education_articlerevision_change", args=[draft.pk]
    )
    form = editor_client.get(response["Location"]).content.decode()
    assert "Spanish revision 1: draft" in form
    assert 'data-language="es"' in form
    assert draft.get_preview_url() == f"/es/guias/guide/vista-previa/{draft.number}/"


def test_the_live_reading_measure_answers_in_fernandez_huerta_for_spanish(editor_client):
    response = editor_client.post(
        reverse("admin:education_articlerevision_reading_grade"),
        {"body": "El dolor puede cambiar. Hable con su médico.", "language": "es"},
    )
    result = response.json()
    assert result["language"] == "es"
    assert result["minimum"] == 70.0
    assert result["above_limit"] is False


def test_the_article_list_shows_the_spanish_version(editor_client, content):
    page = editor_client.get(reverse("admin:education_article_changelist")).content.decode()
    # Each language counts its own revisions: the shipped Spanish text is Spanish revision 1.
    assert "Spanish revision 1, not signed off" in page


def test_the_revision_list_shows_the_spanish_reading_ease(editor_client, content):
    page = editor_client.get(
        reverse("admin:education_articlerevision_changelist") + "?language__exact=es"
    ).content.decode()
    assert "Fernández-Huerta" in page


@pytest.mark.usefixtures("empty_site")
def test_an_editor_writes_a_terms_spanish_as_its_own_row_and_spanish_readers_see_it(
    client, editor_client
):
    GlossaryTerm.objects.create(term="Naloxone", slug="naloxone", definition="A rescue medicine.")
    response = editor_client.post(
        "/admin/education/glossaryterm/add/",
        {
            "language": "es",
            "term": "Naloxona",
            "slug": "naloxone",
            "definition": "Un medicamento de rescate.",
        },
    )
    assert response.status_code == 302
    spanish = client.get("/es/guias/glosario/").content.decode()
    assert "Naloxona" in spanish and "Un medicamento de rescate." in spanish
    assert "(Todavía no está en español.)" not in spanish
    english = client.get("/learn/glossary/").content.decode()
    assert "Naloxone" in english and "Naloxona" not in english
    # The same slug twice in one language is refused at the field, kindly.
    again = editor_client.post(
        "/admin/education/glossaryterm/add/",
        {"language": "es", "term": "Otra", "slug": "naloxone", "definition": "Otra."},
    )
    assert again.status_code == 200
    assert GlossaryTerm.objects.filter(language="es").count() == 1
