"""Every change to what readers see clears the page cache, whichever way it is made.

Model signals reach saves, deletes (a queryset's delete sends them for each row
too) and changes to related-article links. `QuerySet.update` sends none, so
status changes go through `Article.unpublish` and `ArticleQuerySet.unpublish`.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from education import page_cache
from education.models import Article, ArticleFigure, ArticleRevision, ArticleSource, GlossaryTerm

CONTENT_MODELS = (Article, ArticleRevision, ArticleFigure, ArticleSource, GlossaryTerm)


def clear_page_cache(**kwargs):
    page_cache.content_changed()


def connect():
    for model in CONTENT_MODELS:
        post_save.connect(clear_page_cache, sender=model, dispatch_uid=f"pages-save-{model}")
        post_delete.connect(clear_page_cache, sender=model, dispatch_uid=f"pages-delete-{model}")
    m2m_changed.connect(
        clear_page_cache, sender=Article.related_articles.through, dispatch_uid="pages-related"
    )
