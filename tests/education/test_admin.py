import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from education.models import Article, ArticleFigure, ArticleRevision
from tests.conftest import login_staff
from tests.education.factories import edit_draft, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinician_client(clinician):
    return login_staff(Client(), clinician)


@pytest.fixture
def reader():
    """An anonymous reader, apart from the signed-in staff's client."""
    return Client()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def revision_form_data(revision, figures=(), **changes):
    data = {
        "title": revision.title,
        "summary": revision.summary,
        "body": revision.body,
        "figures-TOTAL_FORMS": str(len(figures)),
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
        **changes,
    }
    for index, figure in enumerate(figures):
        data.update({f"figures-{index}-{name}": value for name, value in figure.items()})
    return data


def png_upload(width=2400, height=1200, name="chart.png"):
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


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


def test_editing_a_live_article_opens_a_draft_and_leaves_the_live_text_alone(
    editor_client, editor, reader
):
    article = make_article(title="Old title", body="Old words here.")
    response = editor_client.post(reverse("admin:education_article_start_draft", args=[article.pk]))
    draft = article.revisions.get(status="draft")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:education_articlerevision_change", args=[draft.pk]
    )
    assert (draft.number, draft.created_by, draft.body) == (2, editor, "Old words here.")

    url = reverse("admin:education_articlerevision_change", args=[draft.pk])
    saved = editor_client.post(
        url, revision_form_data(draft, title="New title", body="New words here.")
    )
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    draft.refresh_from_db()
    article.refresh_from_db()
    assert (draft.title, draft.body) == ("New title", "New words here.")
    assert (article.title, article.body, article.live_revision.number) == (
        "Old title",
        "Old words here.",
        1,
    )
    public = reader.get(article.get_absolute_url()).content.decode()
    assert "Old words here." in public and "New words here." not in public


def test_starting_a_draft_twice_reuses_the_open_one(editor_client):
    article = make_article()
    url = reverse("admin:education_article_start_draft", args=[article.pk])
    editor_client.post(url)
    editor_client.post(url)
    assert article.revisions.filter(status="draft").count() == 1


def test_start_draft_refuses_a_get_and_a_clinician(editor_client, clinician_client):
    article = make_article()
    url = reverse("admin:education_article_start_draft", args=[article.pk])
    assert editor_client.get(url).status_code == 403
    assert clinician_client.post(url).status_code == 403
    assert article.revisions.count() == 1


def test_publishing_an_unsigned_draft_is_refused_with_a_reason(editor_client, reader):
    article = make_article(body="Old words.")
    draft = edit_draft(article, body="New words.")
    response = editor_client.post(
        reverse("admin:education_articlerevision_publish", args=[draft.pk]), follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "Not published: A clinician must sign off this text before it is published."
    ]
    article.refresh_from_db()
    assert article.body == "Old words."
    assert b"Old words." in reader.get(article.get_absolute_url()).content


def test_a_clinician_signs_off_and_then_the_editor_publishes(editor_client, clinician, reader):
    article = make_article(body="Old words.")
    draft = edit_draft(article, body="New words.")
    clinician_client = login_staff(Client(), clinician)
    page = clinician_client.get(reverse("admin:education_articlerevision_change", args=[draft.pk]))
    assert page.status_code == 200
    assert b"Sign off this revision" in page.content
    assert b"Publish this revision" not in page.content

    seen = re.search(r'name="fingerprint" value="(\w+)"', page.content.decode()).group(1)
    signed = clinician_client.post(
        reverse("admin:education_articlerevision_sign_off", args=[draft.pk]),
        {"note": "Checked the dose advice.", "fingerprint": seen},
    )
    assert signed.status_code == 302
    draft.refresh_from_db()
    assert (draft.signed_off_by, draft.sign_off_note, draft.is_signed_off) == (
        clinician,
        "Checked the dose advice.",
        True,
    )

    published = editor_client.post(
        reverse("admin:education_articlerevision_publish", args=[draft.pk])
    )
    assert published.status_code == 302
    article.refresh_from_db()
    assert (article.body, article.live_revision, article.review_state) == (
        "New words.",
        draft,
        "ok",
    )
    assert b"New words." in reader.get(article.get_absolute_url()).content


def test_an_editor_cannot_sign_off(editor_client):
    draft = edit_draft(make_article(), body="Changed.")
    response = editor_client.post(
        reverse("admin:education_articlerevision_sign_off", args=[draft.pk])
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.signed_off_at is None


def test_a_clinician_cannot_edit_or_publish(clinician_client):
    article = make_article(body="Old words.")
    draft = edit_draft(article, body="New words.")
    change_url = reverse("admin:education_articlerevision_change", args=[draft.pk])
    clinician_client.post(change_url, revision_form_data(draft, body="Clinician words."))
    publish_url = reverse("admin:education_articlerevision_publish", args=[draft.pk])
    assert clinician_client.post(publish_url).status_code == 403
    draft.refresh_from_db()
    assert (draft.body, draft.status) == ("New words.", "draft")


def test_editing_the_text_after_sign_off_needs_a_new_one(editor_client, clinician):
    article = make_article()
    draft = edit_draft(article, body="Signed words.")
    draft.sign_off(by=clinician)
    url = reverse("admin:education_articlerevision_change", args=[draft.pk])
    editor_client.post(url, revision_form_data(draft, body="Changed after sign-off."))
    draft.refresh_from_db()
    assert (draft.is_signed_off, draft.signed_off_at, draft.signed_off_by) == (False, None, None)


def test_saving_unchanged_text_keeps_the_sign_off(editor_client, clinician):
    draft = edit_draft(make_article(), body="Signed words.")
    draft.sign_off(by=clinician)
    url = reverse("admin:education_articlerevision_change", args=[draft.pk])
    editor_client.post(url, revision_form_data(draft))
    draft.refresh_from_db()
    assert draft.is_signed_off is True


def test_publishing_without_sign_off_when_the_clinic_allows_it(editor_client, settings):
    settings.EDUCATION_PUBLISH_REQUIRES_SIGNOFF = False
    article = make_article(body="Old words.")
    draft = edit_draft(article, body="New words.")
    editor_client.post(reverse("admin:education_articlerevision_publish", args=[draft.pk]))
    article.refresh_from_db()
    assert (article.body, article.review_state) == ("New words.", "never")


def test_published_revisions_are_read_only_and_kept(editor_client):
    article = make_article(body="Live words.")
    live = article.live_revision
    url = reverse("admin:education_articlerevision_change", args=[live.pk])
    editor_client.post(url, revision_form_data(live, body="Sneaky change."))
    delete = editor_client.post(
        reverse("admin:education_articlerevision_delete", args=[live.pk]), {"post": "yes"}
    )
    live.refresh_from_db()
    assert live.body == "Live words."
    assert delete.status_code == 403
    assert ArticleRevision.objects.filter(pk=live.pk).exists()


def test_the_history_shows_a_word_diff_and_no_spurious_changes(editor_client, settings):
    settings.EDUCATION_PUBLISH_REQUIRES_SIGNOFF = False
    article = make_article(
        title="Same title", body="If you take opioids for a long time, pain can change."
    )
    draft = edit_draft(article, body="If you take opioids for many months, pain can change.")
    draft.publish(by=None)
    response = editor_client.get(reverse("admin:education_article_history", args=[article.pk]))
    assert response.status_code == 200
    changes = response.context["changes"]
    assert [change.label for change in changes] == ["Text"]
    assert [(s.kind, s.text) for s in changes[0].segments if s.kind != "same"] == [
        ("removed", "a long time,"),
        ("added", "many months,"),
    ]
    content = response.content.decode()
    assert "<del>a long time,</del><ins>many months,</ins>" in content
    assert "Published at" not in content


def test_the_history_compares_any_two_revisions(editor_client, settings):
    settings.EDUCATION_PUBLISH_REQUIRES_SIGNOFF = False
    article = make_article(body="one")
    edit_draft(article, body="two").publish(by=None)
    edit_draft(article, body="three").publish(by=None)
    response = editor_client.get(
        reverse("admin:education_article_history", args=[article.pk]), {"from": 1, "to": 3}
    )
    segments = response.context["changes"][0].segments
    assert [(s.kind, s.text) for s in segments] == [("removed", "one"), ("added", "three")]


def test_an_earlier_revision_is_restored_as_a_draft(editor_client, editor, settings):
    settings.EDUCATION_PUBLISH_REQUIRES_SIGNOFF = False
    article = make_article(body="First words.")
    edit_draft(article, body="Second words.").publish(by=None)
    first = article.revisions.get(number=1)
    response = editor_client.post(
        reverse("admin:education_articlerevision_restore", args=[first.pk])
    )
    draft = article.revisions.get(status="draft")
    assert response["Location"] == reverse(
        "admin:education_articlerevision_change", args=[draft.pk]
    )
    assert (draft.number, draft.body, draft.created_by) == (3, "First words.", editor)
    article.refresh_from_db()
    assert article.body == "Second words."


def test_unpublishing_an_article_others_link_to_asks_first(editor_client):
    target = make_article(slug="target", title="Target")
    linking = make_article(slug="linking", title="Linking", body="See [this](/learn/target/).")
    url = reverse("admin:education_article_changelist")
    ask = editor_client.post(url, {"action": "unpublish", "_selected_action": [target.pk]})
    assert ask.status_code == 200
    assert list(ask.context["linking"][target]) == [linking]
    target.refresh_from_db()
    assert target.is_published is True

    done = editor_client.post(
        url, {"action": "unpublish", "_selected_action": [target.pk], "confirm": "yes"}
    )
    assert done.status_code == 302
    target.refresh_from_db()
    assert target.is_published is False


def test_unpublishing_an_article_nobody_links_to_happens_at_once(editor_client, reader):
    alone = make_article(slug="alone")
    assert reader.get(alone.get_absolute_url()).status_code == 200
    editor_client.post(
        reverse("admin:education_article_changelist"),
        {"action": "unpublish", "_selected_action": [alone.pk]},
    )
    assert reader.get(alone.get_absolute_url()).status_code == 404


def test_putting_back_an_unsigned_article_is_refused(editor_client):
    article = make_article()
    article.unpublish()
    editor_client.post(
        reverse("admin:education_article_changelist"),
        {"action": "put_back_on_site", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.is_published is False


def test_adding_an_article_starts_its_first_draft(editor_client, editor):
    response = editor_client.post(
        reverse("admin:education_article_add"),
        {
            "title": "Sleep and pain",
            "slug": "sleep-and-pain",
            "summary": "How sleep and pain go together.",
            "body": "Sleep helps.",
            "topic": "living",
            "order": "10",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
        },
    )
    article = Article.objects.get(slug="sleep-and-pain")
    draft = article.revisions.get()
    assert response["Location"] == reverse(
        "admin:education_articlerevision_change", args=[draft.pk]
    )
    assert (article.is_published, draft.number, draft.body, draft.created_by) == (
        False,
        1,
        "Sleep helps.",
        editor,
    )


@pytest.mark.usefixtures("empty_site")
def test_an_uploaded_picture_is_resized_and_stored(editor_client):
    draft = edit_draft(make_article())
    figure = {
        "key": "chart",
        "diagram": "",
        "image": png_upload(),
        "alt_text": "A chart.",
        "caption": "The chart.",
        "long_description": "",
        "order": "0",
    }
    url = reverse("admin:education_articlerevision_change", args=[draft.pk])
    response = editor_client.post(url, revision_form_data(draft, figures=[figure]))
    assert response.status_code == 302
    stored = ArticleFigure.objects.get()
    assert (stored.image_width, stored.image_height) == (1600, 800)
    assert stored.image.name.startswith("figures/") and stored.image.name.endswith(".webp")
    assert sorted(stored.renditions, key=int) == ["480", "960", "1600"]
    with stored.image.open() as saved:
        assert Image.open(saved).format == "WEBP"


@pytest.mark.usefixtures("empty_site")
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
            "SVG files cannot be uploaded",
        ),
        (
            SimpleUploadedFile("x.png", b"<?xml version='1.0'?><svg></svg>"),
            "SVG files cannot be uploaded",
        ),
        (SimpleUploadedFile("x.png", b"not a picture at all"), "not a picture we can read"),
        (SimpleUploadedFile("x.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "not a picture"),
    ],
)
def test_an_svg_or_broken_upload_is_refused_at_the_field(editor_client, upload, message):
    draft = edit_draft(make_article())
    figure = {
        "key": "chart",
        "diagram": "",
        "image": upload,
        "alt_text": "A chart.",
        "caption": "The chart.",
        "order": "0",
    }
    url = reverse("admin:education_articlerevision_change", args=[draft.pk])
    response = editor_client.post(url, revision_form_data(draft, figures=[figure]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert message in errors["image"][0]
    assert ArticleFigure.objects.count() == 0


@pytest.mark.usefixtures("empty_site")
def test_a_figure_needs_alt_text_and_a_caption(editor_client):
    draft = edit_draft(make_article())
    figure = {"key": "taper", "diagram": "slow-taper", "alt_text": "", "caption": "", "order": "0"}
    url = reverse("admin:education_articlerevision_change", args=[draft.pk])
    response = editor_client.post(url, revision_form_data(draft, figures=[figure]))
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert sorted(errors) == ["alt_text", "caption"]
    assert ArticleFigure.objects.count() == 0


def test_changing_a_pictures_words_after_sign_off_needs_a_new_one(editor_client, clinician):
    draft = edit_draft(make_article())
    ArticleFigure.for_diagram(draft, "slow-taper").save()
    draft.sign_off(by=clinician)
    figure = draft.figures.get()
    url = reverse("admin:education_articlerevision_change", args=[draft.pk])
    data = revision_form_data(draft)
    data.update(
        {
            "figures-TOTAL_FORMS": "1",
            "figures-INITIAL_FORMS": "1",
            "figures-0-id": str(figure.pk),
            "figures-0-revision": str(draft.pk),
            "figures-0-key": figure.key,
            "figures-0-diagram": figure.diagram,
            "figures-0-alt_text": "New alt text.",
            "figures-0-caption": figure.caption,
            "figures-0-long_description": figure.long_description,
            "figures-0-order": "0",
        }
    )
    assert editor_client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert (draft.is_signed_off, draft.signed_off_at) == (False, None)


def test_list_shows_reading_grade_and_review_state(editor_client, clinician):
    make_article(
        slug="hard",
        body=(
            "Pharmacological neuroadaptation precipitates paradoxical "
            "hyperalgesic sensitisation notwithstanding heterogeneity."
        ),
    )
    response = editor_client.get(reverse("admin:education_article_changelist"))
    assert b"above grade 8" in response.content
    assert b'<strong class="review-due">Never checked</strong>' in response.content


def test_live_reading_grade_endpoint(editor_client):
    for name in ("article", "articlerevision"):
        url = reverse(f"admin:education_{name}_reading_grade")
        response = editor_client.post(url, {"body": "The cat sat on the mat."})
        assert response.status_code == 200
        assert response.json() == {
            "grade": response.json()["grade"],
            "limit": 8.0,
            "above_limit": False,
        }
        assert response.json()["grade"] < 3


def test_live_reading_grade_refuses_users_without_edit_rights(clinician_client):
    url = reverse("admin:education_article_reading_grade")
    assert clinician_client.post(url, {"body": "x"}).status_code == 403


@pytest.mark.usefixtures("empty_site")
def test_review_due_filter_lists_articles_due_for_clinical_review(editor_client, clinician):
    due = make_article(slug="due", title="Due one")
    later = make_article(slug="later", title="Later one")
    later.live_revision.sign_off(by=clinician)
    response = editor_client.get(reverse("admin:education_article_changelist"), {"review": "due"})
    assert [a.slug for a in response.context["cl"].result_list] == [due.slug]


def test_article_changelist_query_count_is_fixed(editor_client, django_assert_max_num_queries):
    for n in range(20):
        make_article(slug=f"a{n}")
    with django_assert_max_num_queries(12):
        editor_client.get(reverse("admin:education_article_changelist"))


def test_revision_changelist_query_count_is_fixed(editor_client, django_assert_max_num_queries):
    for n in range(20):
        edit_draft(make_article(slug=f"a{n}"), body=f"Draft {n}.")
    with django_assert_max_num_queries(12):
        response = editor_client.get(
            reverse("admin:education_articlerevision_changelist"), {"sign_off": "waiting"}
        )
    assert len(response.context["cl"].result_list) == 20


def test_deleting_an_article_others_link_to_warns_first(editor_client):
    target = make_article(slug="target", title="Target")
    linking = make_article(slug="linking", title="Linking", body="See [this](/learn/target/).")
    response = editor_client.get(reverse("admin:education_article_delete", args=[target.pk]))
    assert response.status_code == 200
    assert response.context["linking"] == [linking]
    assert b"Other articles on the site link to this one." in response.content
