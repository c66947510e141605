"""Markdown to safe HTML, done once when an article is saved."""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "br",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def render_markdown(text):
    """Render an editor's Markdown to HTML that can never carry script or style."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


# A picture's place in the rendered text: [[figure:key]] on a line of its own.
FIGURE_PLACE = re.compile(r"<p>\[\[figure:([a-z0-9_-]+)\]\]</p>")
_ARTICLE_ANCHOR = re.compile(r'<a href="/learn/([a-z0-9-]+)/[^"]*"[^>]*>(.*?)</a>', re.DOTALL)


def place_figures(body_html, figure_html_by_key):
    """Put each picture where its marker is; pictures without one follow the text."""
    placed = set()

    def replace(match):
        key = match.group(1)
        if key in figure_html_by_key:
            placed.add(key)
            return figure_html_by_key[key]
        return ""

    html = FIGURE_PLACE.sub(replace, body_html)
    rest = [figure for key, figure in figure_html_by_key.items() if key not in placed]
    return html + "".join(rest)


# Pages under /learn/ that are not articles, and so always there.
NOT_ARTICLES = frozenset({"glossary", "search", "media"})


def unlink_articles_not_in(body_html, readable_slugs, other_pages=NOT_ARTICLES):
    """Keep the words of a link to an article readers cannot open, but not the link."""

    def replace(match):
        slug = match.group(1)
        if slug in readable_slugs or slug in other_pages:
            return match.group(0)
        return match.group(2)

    return _ARTICLE_ANCHOR.sub(replace, body_html)
