import pytest
from django.urls import reverse

from accounts.roles import CLINICIANS
from education.models import SAFETY_MESSAGE, Article, GlossaryTerm, Topic
from tests.conftest import login_staff, make_staff
from tests.education.factories import edit_draft, make_article

pytestmark = pytest.mark.django_db


def test_home_leads_to_both_halves_under_a_warm_picture(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/learn/"' in response.content
    assert b'href="/intake/"' in response.content
    assert b'src="/static/img/home-sunrise.svg"' in response.content
    assert b'alt="A warm sunrise over green hills' in response.content


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_readyz_answers_when_the_database_does(client):
    response = client.get("/readyz")
    assert response.status_code == 200


@pytest.mark.usefixtures("empty_site")
def test_index_groups_published_articles_by_topic_in_reading_order(client):
    make_article(title="Second basic", slug="b2", topic=Topic.BASICS, order=2)
    make_article(title="First basic", slug="b1", topic=Topic.BASICS, order=1)
    make_article(title="Treat", slug="t1", topic=Topic.TREATMENT, order=3)
    make_article(title="Hidden draft", slug="d1", status=Article.Status.DRAFT)
    response = client.get(reverse("education:index"))
    assert response.status_code == 200
    sections = [(label, [a.slug for a in items]) for label, items in response.context["sections"]]
    assert sections == [("The basics", ["b1", "b2"]), ("Treatment and prevention", ["t1"])]
    assert b"Hidden draft" not in response.content


def test_index_query_count_is_fixed(client, django_assert_num_queries):
    for n in range(5):
        make_article(slug=f"a{n}")
    with django_assert_num_queries(1):
        client.get(reverse("education:index"))


@pytest.mark.usefixtures("empty_site")
def test_article_page_shows_body_sources_and_neighbours(client):
    first = make_article(title="One", slug="one", order=1)
    second = make_article(title="Two", slug="two", order=2)
    make_article(title="Three", slug="three", order=3)
    second.sources.create(title="CDC guideline 2022", url="https://www.cdc.gov/")
    response = client.get(second.get_absolute_url())
    assert response.status_code == 200
    assert response.context["previous_article"] == first
    assert response.context["next_article"].slug == "three"
    content = response.content.decode()
    assert "<h2>Part one</h2>" in content
    assert "CDC guideline 2022" in content
    assert content.count("<h1") == 1


def test_an_unsigned_article_says_nothing_about_clinical_review(client):
    article = make_article(slug="unsigned")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "clinician on" not in content and "Checked by" not in content


def test_a_signed_off_article_names_the_clinician_and_the_date(client):
    ada = make_staff("ada", CLINICIANS, first_name="Ada", last_name="Lovelace")
    article = make_article(slug="signed")
    article.live_revision.sign_off(by=ada)
    signed_on = article.live_revision.signed_off_at
    content = client.get(article.get_absolute_url()).content.decode()
    assert f"Checked by a clinician, Ada Lovelace, on {signed_on:%B} {signed_on.day}, " in content


def test_article_page_query_count_is_fixed(client, django_assert_num_queries):
    article = make_article(slug="x")
    for n in range(4):
        make_article(slug=f"other{n}")
    with django_assert_num_queries(5):
        client.get(article.get_absolute_url())


def test_article_about_dose_changes_carries_the_safety_message(client):
    article = make_article(body="A slow taper, planned with your clinician, can help.")
    response = client.get(article.get_absolute_url())
    assert SAFETY_MESSAGE in response.content.decode()


def test_article_not_about_doses_has_no_safety_message(client):
    article = make_article(body="Sleep well and keep moving.")
    assert SAFETY_MESSAGE not in client.get(article.get_absolute_url()).content.decode()


def test_draft_is_hidden_from_the_public(client):
    draft = make_article(slug="draft", status=Article.Status.DRAFT)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert b"We cannot find that page" in response.content


def test_editor_previews_a_draft_exactly_as_it_will_look(editor_client):
    draft = make_article(slug="draft", title="Coming soon", status=Article.Status.DRAFT)
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert response.context["is_preview"] is True
    assert b"Draft preview." in response.content
    assert b"Coming soon" in response.content


def test_a_clinician_previews_a_draft_to_check_it(client, clinician):
    login_staff(client, clinician)
    draft = make_article(slug="draft", status=Article.Status.DRAFT)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert b"Draft preview." in response.content


@pytest.mark.usefixtures("empty_site")
def test_search_ranks_title_matches_first_and_highlights(client):
    make_article(title="Sleep", slug="sleep", body="Tolerance is mentioned once here.")
    make_article(
        title="Tolerance explained", slug="tol", body="Tolerance means the dose works less."
    )
    make_article(
        title="Draft tolerance", slug="dt", status=Article.Status.DRAFT, body="Tolerance tolerance."
    )
    response = client.get(reverse("education:search"), {"q": "tolerance"})
    assert response.status_code == 200
    results = response.context["results"]
    assert [a.slug for a in results] == ["tol", "sleep"]
    assert "<mark>Tolerance</mark>" in str(results[0].snippet_html)


def test_search_escapes_the_snippet_and_the_query(client):
    make_article(slug="x", body="Pain & <b>tolerance</b> words.")
    response = client.get(reverse("education:search"), {"q": "<script>tolerance"})
    content = response.content.decode()
    assert "<script>tolerance" not in content
    assert "&lt;script&gt;tolerance" in content


def test_search_with_no_match_suggests_what_to_do(client):
    make_article(slug="x")
    response = client.get(reverse("education:search"), {"q": "zebra"})
    assert response.context["results"] == []
    assert b"Nothing matched" in response.content


@pytest.mark.parametrize("query", ["", "   ", "!!!", "a" * 5000, "pain & | ! ( ) :*", "\x00"])
def test_search_never_fails_on_odd_input(client, query):
    make_article(slug="x")
    assert client.get(reverse("education:search"), {"q": query}).status_code == 200


@pytest.mark.usefixtures("empty_site")
def test_glossary_lists_terms_with_anchors(client):
    GlossaryTerm.objects.create(term="Allodynia", slug="allodynia", definition="Touch hurts.")
    response = client.get(reverse("education:glossary"))
    assert response.status_code == 200
    assert b'id="allodynia"' in response.content
    assert b"Touch hurts." in response.content


def test_a_published_article_is_served_from_the_cache(client, django_assert_num_queries):
    article = make_article(slug="cached", title="Cached title")
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url())
    assert b"Cached title" in response.content


def test_publishing_a_revision_refreshes_the_cached_pages(client, settings):
    settings.EDUCATION_PUBLISH_REQUIRES_SIGNOFF = False
    article = make_article(slug="cached", title="Old title")
    client.get(article.get_absolute_url())
    client.get(reverse("education:index"))
    edit_draft(article, title="New title").publish(by=None)
    assert b"New title" in client.get(article.get_absolute_url()).content
    assert b"New title" in client.get(reverse("education:index")).content


def test_staff_never_get_the_cached_page(editor_client):
    article = make_article(slug="cached", title="Visible")
    editor_client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    response = editor_client.get(article.get_absolute_url())
    assert b"Draft preview." in response.content


def test_search_results_are_cached_per_query_and_refreshed_by_edits(
    client, django_assert_num_queries, settings
):
    article = make_article(slug="tol", title="Tolerance explained", body="Tolerance words.")
    client.get(reverse("education:search"), {"q": "tolerance"})
    with django_assert_num_queries(0):
        cached = client.get(reverse("education:search"), {"q": "  TOLERANCE "})
    assert b"Tolerance explained" in cached.content
    other = client.get(reverse("education:search"), {"q": "zebra"})
    assert b"Nothing matched" in other.content
    settings.EDUCATION_PUBLISH_REQUIRES_SIGNOFF = False
    edit_draft(article, title="Tolerance, plainly").publish(by=None)
    assert (
        b"Tolerance, plainly" in client.get(reverse("education:search"), {"q": "tolerance"}).content
    )
