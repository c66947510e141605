import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from education.diffs import word_diff
from education.markup import render_markdown
from education.models import REVIEW_INTERVAL, Article, ArticleFigure
from education.readability import plain_text, reading_grade
from tests.education.factories import edit_draft, make_article

pytestmark = pytest.mark.django_db


def test_markdown_is_rendered_once_on_save_and_sanitised():
    article = make_article(
        body="## Hi\n\nSome **bold** text.\n\n<script>alert(1)</script>\n\n"
        "[bad](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    assert "<h2>Hi</h2>" in article.body_html
    assert "<strong>bold</strong>" in article.body_html
    assert "<script" not in article.body_html
    assert "javascript:" not in article.body_html
    assert "onerror" not in article.body_html
    assert "<img" not in article.body_html


def test_links_are_kept_with_safe_rel():
    html = render_markdown("[tolerance](/learn/glossary/#tolerance)")
    assert html == (
        '<p><a href="/learn/glossary/#tolerance" rel="noopener noreferrer">tolerance</a></p>'
    )


def test_plain_text_strips_markup_and_link_targets():
    assert plain_text("## Title\n\nRead [this](/learn/x/) **now**.\n\n- one\n- two") == (
        "Title. Read this now. one. two."
    )


@pytest.mark.parametrize(
    ("text", "expected_max"),
    [
        ("The cat sat on the mat. It was a good cat.", 2.0),
        (
            "Pharmacological neuroadaptation precipitates paradoxical hyperalgesic sensitisation "
            "mechanisms notwithstanding considerable interindividual heterogeneity.",
            99.0,
        ),
    ],
)
def test_reading_grade_is_measured_on_plain_text(text, expected_max):
    assert reading_grade(text) <= expected_max


def test_long_words_raise_the_grade_above_the_patient_limit():
    hard = (
        "Pharmacological neuroadaptation precipitates paradoxical hyperalgesic sensitisation "
        "mechanisms notwithstanding considerable interindividual heterogeneity."
    )
    article = make_article(body=hard)
    assert article.reading_grade > 8
    assert article.is_above_grade_limit is True


def test_it_detects_text_about_changing_a_dose():
    assert make_article(body="Never change your dose alone.").mentions_dose_change is True
    assert make_article(body="A slow taper helps.").mentions_dose_change is True
    assert make_article(body="Sleep and movement help.").mentions_dose_change is False


def test_publishing_sets_the_published_date_once_in_whole_seconds(settings):
    settings.EDUCATION_PUBLISH_REQUIRES_SIGNOFF = False
    article = make_article(status=Article.Status.DRAFT)
    assert article.published_at is None
    article.draft.publish(by=None)
    article.refresh_from_db()
    first = article.published_at
    assert first is not None and first.microsecond == 0
    Article.objects.filter(pk=article.pk).unpublish()
    article.refresh_from_db()
    article.put_back_on_site(by=None)
    assert article.published_at == first


@pytest.mark.usefixtures("empty_site")
def test_published_excludes_drafts_and_future_articles():
    live = make_article(slug="live")
    make_article(slug="draft", status=Article.Status.DRAFT)
    make_article(slug="future", published_at=timezone.now() + datetime.timedelta(days=1))
    assert list(Article.objects.published()) == [live]


@pytest.mark.usefixtures("empty_site")
def test_due_for_review_includes_overdue_and_never_checked(clinician):
    overdue = make_article(slug="overdue")
    never = make_article(slug="never")
    later = make_article(slug="later")
    later.live_revision.sign_off(by=clinician)
    Article.objects.filter(pk=overdue.pk).update(next_review_due=datetime.date(2026, 5, 1))
    today = datetime.date(2026, 6, 1)
    assert set(Article.objects.due_for_review(on=today)) == {overdue, never}
    later.refresh_from_db()
    assert later.next_review_due == timezone.localdate() + REVIEW_INTERVAL
    assert later.review_state == "ok"


def test_a_draft_starts_as_a_copy_of_the_live_text_with_its_pictures(editor):
    article = make_article(title="Live", body="Live text.\n\n[[figure:slow-taper]]\n")
    ArticleFigure.for_diagram(article.live_revision, "slow-taper").save()
    draft = article.start_draft(by=editor)
    assert (draft.number, draft.status, draft.title, draft.body, draft.created_by) == (
        2,
        "draft",
        "Live",
        "Live text.\n\n[[figure:slow-taper]]\n",
        editor,
    )
    assert [f.diagram for f in draft.figures.all()] == ["slow-taper"]
    assert article.start_draft(by=editor) == draft


def test_a_sign_off_holds_only_while_the_text_is_what_the_clinician_saw(clinician):
    draft = edit_draft(make_article(), body="Checked words.")
    draft.sign_off(by=clinician)
    assert draft.is_signed_off is True
    draft.body = "Checked words, then changed."
    draft.save()
    assert draft.is_signed_off is False
    draft.body = "Checked words."
    assert draft.is_signed_off is True


def test_only_a_clinician_may_sign_off(editor):
    draft = edit_draft(make_article(), body="Words.")
    with pytest.raises(PermissionDenied):
        draft.sign_off(by=editor)
    assert draft.signed_off_at is None


def test_publishing_needs_a_sign_off_by_default(clinician):
    article = make_article(body="Old.")
    draft = edit_draft(article, body="New.")
    with pytest.raises(ValidationError) as refused:
        draft.publish(by=None)
    assert [e.code for e in refused.value.error_list] == ["needs_sign_off"]
    draft.sign_off(by=clinician)
    draft.publish(by=None)
    article.refresh_from_db()
    assert (article.body, article.live_revision) == ("New.", draft)


def test_publishing_refuses_links_to_articles_readers_cannot_open(settings):
    settings.EDUCATION_PUBLISH_REQUIRES_SIGNOFF = False
    make_article(slug="hidden", status=Article.Status.DRAFT)
    make_article(slug="shown")
    draft = edit_draft(
        make_article(slug="here"),
        body="[a](/learn/hidden/) [b](/learn/shown/#x) [c](/learn/glossary/#oih) [d](/learn/nope/)",
    )
    with pytest.raises(ValidationError) as refused:
        draft.publish(by=None)
    assert refused.value.messages == [
        "The text links to articles that are not on the site: hidden, nope."
    ]


def test_linked_from_finds_text_links_and_related_articles():
    target = make_article(slug="target")
    by_text = make_article(slug="by-text", body="See [it](/learn/target/#part).")
    by_related = make_article(slug="by-related")
    by_related.related_articles.add(target)
    make_article(slug="unrelated", body="See [it](/learn/target-two/).")
    assert set(target.linked_from()) == {by_text, by_related}


def test_every_published_revision_is_kept(settings):
    settings.EDUCATION_PUBLISH_REQUIRES_SIGNOFF = False
    article = make_article(title="First title")
    edit_draft(article, title="Second title").publish(by=None)
    edit_draft(article, title="Third title")
    assert list(article.revisions.order_by("number").values_list("title", "status")) == [
        ("First title", "published"),
        ("Second title", "published"),
        ("Third title", "draft"),
    ]


def test_the_reading_grade_ignores_picture_markers():
    with_marker = make_article(body="The cat sat on the mat.\n\n[[figure:slow-taper]]\n")
    without = make_article(body="The cat sat on the mat.\n")
    assert with_marker.reading_grade == without.reading_grade
    assert "figure" not in with_marker.body_text


def test_a_word_diff_marks_only_the_words_that_changed():
    segments = word_diff("Pain can get worse over time.", "Pain can get better over time.")
    assert [(s.kind, s.text) for s in segments] == [
        ("same", "Pain can get "),
        ("removed", "worse"),
        ("added", "better"),
        ("same", " over time."),
    ]


def test_a_word_diff_shortens_long_unchanged_stretches():
    words = " ".join(f"w{n}" for n in range(100))
    segments = word_diff(words + " old", words + " new")
    assert [s.kind for s in segments] == ["skipped", "same", "removed", "added"]
    assert segments[0].text == " … 88 unchanged words … "


def test_line_ends_from_a_browser_are_kept_as_one_kind():
    draft = edit_draft(make_article(body="One.\n\nTwo.\n"), body="One.\r\n\r\nTwo.\r\n")
    assert draft.body == "One.\n\nTwo.\n"
    assert draft.changes_since(draft.article.live_revision) == []


def test_space_at_the_ends_of_the_text_is_no_change():
    draft = edit_draft(make_article(body="One.\n\nTwo.\n"), body="One.\n\nTwo.")
    assert draft.changes_since(draft.article.live_revision) == []
