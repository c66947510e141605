"""What readers and staff see of drafts, sign-offs, pictures and links."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from education import page_cache
from education.models import Article, ArticleFigure
from tests.conftest import login_staff
from tests.education.factories import edit_draft, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_readers_keep_the_live_text_while_a_draft_is_open(client):
    article = make_article(body="Live words.")
    edit_draft(article, body="Draft words.")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Live words." in content and "Draft words." not in content
    assert "preview" not in content.lower()


def test_an_editor_previews_the_draft_exactly_as_it_will_look(editor_client):
    article = make_article(title="Live title", body="Live words.")
    draft = edit_draft(article, title="Draft title", body="Draft words.")
    response = editor_client.get(draft.get_preview_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    content = response.content.decode()
    assert "<strong>Draft preview.</strong> This is revision 2 exactly as it will look." in content
    assert "Readers still see the published version" in content
    assert "<h1>Draft title</h1>" in content and "Draft words." in content
    assert "Live words." not in content


def test_previews_are_hidden_from_readers(client):
    draft = edit_draft(make_article(), body="Draft words.")
    assert client.get(draft.get_preview_url()).status_code == 404
    assert client.get("/learn/no-such-article/preview/1/").status_code == 404


def test_a_picture_is_shown_where_its_marker_is_with_its_words(client):
    article = make_article(body="Before.\n\n[[figure:slow-taper]]\n\nAfter.\n")
    ArticleFigure.for_diagram(article.live_revision, "slow-taper").save()
    content = client.get(article.get_absolute_url()).content.decode()
    before, figure, after = (
        content.index("Before."),
        content.index('<figure class="article-figure" id="figure-slow-taper">'),
        content.index("After."),
    )
    assert before < figure < after
    assert 'src="/static/img/diagrams/slow-taper.svg"' in content
    assert 'alt="A chart over 16 weeks.' in content
    assert 'aria-describedby="figure-slow-taper-words"' in content
    assert "<figcaption>A slow taper: the dose goes down a little at a time" in content
    assert "<summary>The picture in words</summary>" in content
    assert "[[figure:" not in content


def test_an_uploaded_picture_is_served_with_a_srcset_and_cached_for_good(client):
    article = make_article(body="Text.\n\n[[figure:photo]]\n")
    out = io.BytesIO()
    Image.new("RGB", (1200, 600), (10, 120, 200)).save(out, format="JPEG")
    figure = ArticleFigure(
        revision=article.live_revision,
        key="photo",
        image=SimpleUploadedFile("photo.jpg", out.getvalue()),
        alt_text="A photo.",
        caption="A caption.",
    )
    figure.save()
    content = client.get(article.get_absolute_url()).content.decode()
    small = figure.renditions["480"]
    assert f'srcset="/learn/media/{small} 480w, /learn/media/{figure.renditions["960"]} 960w, ' in (
        content
    )
    assert 'width="1200" height="600"' in content
    served = client.get(f"/learn/media/{small}")
    assert served.status_code == 200
    assert served["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served["Content-Type"] == "image/webp"
    assert Image.open(io.BytesIO(b"".join(served.streaming_content))).size == (480, 240)


@pytest.mark.parametrize(
    "path", ["/learn/media/figures/none.webp", "/learn/media/other/x.webp", "/learn/media/../x"]
)
def test_the_picture_view_serves_only_stored_pictures(client, path):
    assert client.get(path).status_code == 404


def test_a_link_to_an_article_readers_cannot_open_shows_as_plain_words(client):
    target = make_article(slug="target", title="Target")
    article = make_article(
        slug="here",
        body="Read [the other guide](/learn/target/) now. See [tolerance](/learn/glossary/#tolerance).",
    )
    content = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/learn/target/"' in content
    assert '<a href="/learn/glossary/#tolerance"' in content
    Article.objects.filter(pk=target.pk).unpublish()
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Read the other guide now." in content
    assert 'href="/learn/target/"' not in content
    assert '<a href="/learn/glossary/#tolerance"' in content


def test_a_queryset_delete_takes_the_article_off_at_once(client):
    article = make_article(slug="gone")
    make_article(slug="stays")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert b"/learn/gone/" in client.get(reverse("education:index")).content
    Article.objects.filter(slug="gone").delete()
    assert client.get("/learn/gone/").status_code == 404
    assert b"/learn/gone/" not in client.get(reverse("education:index")).content


def test_the_admins_delete_selected_takes_articles_off_at_once(client, editor):
    doomed = [make_article(slug=f"doomed-{n}") for n in range(3)]
    for article in doomed:
        assert client.get(article.get_absolute_url()).status_code == 200
    staff = login_staff(Client(), editor)
    response = staff.post(
        reverse("admin:education_article_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk for a in doomed], "post": "yes"},
    )
    assert response.status_code == 302
    assert [client.get(a.get_absolute_url()).status_code for a in doomed] == [404, 404, 404]


def test_a_bulk_unpublish_takes_articles_off_at_once(client):
    articles = [make_article(slug=f"bulk-{n}") for n in range(3)]
    for article in articles:
        client.get(article.get_absolute_url())
    assert Article.objects.filter(slug__startswith="bulk-").unpublish() == 3
    assert [client.get(a.get_absolute_url()).status_code for a in articles] == [404, 404, 404]


@pytest.mark.usefixtures("empty_site")
def test_changing_related_articles_refreshes_the_page(client):
    article = make_article(slug="main", topic="basics")
    make_article(slug="near", topic="basics")
    other = make_article(slug="other", title="Far away guide", topic="living")
    related = client.get(article.get_absolute_url()).context["related_articles"]
    assert [a.slug for a in related] == ["near"]
    article.related_articles.add(other)
    related = client.get(article.get_absolute_url()).context["related_articles"]
    assert [a.slug for a in related] == ["other"]


def test_each_workers_memory_copy_is_bounded(client, settings):
    settings.EDUCATION_PAGE_CACHE_LOCAL_PAGES = 3
    settings.EDUCATION_PAGE_CACHE_LOCAL_BYTES = 10**9
    for n in range(6):
        client.get(make_article(slug=f"page-{n}").get_absolute_url())
    for n in range(6):
        client.get(f"/learn/page-{n}/")
    assert page_cache.local_usage()[0] == 3

    settings.EDUCATION_PAGE_CACHE_LOCAL_PAGES = 500
    page_size = len(client.get("/learn/page-0/").content)
    settings.EDUCATION_PAGE_CACHE_LOCAL_BYTES = int(page_size * 2.5)
    page_cache.forget_local()
    for n in range(6):
        client.get(f"/learn/page-{n}/")
    pages, size = page_cache.local_usage()
    assert pages == 2 and size <= page_size * 2.5
