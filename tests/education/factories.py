from education.models import Article, ArticleRevision, Topic


def make_article(status=Article.Status.PUBLISHED, published_at=None, **fields):
    """An article with one revision, live unless `status` says draft."""
    defaults = {
        "title": "A guide",
        "slug": f"a-guide-{Article.objects.count() + 1}",
        "summary": "A short summary.",
        "body": "## Part one\n\nPain can change over time.\n",
        "topic": Topic.BASICS,
        "order": Article.objects.count() + 1,
    }
    article = Article.objects.create(**{**defaults, **fields})
    revision = article.start_draft(by=None)
    if status == Article.Status.PUBLISHED:
        revision.go_live()
        if published_at is not None:
            Article.objects.filter(pk=article.pk).update(published_at=published_at)
            article.refresh_from_db()
    return article


def edit_draft(article, by=None, **fields):
    """Open (or reuse) the article's draft and change its text."""
    draft = article.start_draft(by=by)
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.save()
    return draft


def revision(article, number):
    return ArticleRevision.objects.get(article=article, number=number)
