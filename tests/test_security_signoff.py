"""A clinician's sign-off covers exactly what they saw (issue 23, finding 4).

The sign-off form carries a fingerprint of the text, pictures and sources as the page
showed them; if the editor changed any of them since, the sign-off is refused. A source
changed after a sign-off undoes it, and an old revision restored as a draft comes back
without its old sign-off.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from education.models import ArticleSource
from tests.education.factories import edit_draft, make_article
from tests.helpers import login_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinician_client(clinician):
    return login_staff(Client(), clinician)


def _open_for_sign_off(clinician_client, draft):
    page = clinician_client.get(reverse("admin:education_articlerevision_change", args=[draft.pk]))
    assert page.status_code == 200
    return re.search(r'name="fingerprint" value="([0-9a-f]{64})"', page.content.decode()).group(1)


def _sign_off(clinician_client, draft, fingerprint):
    return clinician_client.post(
        reverse("admin:education_articlerevision_sign_off", args=[draft.pk]),
        {"note": "Checked.", "fingerprint": fingerprint},
    )


def test_text_changed_after_the_page_was_opened_is_not_signed_off(clinician_client):
    draft = edit_draft(make_article(), body="Keep your dose as it is.")
    seen = _open_for_sign_off(clinician_client, draft)
    draft.body = "Double your dose if the pain gets worse."
    draft.save()
    response = _sign_off(clinician_client, draft, seen)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.signed_off_at, draft.is_signed_off) == (None, False)
    followed = clinician_client.get(response["Location"])
    assert "changed since you opened it" in followed.content.decode()


def test_a_sign_off_without_the_pages_fingerprint_is_refused(clinician_client):
    draft = edit_draft(make_article(), body="Keep your dose as it is.")
    _sign_off(clinician_client, draft, "")
    draft.refresh_from_db()
    assert draft.signed_off_at is None


def test_the_text_as_seen_is_signed_off(clinician_client, clinician):
    draft = edit_draft(make_article(), body="Keep your dose as it is.")
    seen = _open_for_sign_off(clinician_client, draft)
    assert _sign_off(clinician_client, draft, seen).status_code == 302
    draft.refresh_from_db()
    assert (draft.signed_off_by, draft.is_signed_off, draft.signed_off_fingerprint) == (
        clinician,
        True,
        seen,
    )


def test_a_source_changed_after_the_sign_off_undoes_it(clinician_client):
    article = make_article()
    source = ArticleSource.objects.create(article=article, title="CDC", url="https://cdc.gov/")
    draft = edit_draft(article, body="Keep your dose as it is.")
    _sign_off(clinician_client, draft, _open_for_sign_off(clinician_client, draft))
    draft.refresh_from_db()
    assert draft.is_signed_off
    source.url = "https://example.net/double-your-dose"
    source.save()
    draft.refresh_from_db()
    assert draft.is_signed_off is False


def test_a_source_changed_after_the_page_was_opened_is_not_signed_off(clinician_client):
    article = make_article()
    draft = edit_draft(article, body="Keep your dose as it is.")
    seen = _open_for_sign_off(clinician_client, draft)
    ArticleSource.objects.create(article=article, title="Blog", url="https://example.net/")
    _sign_off(clinician_client, draft, seen)
    draft.refresh_from_db()
    assert draft.signed_off_at is None


def test_a_restored_revision_needs_a_new_sign_off(clinician_client, editor, clinician):
    article = make_article(body="First words.")
    first = article.revisions.get(number=1)
    first.sign_off(by=clinician)
    second = edit_draft(article, body="Second words.")
    second.sign_off(by=clinician)
    second.publish(by=editor)
    restored = first.restore_as_draft(by=editor)
    assert (restored.body, restored.signed_off_at, restored.is_signed_off) == (
        "First words.",
        None,
        False,
    )
