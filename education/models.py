import datetime
import hashlib
import re

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from education import images
from education.diagrams import DIAGRAM_CHOICES, DIAGRAMS
from education.diffs import compare_texts
from education.markup import NOT_ARTICLES, render_markdown
from education.readability import (
    PATIENT_GRADE_LIMIT,
    SPANISH_READING_EASE_MINIMUM,
    plain_text,
    reading_grade,
    spanish_reading_ease,
)

# Text that talks about changing a dose must carry the fixed safety message
# (oih-facts section 1). Detected on save so an editor cannot forget it.
DOSE_CHANGE_WORDS = re.compile(
    r"\b(dose|doses|dosage|taper\w*|wean\w*|cut(ting)? down|stop(ping)? (taking|opioids|your))\b",
    re.IGNORECASE,
)
# The same in Spanish (what the shipped Spanish articles say), for Spanish text.
SPANISH_DOSE_CHANGE_WORDS = re.compile(
    r"\b(dosis|reduc\w*|disminu\w*|dej(ar|e|en) de tomar|dejarlos|suspend\w*)\b",
    re.IGNORECASE,
)
# Plain English here (the articles' own text must carry it word for word); pages show it
# in their language with gettext(SAFETY_MESSAGE).
SAFETY_MESSAGE = gettext_noop(
    "Do not stop or change your opioid dose on your own. "
    "Stopping suddenly can be dangerous. Talk to your clinician first."
)
# A clinician checks each live article again this long after signing it off.
REVIEW_INTERVAL = datetime.timedelta(days=365)
REVIEW_SOON = datetime.timedelta(days=30)
# Links from one article to another, as rendered: href="/learn/<slug>/...".
ARTICLE_LINK = re.compile(r'href="/learn/([a-z0-9-]+)/')


def linked_article_slugs(body_html):
    return {slug for slug in ARTICLE_LINK.findall(body_html) if slug not in NOT_ARTICLES}


class Language(models.TextChoices):
    """The languages an article's text is written in; English is the original."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish"


def mentions_dose_change(body, language):
    words = SPANISH_DOSE_CHANGE_WORDS if language == Language.SPANISH else DOSE_CHANGE_WORDS
    return bool(words.search(body))


def _now():
    # Whole seconds: a form that shows the time cannot round-trip microseconds, and a
    # difference in them alone is not a change anyone made.
    return timezone.now().replace(microsecond=0)


class Topic(models.TextChoices):
    BASICS = "basics", _("The basics")
    TELLING_APART = "telling_apart", _("Telling it apart")
    TREATMENT = "treatment", _("Treatment and prevention")
    LIVING = "living", _("Recovery and getting help")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_lists(self):
        """What a list or a link shows, in either language: the English title and summary,
        and the live Spanish revision's (one query, whatever the number of articles)."""
        return self.select_related("live_spanish_revision").only(
            "title",
            "slug",
            "summary",
            "topic",
            "order",
            "live_spanish_revision__title",
            "live_spanish_revision__summary",
        )

    def due_for_review(self, on=None):
        on = on or timezone.localdate()
        return self.filter(models.Q(next_review_due__lte=on) | models.Q(next_review_due=None))

    def unpublish(self):
        """Take these articles off the site, one save each, so the page cache hears of it."""
        articles = list(self)
        for article in articles:
            article.unpublish()
        return len(articles)


class Article(models.Model):
    """An article's place on the site, and a copy of its live revision's text.

    The text is edited as `ArticleRevision`s; publishing one copies its text here,
    where the index and search read it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Not on the site"
        PUBLISHED = "published", "On the site"

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
    live_revision = models.ForeignKey(
        "ArticleRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Set from the live revision's sign-off; empty means it was never checked.
    next_review_due = models.DateField(null=True, blank=True, editable=False)
    related_articles = models.ManyToManyField("self", blank=True)

    # The Spanish text lives in its revisions (rows of their own, as for English): readers
    # see the live one; until one is published they see the English text, with a notice.
    live_spanish_revision = models.ForeignKey(
        "ArticleRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    spanish_review_due = models.DateField(null=True, blank=True, editable=False)

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
    history = HistoricalRecords(
        excluded_fields=[
            "body_html",
            "body_text",
            "search_vector",
        ]
    )
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
            self.published_at = _now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("education:article", kwargs={"slug": self.slug})

    def has_text_in(self, language):
        return language == Language.ENGLISH or self.live_spanish_revision_id is not None

    def live_revision_in(self, language):
        """The live revision readers of `language` see: theirs, else the English one."""
        if language == Language.SPANISH and self.live_spanish_revision_id is not None:
            return self.live_spanish_revision
        return self.live_revision

    def show_in(self, language=None):
        """Set `shown_title`, `shown_summary` and `shown_language` for a list or a link."""
        language = language or translation.get_language()
        if language == Language.SPANISH and self.live_spanish_revision_id is not None:
            spanish = self.live_spanish_revision
            self.shown_title, self.shown_summary = spanish.title, spanish.summary
            self.shown_language = Language.SPANISH
        else:
            self.shown_title, self.shown_summary = self.title, self.summary
            self.shown_language = Language.ENGLISH
        return self

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

    @property
    def review_state(self):
        """'never', 'overdue', 'soon' or 'ok': how the clinical check of the live text stands."""
        if self.next_review_due is None:
            return "never"
        today = timezone.localdate()
        if self.next_review_due <= today:
            return "overdue"
        if self.next_review_due <= today + REVIEW_SOON:
            return "soon"
        return "ok"

    @property
    def draft(self):
        return self.draft_in(Language.ENGLISH)

    @property
    def spanish_draft(self):
        return self.draft_in(Language.SPANISH)

    def draft_in(self, language):
        return self.revisions.filter(status=ArticleRevision.Status.DRAFT, language=language).first()

    def start_draft(self, by, language=Language.ENGLISH):
        """The article's open draft in `language`, or a new one copied from the live text.

        A first Spanish draft starts from the live English text and pictures, for the
        editor to replace with the Spanish words.
        """
        existing = self.draft_in(language)
        if existing is not None:
            return existing
        live = self.live_spanish_revision if language == Language.SPANISH else None
        live = live or self.live_revision
        if live is not None:
            return live.copy_as_draft(by, language=language)
        return ArticleRevision.objects.create(
            article=self,
            language=language,
            number=self.next_revision_number(),
            title=self.title,
            summary=self.summary,
            body=self.body,
            created_by=by,
        )

    def next_revision_number(self):
        latest = self.revisions.aggregate(latest=models.Max("number"))["latest"]
        return (latest or 0) + 1

    def linked_from(self):
        """Other published articles that link here, in their text or as related articles."""
        return (
            Article.objects.published()
            .exclude(pk=self.pk)
            .filter(
                models.Q(related_articles=self)
                | models.Q(body_html__contains=f'href="{self.get_absolute_url()}')
            )
            .distinct()
        )

    def unpublish(self):
        self.status = self.Status.DRAFT
        self.save()

    def put_back_on_site(self, by):
        """Show the live revision again after an unpublish, with the same checks as publishing."""
        if self.live_revision is None:
            raise ValidationError(
                "This article has never been published. Publish a draft instead.",
                code="never_published",
            )
        self.live_revision.check_can_publish()
        self.status = self.Status.PUBLISHED
        self.save()

    def _show_revision(self, revision):
        if revision.language == Language.SPANISH:
            # The Spanish text goes live beside the English; where the article stands on
            # the site (status, order) stays the English version's.
            self.live_spanish_revision = revision
            self.spanish_review_due = revision.review_due_on()
            self.save()
            return
        self.title, self.summary, self.body = revision.title, revision.summary, revision.body
        self.live_revision = revision
        self.status = self.Status.PUBLISHED
        self.published_at = self.published_at or revision.published_at
        self.next_review_due = revision.review_due_on()
        self.save()


class ArticleRevisionQuerySet(models.QuerySet):
    def awaiting_sign_off(self):
        return self.filter(status=ArticleRevision.Status.DRAFT, signed_off_at=None)


class ArticleRevision(models.Model):
    """One version of an article's text and pictures.

    An editor works on one draft per article while the public keeps seeing the live
    revision. A clinician signs a revision off as a separate act; the sign-off holds
    only while the text is what they saw. Published revisions are never changed, so
    the history can compare and restore any of them.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    # Each language version has its own drafts, publishing, reading measure and sign-off.
    language = models.CharField(
        max_length=2, choices=Language.choices, default=Language.ENGLISH, editable=False
    )
    number = models.PositiveIntegerField(editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400, help_text="One or two plain sentences.")
    body = models.TextField(
        help_text=(
            "Markdown. Use ## for sections; the title is the page heading. "
            "Put [[figure:KEY]] on its own line where a picture goes."
        )
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)
    sign_off_note = models.TextField(blank=True, editable=False)
    # What the clinician saw: a hash of the text and pictures when they signed.
    signed_off_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    # Derived on save, never edited by hand.
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="")
    # Searched in its own language: Spanish stems and stop words for Spanish text ("dolores"
    # finds "dolor"), English ones for English.
    search_vector = models.GeneratedField(
        expression=models.Case(
            models.When(
                language="es",
                then=SearchVector("title", weight="A", config="spanish")
                + SearchVector("summary", weight="B", config="spanish")
                + SearchVector("body_text", weight="C", config="spanish"),
            ),
            default=SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body_text", weight="C", config="english"),
            output_field=SearchVectorField(),
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # English text: Flesch-Kincaid grade. Spanish text: Fernández-Huerta reading ease.
    reading_grade = models.FloatField(editable=False, default=0.0)
    reading_ease = models.FloatField(editable=False, null=True, blank=True)
    mentions_dose_change = models.BooleanField(editable=False, default=False)

    objects = ArticleRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "-number"]
        indexes = [GinIndex(fields=["search_vector"], name="article_revision_search_gin")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="article_revision_number_unique"
            ),
            models.UniqueConstraint(
                fields=["article", "language"],
                condition=models.Q(status="draft"),
                name="article_one_open_draft_per_language",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="article_revision_published_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(signed_off_at=None) | ~models.Q(signed_off_by=None),
                name="article_revision_sign_off_has_clinician",
            ),
        ]
        permissions = [
            ("sign_off_articlerevision", "Can sign off an article revision as clinically checked"),
        ]

    def __str__(self):
        if self.language == Language.SPANISH:
            return f"{self.title} (Spanish, revision {self.number})"
        return f"{self.title} (revision {self.number})"

    def save(self, *args, **kwargs):
        # Browsers send a textarea's lines ending in CRLF; one kind of line end keeps the
        # history's word diff to the words that changed.
        self.body = self.body.replace("\r\n", "\n")
        self.body_html = render_markdown(self.body)
        self.body_text = plain_text(self.body)
        if self.language == Language.SPANISH:
            self.reading_grade, self.reading_ease = 0.0, spanish_reading_ease(self.body)
        else:
            self.reading_grade, self.reading_ease = reading_grade(self.body), None
        self.mentions_dose_change = mentions_dose_change(self.body, self.language)
        if self.number is None:
            self.number = self.article.next_revision_number()
        super().save(*args, **kwargs)

    def get_preview_url(self):
        # Shown in the page of its own language: a Spanish revision at /es/learn/...
        with translation.override(self.language):
            return reverse(
                "education:preview", kwargs={"slug": self.article.slug, "number": self.number}
            )

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def language_number(self):
        """This revision's number among its article's revisions in the same language: the
        Spanish text's first revision is Spanish revision 1, whatever the English count."""
        return self.article.revisions.filter(
            language=self.language, number__lte=self.number
        ).count()

    @property
    def label(self):
        """ "English revision 3", "Spanish revision 1"."""
        return f"{Language(self.language).label} revision {self.language_number}"

    @property
    def is_live(self):
        live_id = (
            self.article.live_spanish_revision_id
            if self.language == Language.SPANISH
            else self.article.live_revision_id
        )
        return live_id == self.pk and self.article.is_published

    @property
    def is_above_grade_limit(self):
        """Harder than patient pages may be: above grade 8, or in Spanish below 70 ease."""
        if self.language == Language.SPANISH:
            return (self.reading_ease or 0.0) < SPANISH_READING_EASE_MINIMUM
        return self.reading_grade > PATIENT_GRADE_LIMIT

    # Sign-off --------------------------------------------------------------

    def fingerprint(self):
        """A hash of everything a reader sees: the text, each picture with its words, and the
        article's sources (their titles and links are shown under the text)."""
        parts = [self.title, self.summary, self.body]
        for source in self.article.sources.all():
            parts += ["source", source.title, source.url]
        for figure in self.figures.all():
            parts += [
                figure.key,
                figure.diagram,
                figure.image.name or "",
                figure.alt_text,
                figure.caption,
                figure.long_description,
            ]
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()

    @property
    def is_signed_off(self):
        """True only while the text is exactly what the clinician signed off."""
        return self.signed_off_at is not None and self.signed_off_fingerprint == self.fingerprint()

    def request_sign_off(self, by):
        """Email every active clinician who may sign off revisions a link to this draft;
        return how many were told. The email names the article, never a patient."""
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        from oih_site.tasks import queue_email

        codename = "sign_off_articlerevision"
        may_sign_off = (
            Q(is_superuser=True)
            | Q(user_permissions__codename=codename)
            | Q(groups__permissions__codename=codename)
        )
        addresses = sorted(
            set(
                get_user_model()
                .objects.filter(may_sign_off, is_active=True, is_staff=True)
                .exclude(email="")
                .exclude(pk=by.pk)
                .values_list("email", flat=True)
            )
        )
        if not addresses:
            return 0
        link = settings.SITE_URL + reverse("admin:education_articlerevision_change", args=[self.pk])
        queue_email(
            subject=f"Sign-off requested: {self.article}",
            body=(
                f"{by.get_username()} asks for a clinical sign-off of {self.label} of "
                f'"{self.title}".\n\nRead it and sign it off here (sign-in needed):\n{link}\n'
            ),
            to=addresses,
        )
        return len(addresses)

    def sign_off(self, by, note="", seen_fingerprint=None):
        """Record the clinician's check of this text. `seen_fingerprint` is the fingerprint of
        the page they read (the admin's form always sends it): if the text, pictures or
        sources changed since, nothing is signed. None means the caller holds the revision
        as it is now (a command, a test)."""
        if not by.has_perm("education.sign_off_articlerevision"):
            raise PermissionDenied("Only a clinician may sign off an article.")
        current = self.fingerprint()
        if seen_fingerprint is not None and seen_fingerprint != current:
            raise ValidationError(
                "The text, pictures or sources changed since you opened it. "
                "Read it again, then sign it off.",
                code="changed_since_opened",
            )
        self.signed_off_by, self.signed_off_at = by, _now()
        self.sign_off_note = note
        self.signed_off_fingerprint = current
        self.save()
        if self.article.live_revision_id == self.pk:
            self.article.next_review_due = self.review_due_on()
            self.article.save()
        elif self.article.live_spanish_revision_id == self.pk:
            self.article.spanish_review_due = self.review_due_on()
            self.article.save()

    def forget_stale_sign_off(self):
        """Clear a sign-off whose text has changed since, so no page shows it."""
        if self.signed_off_at is not None and not self.is_signed_off:
            self.signed_off_by = self.signed_off_at = None
            self.signed_off_fingerprint = self.sign_off_note = ""
            self.save()

    def review_due_on(self):
        if not self.is_signed_off:
            return None
        return timezone.localdate(self.signed_off_at) + REVIEW_INTERVAL

    # Publishing ------------------------------------------------------------

    def dead_links(self):
        """Slugs this text links to that readers could not open."""
        live = set(Article.objects.published().values_list("slug", flat=True))
        return sorted(linked_article_slugs(self.body_html) - live - {self.article.slug})

    def check_can_publish(self):
        problems = []
        if getattr(settings, "EDUCATION_PUBLISH_REQUIRES_SIGNOFF", True) and not self.is_signed_off:
            problems.append(
                ValidationError(
                    "A clinician must sign off this text before it is published.",
                    code="needs_sign_off",
                )
            )
        dead = self.dead_links()
        if dead:
            problems.append(
                ValidationError(
                    "The text links to articles that are not on the site: %(slugs)s.",
                    code="dead_links",
                    params={"slugs": ", ".join(dead)},
                )
            )
        if problems:
            raise ValidationError(problems)

    def publish(self, by):
        """Make this draft the live version, if it passes the checks."""
        if not self.is_draft:
            raise ValidationError("Only a draft can be published.", code="not_draft")
        self.check_can_publish()
        self.go_live(by)

    @transaction.atomic
    def go_live(self, by=None):
        """Replace the live version with this one (the checks are the caller's)."""
        self.status = self.Status.PUBLISHED
        self.published_at, self.published_by = _now(), by
        self.save()
        self.article._show_revision(self)

    def copy_as_draft(self, by, language=None, keep_sign_off=True):
        """A new draft with this revision's text and pictures (its sign-off holds until edited).

        Copied into another language (the English text as a Spanish draft's start), it
        carries no sign-off: the clinician checks each language's words. Nor does an old
        revision brought back (`keep_sign_off=False`): what was checked then, against the
        sources and advice of then, is checked again now.
        """
        language = language or self.language
        same_language = language == self.language and keep_sign_off
        draft = ArticleRevision.objects.create(
            article=self.article,
            language=language,
            title=self.title,
            summary=self.summary,
            body=self.body,
            created_by=by,
            signed_off_by=self.signed_off_by if same_language else None,
            signed_off_at=self.signed_off_at if same_language else None,
            sign_off_note=self.sign_off_note if same_language else "",
            signed_off_fingerprint=self.signed_off_fingerprint if same_language else "",
        )
        for figure in self.figures.all():
            figure.pk, figure.revision = None, draft
            figure.save()
        return draft

    def restore_as_draft(self, by):
        """Bring back an earlier published version as the article's draft."""
        if self.article.draft_in(self.language) is not None:
            raise ValidationError(
                "This article already has a draft. Publish or delete it first.",
                code="draft_exists",
            )
        return self.copy_as_draft(by, keep_sign_off=False)

    # History ---------------------------------------------------------------

    def readable_fields(self):
        """The words a reader sees, by label; space at either end is no change to a reader."""
        fields = {"Title": self.title, "Summary": self.summary, "Text": self.body}
        for figure in self.figures.all():
            fields[f"Picture {figure.key}"] = "\n".join(
                [figure.alt_text, figure.caption, figure.long_description]
            )
        return {label: text.strip() for label, text in fields.items()}

    def changes_since(self, older):
        """Word-level differences from `older` to this revision; unchanged fields left out."""
        return compare_texts(older.readable_fields(), self.readable_fields())

    def previous_published(self):
        return (
            self.article.revisions.filter(
                status=self.Status.PUBLISHED, number__lt=self.number, language=self.language
            )
            .order_by("-number")
            .first()
        )


def figure_upload_name(figure, filename):
    return f"figures/{filename}"


class ArticleFigure(models.Model):
    """A picture in a revision: a drawing shipped with the site, or an uploaded picture."""

    revision = models.ForeignKey(ArticleRevision, on_delete=models.CASCADE, related_name="figures")
    key = models.SlugField(
        max_length=50,
        help_text="Put [[figure:KEY]] on its own line in the text where the picture goes.",
    )
    diagram = models.CharField(
        "drawing", max_length=50, choices=DIAGRAM_CHOICES, blank=True, help_text="Or upload below."
    )
    image = models.ImageField(
        "picture",
        upload_to=figure_upload_name,
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text="PNG, JPEG or WebP, up to 10 MB. It is resized for the page.",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Smaller copies for a srcset: {"480": "figures/....webp", ...}
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    alt_text = models.CharField(
        max_length=300, help_text="What the picture shows, for people who cannot see it."
    )
    caption = models.CharField(max_length=300, help_text="Shown under the picture.")
    long_description = models.TextField(
        blank=True,
        help_text="The picture in words, for a chart or diagram. Readers can open it.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "key"], name="figure_key_unique"),
            models.CheckConstraint(
                condition=(models.Q(diagram="") & ~models.Q(image=""))
                | (~models.Q(diagram="") & models.Q(image="")),
                name="figure_drawing_or_picture",
            ),
        ]

    def __str__(self):
        return self.caption

    def save(self, *args, **kwargs):
        # A new upload is checked, resized and stored once, here; copies share the stored file.
        if self.image and not self.image._committed:
            name, width, height, renditions = images.store_picture(self.image.file)
            self.image.name = name
            self.image._committed = True
            self.image_width, self.image_height, self.renditions = width, height, renditions
        super().save(*args, **kwargs)

    def clean(self):
        if bool(self.diagram) == bool(self.image):
            raise ValidationError(
                "Choose a drawing or upload a picture (one of the two).", code="one_source"
            )

    @classmethod
    def for_diagram(cls, revision, key, order=0):
        words = DIAGRAMS[key].words_in(revision.language)
        return cls(
            revision=revision,
            key=key,
            diagram=key,
            alt_text=words.alt_text,
            caption=words.caption,
            long_description=words.long_description,
            order=order,
        )

    @property
    def src(self):
        if self.diagram:
            return static(DIAGRAMS[self.diagram].static_path_in(self.revision.language))
        return self.image.url

    @property
    def srcset(self):
        if self.diagram or len(self.renditions) < 2:
            return ""
        return ", ".join(
            f"{self.image.storage.url(name)} {width}w"
            for width, name in sorted(self.renditions.items(), key=lambda item: int(item[0]))
        )

    @property
    def width(self):
        return DIAGRAMS[self.diagram].width if self.diagram else self.image_width

    @property
    def height(self):
        return DIAGRAMS[self.diagram].height if self.diagram else self.image_height


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


class GlossaryTerm(models.Model):
    """A word of the word list, in one language: the Spanish of a term is its own row with
    the same slug (content in Spanish lives in rows of its own, as article revisions do)."""

    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    term = models.CharField(max_length=100)
    slug = models.SlugField(
        max_length=100, help_text="The same for a term and its translations: links use it."
    )
    definition = models.TextField(help_text="One to three plain sentences, for patients.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="glossary_slug_per_language"),
            models.UniqueConstraint(fields=["language", "term"], name="glossary_term_per_language"),
        ]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse("education:glossary") + f"#{self.slug}"


def glossary_in(language):
    """The word list readers of `language` see: their own rows, and the English row of a term
    not yet written in their language (shown in English, marked as such)."""
    terms = {term.slug: term for term in GlossaryTerm.objects.filter(language=Language.ENGLISH)}
    if language != Language.ENGLISH:
        terms.update({term.slug: term for term in GlossaryTerm.objects.filter(language=language)})
    return list(terms.values())
