"""Articles from before revisions become a published revision 1, not signed off."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("education", "0002_content_editors_group")]
AFTER = [("education", "0006_clinicians_sign_off_articles")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.usefixtures("empty_site")
def test_existing_articles_become_published_revisions_without_a_sign_off():
    old_apps = migrate(BEFORE)
    OldArticle = old_apps.get_model("education", "Article")
    published_at = timezone.now()
    OldArticle.objects.create(
        title="Live one",
        slug="live-one",
        summary="A summary.",
        body="Talk about your dose.",
        topic="basics",
        status="published",
        published_at=published_at,
        last_reviewed_on="2026-11-01",
        reviewed_by="Typed by anyone",
        next_review_due="2027-11-01",
    )
    OldArticle.objects.create(
        title="Draft one", slug="draft-one", summary="S.", body="Draft.", topic="basics"
    )
    try:
        apps = migrate(AFTER)
        Article = apps.get_model("education", "Article")
        rows = {
            a.slug: (
                a.live_revision.number if a.live_revision else None,
                a.next_review_due,
                list(
                    a.revisions.values_list(
                        "number", "status", "title", "published_at", "signed_off_at"
                    )
                ),
            )
            for a in Article.objects.all()
        }
        assert rows == {
            "live-one": (1, None, [(1, "published", "Live one", published_at, None)]),
            "draft-one": (None, None, [(1, "draft", "Draft one", None, None)]),
        }
        revision = Article.objects.get(slug="live-one").live_revision
        assert revision.mentions_dose_change is True
        assert revision.body_html == "<p>Talk about your dose.</p>"
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.usefixtures("empty_site")
def test_a_terms_spanish_words_become_a_spanish_row_and_back():
    before = [("education", "0007_spanish_versions_of_articles_and_terms")]
    after = [("education", "0008_glossary_terms_per_language")]
    old_apps = migrate(before)
    OldTerm = old_apps.get_model("education", "GlossaryTerm")
    OldTerm.objects.create(
        term="Naloxone",
        slug="naloxone",
        definition="A rescue medicine.",
        term_es="Naloxona",
        definition_es="Un medicamento de rescate.",
    )
    OldTerm.objects.create(term="Tolerance", slug="tolerance", definition="Less effect.")
    try:
        Term = migrate(after).get_model("education", "GlossaryTerm")
        assert sorted(Term.objects.values_list("language", "slug", "term", "definition")) == [
            ("en", "naloxone", "Naloxone", "A rescue medicine."),
            ("en", "tolerance", "Tolerance", "Less effect."),
            ("es", "naloxone", "Naloxona", "Un medicamento de rescate."),
        ]
        OldTerm = migrate(before).get_model("education", "GlossaryTerm")
        assert sorted(OldTerm.objects.values_list("slug", "term_es", "definition_es")) == [
            ("naloxone", "Naloxona", "Un medicamento de rescate."),
            ("tolerance", "", ""),
        ]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.usefixtures("empty_site")
def test_the_spanish_text_is_read_from_its_revision_and_copied_back_when_going_back():
    before = [("education", "0008_glossary_terms_per_language")]
    after = [("education", "0009_spanish_text_in_its_revisions")]
    old_apps = migrate(before)
    OldArticle = old_apps.get_model("education", "Article")
    OldRevision = old_apps.get_model("education", "ArticleRevision")
    now = timezone.now()
    article = OldArticle.objects.create(
        title="Pain",
        slug="pain",
        summary="S.",
        body="Pain.",
        topic="basics",
        status="published",
        published_at=now,
    )
    spanish = OldRevision.objects.create(
        article=article,
        language="es",
        number=2,
        status="published",
        published_at=now,
        title="Dolor",
        summary="R.",
        body="Los dolores crecen.",
    )
    OldArticle.objects.filter(pk=article.pk).update(
        live_spanish_revision=spanish,
        title_es="Dolor",
        summary_es="R.",
        body_es="Los dolores crecen.",
    )
    try:
        Revision = migrate(after).get_model("education", "ArticleRevision")
        found = Revision.objects.filter(search_vector=SearchQuery("dolor", config="spanish"))
        assert [r.title for r in found] == ["Dolor"]
        assert Revision.objects.get(pk=spanish.pk).body_text == "Los dolores crecen."
        Back = migrate(before).get_model("education", "Article")
        assert Back.objects.values_list("title_es", "body_es").get() == (
            "Dolor",
            "Los dolores crecen.",
        )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
