"""Editors ask the clinicians for a sign-off, see revisions labelled per language and the
hardest sentences of a draft (issue 24)."""

import pytest
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from education.readability import hardest_sentences
from tests.helpers import login_staff, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(content, editor):
    from education.models import Article

    article = Article.objects.get(slug="what-is-oih")
    return article.start_draft(by=editor)


def test_an_editor_requests_a_sign_off_and_the_clinicians_get_an_email(
    client, editor, draft, settings, empty_job_queue
):
    settings.SITE_URL = "https://clinic.example.org"
    make_staff("doc", "Clinicians", email="doc@clinic.example.org")
    make_staff("nurse", "Clinicians", email="")
    login_staff(client, editor)
    change = reverse("admin:education_articlerevision_change", args=[draft.pk])
    assert "Request sign-off" in client.get(change).content.decode()
    response = client.post(
        reverse("admin:education_articlerevision_request_sign_off", args=[draft.pk])
    )
    assert response.status_code == 302
    job = ProcrastinateJob.objects.get(task_name="send_email")
    assert job.args["to"] == ["doc@clinic.example.org"]
    assert job.args["subject"] == f"Sign-off requested: {draft.article}"
    assert f"https://clinic.example.org{change}" in job.args["body"]
    assert "English revision" in job.args["body"]


def test_a_sign_off_request_needs_a_post_and_an_editor(client, draft, clinician):
    url = reverse("admin:education_articlerevision_request_sign_off", args=[draft.pk])
    login_staff(client, make_staff("stranger"))
    assert client.post(url).status_code in (302, 403)
    assert not ProcrastinateJob.objects.filter(task_name="send_email").exists()


def test_the_hardest_sentence_is_shown_first():
    text = (
        "Pain can change. Talk to your doctor. "
        "Pharmacological neuroadaptation precipitates paradoxical hyperalgesic "
        "sensitisation notwithstanding escalating opioid administration regimens. "
        "Walk a little each day."
    )
    [(hardest, grade), *_] = hardest_sentences(text)
    assert hardest.startswith("Pharmacological neuroadaptation")
    assert grade > 20


def test_the_revision_page_shows_the_hardest_sentences(editor_client, draft):
    page = editor_client.get(
        reverse("admin:education_articlerevision_change", args=[draft.pk])
    ).content.decode()
    assert "Hardest sentences (highest grade)" in page
    assert f"English revision {draft.language_number}: draft" in page


def test_the_live_spanish_revision_is_live_in_the_history(editor_client, content):
    from education.models import Article

    article = Article.objects.get(slug="what-is-oih")
    page = editor_client.get(
        reverse("admin:education_article_history", args=[article.pk])
    ).content.decode()
    assert "Spanish revision 1:" in page
    assert "English revision 1:" in page
    assert page.count("<td>Live</td>") == 2


def test_the_article_page_names_the_live_spanish_revision_by_its_own_number(editor_client, content):
    from education.models import Article

    article = Article.objects.get(slug="what-is-oih")
    page = editor_client.get(
        reverse("admin:education_article_change", args=[article.pk])
    ).content.decode()
    # Stored numbers run across the languages (the Spanish one is 2 here); editors read the
    # Spanish text's own count, as the history does.
    assert article.live_spanish_revision.number == 2
    assert "Spanish readers see Spanish revision 1." in page
