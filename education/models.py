import re

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from education.markup import render_markdown
from education.page_cache import bump_content_version
from education.readability import PATIENT_GRADE_LIMIT, plain_text, reading_grade

# Text that talks about changing a dose must carry the fixed safety message
# (oih-facts section 1). Detected on save so an editor cannot forget it.
DOSE_CHANGE_WORDS = re.compile(
    r"\b(dose|doses|dosage|taper\w*|wean\w*|cut(ting)? down|stop(ping)? (taking|opioids|your))\b",
    re.IGNORECASE,
)
SAFETY_MESSAGE = (
    "Do not stop or change your opioid dose on your own. "
    "Stopping suddenly can be dangerous. Talk to your clinician first."
)


class Topic(models.TextChoices):
    BASICS = "basics", "The basics"
    TELLING_APART = "telling_apart", "Telling it apart"
    TREATMENT = "treatment", "Treatment and prevention"
    LIVING = "living", "Recovery and getting help"


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def due_for_review(self, on=None):
        on = on or timezone.localdate()
        return self.filter(models.Q(next_review_due__lte=on) | models.Q(next_review_due=None))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=400, help_text="One or two plain sentences.")
    body = models.TextField(
        help_text="Markdown. Use ## for sections; the title is the page heading."
    )
    topic = models.CharField(max_length=20, choices=Topic.choices)
    order = models.PositiveSmallIntegerField(default=0, help_text="Reading order across the site.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_reviewed_on = models.DateField("last clinical review", null=True, blank=True)
    reviewed_by = models.CharField(
        "clinical reviewer",
        max_length=200,
        blank=True,
        help_text="Name and role, shown to readers.",
    )
    next_review_due = models.DateField(null=True, blank=True)
    related_articles = models.ManyToManyField("self", blank=True)

    # Derived on save, never edited by hand.
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="")
    reading_grade = models.FloatField(editable=False, default=0.0)
    mentions_dose_change = models.BooleanField(editable=False, default=False)
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("body_text", weight="C", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    history = HistoricalRecords(excluded_fields=["body_html", "body_text", "search_vector"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_gin"),
            models.Index(fields=["status", "published_at"], name="article_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Rendered once here so that page views never parse Markdown.
        self.body_html = render_markdown(self.body)
        self.body_text = plain_text(self.body)
        self.reading_grade = reading_grade(self.body)
        self.mentions_dose_change = bool(DOSE_CHANGE_WORDS.search(self.body))
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)
        bump_content_version()

    def get_absolute_url(self):
        return reverse("education:article", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        bump_content_version()
        return result

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and (self.published_at <= timezone.now())
        )

    @property
    def is_above_grade_limit(self):
        return self.reading_grade > PATIENT_GRADE_LIMIT

    def publish(self):
        self.status = self.Status.PUBLISHED
        self.published_at = self.published_at or timezone.now()
        self.save()

    def unpublish(self):
        self.status = self.Status.DRAFT
        self.save()


class ArticleSource(models.Model):
    """A reference listed at the end of an article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    url = models.URLField(blank=True, max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        bump_content_version()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        bump_content_version()
        return result


class GlossaryTerm(models.Model):
    term = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    definition = models.TextField(help_text="One to three plain sentences.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        bump_content_version()

    def get_absolute_url(self):
        return reverse("education:glossary") + f"#{self.slug}"

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        bump_content_version()
        return result
