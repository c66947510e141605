"""Loads the articles and glossary that ship with the code.

Content lives as Markdown files in `education/content/` so that a fresh install
shows it. Loading only adds what is missing: an article staff have edited in
the admin is never overwritten by the file it started from.
"""

from pathlib import Path

from django.db import transaction

from education.models import Article, ArticleFigure, ArticleSource, GlossaryTerm, Language

CONTENT_DIR = Path(__file__).resolve().parent / "content"


def parse_article(text):
    """Split a content file into its front matter fields and Markdown body."""
    _, header, body = text.split("---", 2)
    fields, sources = {}, []
    for line in header.strip().splitlines():
        if line.startswith("- "):
            title, _, url = line[2:].partition("|")
            sources.append({"title": title.strip(), "url": url.strip()})
        elif ":" in line:
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
    fields.pop("sources", None)
    return fields, sources, body.strip() + "\n"


def parse_glossary(text):
    terms = []
    for block in ("\n" + text).split("\n## ")[1:]:
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        term, slug_line, definition = lines[0], lines[1], " ".join(lines[2:])
        terms.append(
            {
                "term": term,
                "slug": slug_line.removeprefix("slug:").strip(),
                "definition": definition,
            }
        )
    return terms


@transaction.atomic
def load_content():
    """Create the shipped articles and glossary terms that are not there yet.

    Each new article goes live as its first revision, not yet signed off by a
    clinician: the site says nothing about review until one does.
    Returns the number of articles and terms created.
    """
    new_revisions = []
    for path in sorted((CONTENT_DIR / "articles").glob("*.md")):
        fields, sources, body = parse_article(path.read_text(encoding="utf-8"))
        if Article.objects.filter(slug=fields["slug"]).exists():
            continue
        article = Article.objects.create(
            title=fields["title"],
            slug=fields["slug"],
            summary=fields["summary"],
            topic=fields["topic"],
            order=int(fields["order"]),
            body=body,
        )
        ArticleSource.objects.bulk_create(
            ArticleSource(article=article, order=index, **source)
            for index, source in enumerate(sources)
        )
        revision = article.start_draft(by=None)
        for order, key in enumerate(fields.get("figures", "").split()):
            ArticleFigure.for_diagram(revision, key, order=order).save()
        new_revisions.append(revision)
    # Live only once all exist, as the shipped articles link to each other.
    for revision in new_revisions:
        revision.go_live()
    load_spanish_articles()
    created_terms = 0
    glossary_path = CONTENT_DIR / "glossary.md"
    if glossary_path.exists():
        for term in parse_glossary(glossary_path.read_text(encoding="utf-8")):
            _, created = GlossaryTerm.objects.get_or_create(
                language=Language.ENGLISH, slug=term["slug"], defaults=term
            )
            created_terms += created
    load_spanish_glossary()
    return len(new_revisions), created_terms


def load_spanish_articles():
    """Publish each shipped Spanish text (`articles/es/`, same file name and slug as the
    English) as its article's first Spanish revision, not signed off. An article that
    already has a Spanish revision, or no English one, is left alone."""
    loaded = 0
    for path in sorted((CONTENT_DIR / "articles" / "es").glob("*.md")):
        fields, _, body = parse_article(path.read_text(encoding="utf-8"))
        article = Article.objects.filter(slug=fields["slug"]).first()
        if article is None or article.revisions.filter(language=Language.SPANISH).exists():
            continue
        revision = article.revisions.create(
            language=Language.SPANISH,
            title=fields["title"],
            summary=fields["summary"],
            body=body,
        )
        for order, key in enumerate(fields.get("figures", "").split()):
            ArticleFigure.for_diagram(revision, key, order=order).save()
        revision.go_live()
        loaded += 1
    return loaded


def load_spanish_glossary():
    """Add the shipped Spanish term (glossary.es.md) of each English term that has none yet:
    a Spanish row staff have written or changed is left as it is."""
    path = CONTENT_DIR / "glossary.es.md"
    if not path.exists():
        return 0
    english = set(
        GlossaryTerm.objects.filter(language=Language.ENGLISH).values_list("slug", flat=True)
    )
    written = set(
        GlossaryTerm.objects.filter(language=Language.SPANISH).values_list("slug", flat=True)
    )
    added = 0
    # One save each (not bulk_create), so the history and the page cache hear of it.
    for term in parse_glossary(path.read_text(encoding="utf-8")):
        if term["slug"] in english and term["slug"] not in written:
            GlossaryTerm(language=Language.SPANISH, **term).save()
            added += 1
    return added
