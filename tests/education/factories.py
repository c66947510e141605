from education.models import Article, Topic


def make_article(**fields):
    defaults = {
        "title": "A guide",
        "slug": f"a-guide-{Article.objects.count() + 1}",
        "summary": "A short summary.",
        "body": "## Part one\n\nPain can change over time.\n",
        "topic": Topic.BASICS,
        "order": Article.objects.count() + 1,
        "status": Article.Status.PUBLISHED,
    }
    article = Article(**{**defaults, **fields})
    article.save()
    return article
