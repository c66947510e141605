import datetime

import pytest
from django.utils import timezone

from education.markup import render_markdown
from education.models import Article
from education.readability import plain_text, reading_grade
from tests.education.factories import make_article

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


def test_publishing_sets_the_published_date_once():
    article = make_article(status=Article.Status.DRAFT)
    assert article.published_at is None
    article.publish()
    first = article.published_at
    assert first is not None
    article.unpublish()
    article.publish()
    assert article.published_at == first


def test_published_excludes_drafts_and_future_articles():
    live = make_article(slug="live")
    make_article(slug="draft", status=Article.Status.DRAFT)
    make_article(slug="future", published_at=timezone.now() + datetime.timedelta(days=1))
    assert list(Article.objects.published()) == [live]


def test_due_for_review_includes_overdue_and_unset_dates():
    today = datetime.date(2026, 6, 1)
    overdue = make_article(slug="overdue", next_review_due=datetime.date(2026, 5, 1))
    unset = make_article(slug="unset", next_review_due=None)
    make_article(slug="later", next_review_due=datetime.date(2027, 1, 1))
    assert set(Article.objects.due_for_review(on=today)) == {overdue, unset}


def test_every_edit_is_kept_in_history():
    article = make_article(title="First title")
    article.title = "Second title"
    article.save()
    assert [h.title for h in article.history.order_by("history_date")] == [
        "First title",
        "Second title",
    ]
