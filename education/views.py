import hashlib
import mimetypes
import re
import unicodedata
from html import unescape
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from education import page_cache
from education.markup import place_figures, unlink_articles_not_in
from education.models import (
    SAFETY_MESSAGE,
    Article,
    ArticleRevision,
    Language,
    Topic,
    glossary_in,
)
from oih_site.language import address_in

# Private-use characters mark the matched words in a search snippet, so that
# the snippet can be escaped first and the <mark> tags added after.
_MATCH_START, _MATCH_END = "\ue000", "\ue001"
# A link in a guide's text to another page of the guides, as written: href="/learn/...".
_GUIDE_LINK = re.compile(r'href="(/learn/[^"]*)"')
SEARCH_QUERY_MAX_LENGTH = 200
# What images.store_picture names a stored picture: figures/<hash>[-<width>][_<suffix>].webp.
STORED_PICTURE_NAME = re.compile(r"figures/[A-Za-z0-9][A-Za-z0-9_.-]{0,150}")
# Full-text search configuration for each language's text.
SEARCH_CONFIGS = {Language.ENGLISH: "english", Language.SPANISH: "spanish"}


def cache_for_readers(view):
    """Serve anonymous readers a cached copy of the page; staff always get a fresh one."""

    def wrapper(request, **kwargs):
        if request.user.is_authenticated:
            return view(request, **kwargs)
        query = " ".join(_search_text(request).lower().split())
        query_key = hashlib.sha256(query.encode()).hexdigest()[:32] if query else ""
        # The page is built from what its key holds and nothing else: the one reader's other
        # parameters (or the search words as they cased them) would reach every reader, in
        # the language switcher's link above all.
        only_the_key = urlencode({"q": query}) if query else ""
        request.GET = QueryDict(only_the_key)
        request.META["QUERY_STRING"] = only_the_key
        # The same address shows a different page in each language.
        language = translation.get_language()
        name = f"{language}:{view.__name__}:{kwargs.get('slug', '')}:{query_key}"
        content = page_cache.cached_page(name)
        if content is not None:
            return HttpResponse(content)
        response = view(request, **kwargs)
        if response.status_code == 200:
            page_cache.store_page(name, response.content)
        return response

    wrapper.__name__ = view.__name__
    return wrapper


def _search_text(request):
    # PostgreSQL text cannot hold NUL; a pasted one must not turn into an error page.
    return request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_QUERY_MAX_LENGTH]


@cache_for_readers
def article_index(request):
    articles = Article.objects.published().for_lists()
    by_topic = {value: [] for value in Topic.values}
    for article in articles:
        by_topic[article.topic].append(article.show_in())
    sections = [(Topic(value).label, items) for value, items in by_topic.items() if items]
    return render(request, "education/article_index.html", {"sections": sections})


@cache_for_readers
def article_detail(request, slug):
    article = get_object_or_404(
        Article.objects.select_related(
            "live_revision__signed_off_by", "live_spanish_revision__signed_off_by"
        ).prefetch_related("sources", "live_revision__figures", "live_spanish_revision__figures"),
        slug=slug,
    )
    if article.is_published:
        revision = article.live_revision_in(translation.get_language())
        return _render_article(request, article, revision, is_preview=False)
    # Staff who work on articles see what it would look like; everyone else, nothing.
    if not request.user.has_perm("education.view_articlerevision"):
        raise Http404("No published article here.")
    language = translation.get_language()
    revision = article.draft_in(language) or article.live_revision_in(language)
    revision = revision or article.draft
    if revision is None:
        raise Http404("This article has no text yet.")
    return _render_article(request, article, revision, is_preview=True)


def preview(request, slug, number):
    """A revision exactly as readers would see it, with a banner; for editors and clinicians."""
    if not request.user.has_perm("education.view_articlerevision"):
        raise Http404("No such page.")
    revision = get_object_or_404(
        ArticleRevision.objects.select_related("article", "signed_off_by").prefetch_related(
            "figures", "article__sources"
        ),
        article__slug=slug,
        number=number,
    )
    return _render_article(request, revision.article, revision, is_preview=True)


def _render_article(request, article, revision, is_preview):
    page_language = translation.get_language()
    reading_list = [a.show_in(page_language) for a in Article.objects.published().for_lists()]
    readable = {a.slug for a in reading_list}
    previous_article, next_article = _neighbours(reading_list, article)
    related = [a.show_in(page_language) for a in article.related_articles.for_lists()]
    related = [a for a in related if a.slug in readable]
    if not related:
        related = [a for a in reading_list if a.pk != article.pk and a.topic == article.topic][:3]
    figures = {
        figure.key: render_to_string("education/_figure.html", {"figure": figure})
        for figure in revision.figures.all()
    }
    body = unlink_articles_not_in(revision.body_html, readable | {article.slug})
    response = render(
        request,
        "education/article_detail.html",
        {
            "article": article,
            "revision": revision,
            "body_html": mark_safe(  # noqa: S308 - sanitised on save
                place_figures(links_in_language(body, page_language), figures)
            ),
            # A Spanish reader shown the English text is told so, in Spanish.
            "is_fallback": revision.language != page_language,
            "is_preview": is_preview,
            "is_live": revision.pk == article.live_revision_id and article.is_published,
            "safety_message": gettext(SAFETY_MESSAGE),
            "previous_article": previous_article,
            "next_article": next_article,
            "related_articles": related,
        },
    )
    if is_preview:
        response["Cache-Control"] = "private, no-store"
    return response


def figure_file(request, name):
    """A stored picture, when the storage is this server's disk (a cloud store links directly).

    Stored names carry a hash of the content, so a file never changes: cache it for good.
    """
    if not STORED_PICTURE_NAME.fullmatch(name):
        # Only names store_picture makes: no folders, dots alone, NUL or 300-letter names.
        raise Http404("No such picture.")
    try:
        stored = default_storage.open(name)
    except (OSError, ValueError, SuspiciousFileOperation) as error:
        raise Http404("No such picture.") from error
    response = FileResponse(stored, content_type=mimetypes.guess_type(name)[0] or "image/webp")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def links_in_language(body_html, language):
    """Links between the guides lead to the same language's pages (/learn/x/ -> /es/guias/x/)."""
    if language == Language.ENGLISH:
        return body_html
    return _GUIDE_LINK.sub(
        lambda match: f'href="{escape(address_in(unescape(match[1]), language))}"', body_html
    )


def _neighbours(reading_list, article):
    slugs = [a.slug for a in reading_list]
    if article.slug not in slugs:
        return None, None
    index = slugs.index(article.slug)
    previous_article = reading_list[index - 1] if index > 0 else None
    next_article = reading_list[index + 1] if index + 1 < len(reading_list) else None
    return previous_article, next_article


@cache_for_readers
def article_search(request):
    query_text = _search_text(request)
    results = []
    if query_text:
        # Spanish pages search the Spanish text with Spanish stems and stop words.
        spanish = translation.get_language() == Language.SPANISH
        searched = query_text
        if spanish:
            # The English initials are the ones on the clinic's letters: the Spanish guides
            # say "HIO" (hiperalgesia inducida por opioides).
            searched = re.sub(r"\bOIH\b", "HIO", query_text, flags=re.IGNORECASE)
        language = Language.SPANISH if spanish else Language.ENGLISH
        config = SEARCH_CONFIGS[language]
        query = SearchQuery(searched, search_type="websearch", config=config)
        # The live revision of each published article in the page's language: the text its
        # readers see, searched with that language's stems.
        live = "article__live_spanish_revision" if spanish else "article__live_revision"
        matches = (
            ArticleRevision.objects.filter(
                language=language,
                article__in=Article.objects.published(),
                pk=F(live),
                search_vector=query,
            )
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                snippet=SearchHeadline(
                    "body_text",
                    query,
                    config=config,
                    start_sel=_MATCH_START,
                    stop_sel=_MATCH_END,
                    max_words=30,
                    min_words=12,
                ),
            )
            .select_related("article")
            .only("title", "summary", "article__slug", "article__title", "article__order")
            .order_by("-rank", "article__order")[:20]
        )
        for revision in matches:
            article = revision.article
            article.shown_title, article.shown_summary = revision.title, revision.summary
            article.shown_language = language
            article.snippet_html = _highlight(revision.snippet)
            results.append(article)
    return render(
        request, "education/article_search.html", {"query": query_text, "results": results}
    )


def _sort_key(word):
    """Alphabetical order that puts "Ácido" among the A's."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _highlight(snippet):
    escaped = escape(snippet)
    return mark_safe(escaped.replace(_MATCH_START, "<mark>").replace(_MATCH_END, "</mark>"))


@cache_for_readers
def glossary(request):
    terms = sorted(glossary_in(translation.get_language()), key=lambda term: _sort_key(term.term))
    return render(request, "education/glossary.html", {"terms": terms})
