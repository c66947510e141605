"""Each existing article becomes its first revision: published if it was, and not signed off.

The old "last checked" date was set by the content loader or typed by hand, so it
is not carried over: the site says nothing about clinical review until a clinician
signs a revision off.
"""

from django.db import migrations

from education.markup import render_markdown
from education.models import DOSE_CHANGE_WORDS
from education.readability import reading_grade


def articles_to_revisions(apps, schema_editor):
    Article = apps.get_model("education", "Article")
    ArticleRevision = apps.get_model("education", "ArticleRevision")
    for article in Article.objects.all():
        is_published = article.status == "published"
        revision = ArticleRevision.objects.create(
            article=article,
            number=1,
            status="published" if is_published else "draft",
            title=article.title,
            summary=article.summary,
            body=article.body,
            body_html=render_markdown(article.body),
            reading_grade=reading_grade(article.body),
            mentions_dose_change=bool(DOSE_CHANGE_WORDS.search(article.body)),
            published_at=article.published_at if is_published else None,
        )
        Article.objects.filter(pk=article.pk).update(
            live_revision=revision if is_published else None, next_review_due=None
        )


def revisions_to_articles(apps, schema_editor):
    apps.get_model("education", "Article").objects.update(live_revision=None)


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0003_article_revisions_and_figures"),
    ]

    operations = [migrations.RunPython(articles_to_revisions, revisions_to_articles)]
