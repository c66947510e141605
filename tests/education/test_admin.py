import pytest
from django.urls import reverse

from education.models import Article
from tests.conftest import login_staff
from tests.education.factories import make_article

pytestmark = pytest.mark.django_db


def test_editor_sees_only_education_in_the_admin(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 200
    app_labels = [app["app_label"] for app in response.context["app_list"]]
    assert app_labels == ["education"]


@pytest.mark.parametrize(
    "url_name", ["admin:accounts_user_changelist", "admin:auth_group_changelist"]
)
def test_editor_cannot_reach_users_or_groups(editor_client, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 403


def test_editor_edits_an_article_and_history_records_who(editor_client, editor):
    article = make_article(title="Old title")
    url = reverse("admin:education_article_change", args=[article.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "title": "New title",
            "related_articles": [],
            "last_reviewed_on": "",
            "next_review_due": "",
            "published_at_0": "2026-01-01",
            "published_at_1": "10:00:00",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "New title"
    latest = article.history.latest()
    assert latest.history_user == editor
    history_page = editor_client.get(reverse("admin:education_article_history", args=[article.pk]))
    assert history_page.status_code == 200
    assert b"New title" in history_page.content


def test_list_shows_reading_grade_with_a_warning_above_8(editor_client):
    make_article(
        slug="hard",
        body=(
            "Pharmacological neuroadaptation precipitates paradoxical "
            "hyperalgesic sensitisation notwithstanding heterogeneity."
        ),
    )
    response = editor_client.get(reverse("admin:education_article_changelist"))
    assert b"above grade 8" in response.content


def test_live_reading_grade_endpoint(editor_client):
    url = reverse("admin:education_article_reading_grade")
    response = editor_client.post(url, {"body": "The cat sat on the mat."})
    assert response.status_code == 200
    assert response.json() == {
        "grade": response.json()["grade"],
        "limit": 8.0,
        "above_limit": False,
    }
    assert response.json()["grade"] < 3


def test_live_reading_grade_refuses_users_without_edit_rights(client, clinician):
    login_staff(client, clinician)
    url = reverse("admin:education_article_reading_grade")
    assert client.post(url, {"body": "x"}).status_code == 403


def test_publish_action_publishes_drafts(editor_client):
    draft = make_article(slug="d", status=Article.Status.DRAFT)
    response = editor_client.post(
        reverse("admin:education_article_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at is not None


def test_review_due_filter_lists_articles_due_for_clinical_review(editor_client):
    make_article(slug="due", title="Due one", next_review_due="2020-01-01")
    make_article(slug="later", title="Later one", next_review_due="2099-01-01")
    response = editor_client.get(reverse("admin:education_article_changelist"), {"review": "due"})
    assert [a.slug for a in response.context["cl"].result_list] == ["due"]


def test_article_changelist_query_count_is_fixed(editor_client, django_assert_max_num_queries):
    for n in range(20):
        make_article(slug=f"a{n}")
    with django_assert_max_num_queries(12):
        editor_client.get(reverse("admin:education_article_changelist"))
