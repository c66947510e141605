from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from education import images
from education.models import (
    Article,
    ArticleFigure,
    ArticleRevision,
    ArticleSource,
    GlossaryTerm,
    Language,
)
from education.readability import (
    PATIENT_GRADE_LIMIT,
    SPANISH_READING_EASE_MINIMUM,
    hardest_sentences,
    reading_grade,
    spanish_reading_ease,
)

GRADE_CHECK_MAX_CHARS = 100_000
REVIEW_LABELS = {
    "never": "Never checked",
    "overdue": "Overdue",
    "soon": "Due soon",
    "ok": "Checked",
}


class ReviewDueFilter(admin.SimpleListFilter):
    title = "clinical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Due or overdue"), ("next30", "Due in the next 30 days")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return queryset.due_for_review(on=today)
        if self.value() == "next30":
            return queryset.due_for_review(on=today + timezone.timedelta(days=30))
        return queryset


class AwaitingSignOffFilter(admin.SimpleListFilter):
    title = "clinical sign-off"
    parameter_name = "sign_off"

    def lookups(self, request, model_admin):
        return [("waiting", "Drafts waiting for sign-off")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.awaiting_sign_off()
        return queryset


def reading_grade_response(request, model_admin):
    """The grade of the body being typed, for the live figure on the form."""
    if request.method != "POST" or not model_admin.has_change_permission(request):
        return JsonResponse({"error": "not allowed"}, status=403)
    body = request.POST.get("body", "")[:GRADE_CHECK_MAX_CHARS]
    if request.POST.get("language") == Language.SPANISH:
        ease = spanish_reading_ease(body)
        return JsonResponse(
            {
                "language": Language.SPANISH,
                "ease": ease,
                "minimum": SPANISH_READING_EASE_MINIMUM,
                "above_limit": ease < SPANISH_READING_EASE_MINIMUM,
            }
        )
    grade = reading_grade(body)
    return JsonResponse(
        {"grade": grade, "limit": PATIENT_GRADE_LIMIT, "above_limit": grade > PATIENT_GRADE_LIMIT}
    )


def ease_display(revision):
    """A Spanish text's Fernández-Huerta reading ease, flagged below the patient minimum."""
    label = f"Fernández-Huerta {revision.reading_ease}"
    if revision.is_above_grade_limit:
        return format_html(
            '<strong class="grade-warning">{} (below {}: too hard)</strong>',
            label,
            int(SPANISH_READING_EASE_MINIMUM),
        )
    return label


def grade_display(obj):
    if obj.pk is None:
        return "-"
    if getattr(obj, "language", Language.ENGLISH) == Language.SPANISH:
        return ease_display(obj)
    if obj.is_above_grade_limit:
        return format_html(
            '<strong class="grade-warning">{} (above grade {})</strong>',
            obj.reading_grade,
            int(PATIENT_GRADE_LIMIT),
        )
    return obj.reading_grade


def error_messages(error):
    return list(error.messages)


class ArticleSourceInline(admin.StackedInline):
    model = ArticleSource
    extra = 1
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "topic",
        "order",
        "status",
        "live_version",
        "grade",
        "review",
        "spanish",
    ]
    list_filter = ["status", "topic", ReviewDueFilter]
    list_select_related = ["live_revision", "live_spanish_revision"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ArticleSourceInline]
    actions = ["unpublish", "put_back_on_site"]
    change_form_template = "admin/education/article/change_form.html"
    # The text is edited as a draft revision; here only where the article sits.
    add_fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("Where it appears", {"fields": ["topic", "order", "related_articles"]}),
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "grade"]}),
        ("Where it appears", {"fields": ["topic", "order", "related_articles"]}),
        ("On the site", {"fields": ["status", "published_at", "live_version", "review"]}),
        ("In Spanish", {"fields": ["spanish_title", "spanish", "spanish_grade"]}),
    ]
    readonly_fields = ["title", "summary", "grade", "status", "published_at"]
    readonly_fields += ["live_version", "review", "spanish_title", "spanish", "spanish_grade"]

    class Media:
        js = ["js/admin_reading_grade.js"]
        css = {"all": ["css/admin_education.css"]}

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        # Once the article exists its title comes from its revisions; the slug stays put.
        return self.prepopulated_fields if obj is None else {}

    def get_queryset(self, request):
        drafts = ArticleRevision.objects.filter(
            article=models.OuterRef("pk"), status=ArticleRevision.Status.DRAFT
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                has_draft=models.Exists(drafts),
                live_english_number=_language_number(Language.ENGLISH, "live_revision__number"),
                live_spanish_number=_language_number(
                    Language.SPANISH, "live_spanish_revision__number"
                ),
            )
        )

    @admin.display(description="reading grade", ordering="reading_grade")
    def grade(self, article):
        return grade_display(article)

    @admin.display(description="live version")
    def live_version(self, article):
        live = article.live_revision
        text = _live_label(live, getattr(article, "live_english_number", None))
        if getattr(article, "has_draft", False):
            text += ", draft open"
        return text

    @admin.display(description="Spanish")
    def spanish(self, article):
        """The Spanish version's live revision and clinical review, at a glance."""
        live = article.live_spanish_revision
        if live is None:
            return "None yet (shown in English)"
        checked = "checked" if live.is_signed_off else "not signed off"
        due = f", due {article.spanish_review_due:%b %d, %Y}" if article.spanish_review_due else ""
        return f"{_live_label(live, getattr(article, 'live_spanish_number', None))}, {checked}{due}"

    @admin.display(description="title in Spanish")
    def spanish_title(self, article):
        live = article.live_spanish_revision
        return live.title if live else "-"

    @admin.display(description="Spanish reading ease")
    def spanish_grade(self, article):
        live = article.live_spanish_revision
        return ease_display(live) if live else "-"

    @admin.display(description="clinical review", ordering="next_review_due")
    def review(self, article):
        state = article.review_state
        if state == "never":
            return format_html('<strong class="review-due">{}</strong>', REVIEW_LABELS[state])
        label = f"{REVIEW_LABELS[state]}, due {article.next_review_due:%b %d, %Y}"
        if state in ("overdue", "soon"):
            return format_html('<strong class="review-due">{}</strong>', label)
        return label

    def delete_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, object_id)
        linking = list(article.linked_from()) if article is not None else []
        return super().delete_view(
            request, object_id, {**(extra_context or {}), "linking": linking}
        )

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # An article takes its revisions with it; only deleting a published one alone is refused.
        perms_needed.discard(ArticleRevision._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            obj.start_draft(by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(
            reverse("admin:education_articlerevision_change", args=[obj.draft.pk])
        )

    @admin.action(description="Take the selected articles off the site", permissions=["change"])
    def unpublish(self, request, queryset):
        linking = {
            article: list(article.linked_from())
            for article in queryset
            if article.is_published and article.linked_from().exists()
        }
        if linking and request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/education/article/unpublish_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Take articles off the site?",
                    "opts": self.model._meta,
                    "linking": linking,
                    "selected": queryset,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        count = queryset.unpublish()
        self.message_user(request, f"Took {count} article(s) off the site.", messages.SUCCESS)
        return None

    @admin.action(description="Put the selected articles back on the site", permissions=["change"])
    def put_back_on_site(self, request, queryset):
        for article in queryset:
            try:
                article.put_back_on_site(by=request.user)
            except ValidationError as error:
                for message in error_messages(error):
                    self.message_user(request, f"{article}: {message}", messages.ERROR)
            else:
                self.message_user(request, f"{article} is on the site.", messages.SUCCESS)

    def get_urls(self):
        urls = [
            path(
                "reading-grade/",
                self.admin_site.admin_view(self.reading_grade_view),
                name="education_article_reading_grade",
            ),
            path(
                "<int:pk>/start-draft/",
                self.admin_site.admin_view(self.start_draft_view),
                name="education_article_start_draft",
            ),
        ]
        return [*urls, *super().get_urls()]

    def reading_grade_view(self, request):
        return reading_grade_response(request, self)

    def start_draft_view(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        can_edit = self.has_change_permission(request, article) and request.user.has_perm(
            "education.add_articlerevision"
        )
        if request.method != "POST" or not can_edit:
            raise PermissionDenied
        language = request.POST.get("language", Language.ENGLISH)
        if language not in Language.values:
            raise PermissionDenied
        draft = article.start_draft(by=request.user, language=language)
        return HttpResponseRedirect(
            reverse("admin:education_articlerevision_change", args=[draft.pk])
        )

    def history_view(self, request, object_id, extra_context=None):
        """Every revision, and the words that changed between any two of them."""
        # get_object answers None for an id that is not one ("abc"), as for a missing one.
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        revisions = list(
            article.revisions.select_related(
                "created_by", "published_by", "signed_off_by"
            ).prefetch_related("figures")
        )
        by_number = {revision.number: revision for revision in revisions}
        # Each language's revisions counted on their own: "Spanish revision 1".
        counted = {}
        for revision in sorted(revisions, key=lambda r: r.number):
            counted[revision.language] = counted.get(revision.language, 0) + 1
            revision.label_text = (
                f"{revision.get_language_display()} revision {counted[revision.language]}"
            )
        newer, older = _pick_pair(request.GET, by_number, revisions)
        return TemplateResponse(
            request,
            "admin/education/article/history.html",
            {
                **self.admin_site.each_context(request),
                "title": f"History: {article}",
                "opts": self.model._meta,
                "original": article,
                "revisions": revisions,
                "newer": newer,
                "older": older,
                "changes": newer.changes_since(older) if newer and older else [],
                "can_restore": request.user.has_perm("education.add_articlerevision")
                and article.draft is None,
            },
        )


def _pick_pair(query, by_number, revisions):
    """The two revisions to compare: as asked, else the latest and the one before it."""

    def number(name):
        try:
            return int(query.get(name, ""))
        except ValueError:
            return None

    newer = by_number.get(number("to")) or (revisions[0] if revisions else None)
    older = by_number.get(number("from"))
    if older is None and newer is not None:
        older = newer.previous_published() or next(
            (r for r in revisions if r.number < newer.number), None
        )
    return newer, older


class FigureForm(forms.ModelForm):
    # A plain file field, so that an SVG or a broken file gets our message, not a generic one.
    image = forms.FileField(
        label="Picture",
        required=False,
        help_text=ArticleFigure._meta.get_field("image").help_text,
    )

    class Meta:
        model = ArticleFigure
        fields = ["key", "diagram", "image", "alt_text", "caption", "long_description", "order"]
        widgets = {
            "alt_text": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "caption": forms.Textarea(attrs={"rows": 2, "cols": 80}),
        }

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if isinstance(upload, UploadedFile):
            images.open_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        has_image = bool(cleaned.get("image")) or bool(self.instance.image)
        if not self.errors and bool(cleaned.get("diagram")) == has_image:
            raise ValidationError(
                "Choose a drawing or upload a picture (one of the two).", code="one_source"
            )
        return cleaned


class ArticleFigureInline(admin.StackedInline):
    model = ArticleFigure
    form = FigureForm
    extra = 0
    fields = ["key", "diagram", "image", "alt_text", "caption", "long_description", "order"]


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "number",
        "language",
        "status",
        "grade",
        "sign_off",
        "created_by",
        "updated_at",
    ]
    list_filter = ["language", "status", AwaitingSignOffFilter]
    list_select_related = ["article", "created_by", "signed_off_by"]
    search_fields = ["title", "article__slug"]
    fields = ["language", "title", "summary", "body", "grade"]
    readonly_fields = ["language", "grade"]
    inlines = [ArticleFigureInline]
    change_form_template = "admin/education/articlerevision/change_form.html"
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 24, "cols": 90})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 80})},
    }

    class Media:
        js = ["js/admin_reading_grade.js"]
        css = {"all": ["css/admin_education.css"]}

    def has_add_permission(self, request):
        # A draft starts from its article ("Edit the text"), never from a blank form.
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        # Published revisions are the article's history and are kept.
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    @admin.display(description="reading measure")
    def grade(self, revision):
        return grade_display(revision)

    @admin.display(description="clinical sign-off")
    def sign_off(self, revision):
        if revision.signed_off_at is None:
            return "Not yet"
        return f"{revision.signed_off_by} on {revision.signed_off_at:%b %d, %Y}"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A picture's words count as text: a change to them also needs a new sign-off.
        form.instance.forget_stale_sign_off()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.get_object(request, object_id)
        extra = {}
        if revision is not None:
            extra = {
                "revision": revision,
                "can_sign_off": request.user.has_perm("education.sign_off_articlerevision")
                and (revision.is_draft or revision.is_live)
                and not revision.is_signed_off,
                "can_publish": revision.is_draft and self.has_change_permission(request, revision),
                "requires_sign_off": _requires_sign_off(),
                "can_request_sign_off": revision.is_draft
                and not revision.is_signed_off
                and self.has_change_permission(request, revision),
                "hardest_sentences": hardest_sentences(revision.body, revision.language),
                # The sign-off binds to the text, pictures and sources as shown now.
                "seen_fingerprint": revision.fingerprint(),
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def get_urls(self):
        def url(route, view, name):
            return path(route, self.admin_site.admin_view(view), name=name)

        return [
            url(
                "reading-grade/", self.reading_grade_view, "education_articlerevision_reading_grade"
            ),
            url("<int:pk>/sign-off/", self.sign_off_view, "education_articlerevision_sign_off"),
            url(
                "<int:pk>/request-sign-off/",
                self.request_sign_off_view,
                "education_articlerevision_request_sign_off",
            ),
            url("<int:pk>/publish/", self.publish_view, "education_articlerevision_publish"),
            url("<int:pk>/restore/", self.restore_view, "education_articlerevision_restore"),
            *super().get_urls(),
        ]

    def reading_grade_view(self, request):
        return reading_grade_response(request, self)

    def _posted_revision(self, request, pk):
        if request.method != "POST":
            raise PermissionDenied
        return get_object_or_404(ArticleRevision.objects.select_related("article"), pk=pk)

    def _back_to(self, revision):
        return HttpResponseRedirect(
            reverse("admin:education_articlerevision_change", args=[revision.pk])
        )

    def sign_off_view(self, request, pk):
        revision = self._posted_revision(request, pk)
        if not request.user.has_perm("education.sign_off_articlerevision"):
            raise PermissionDenied
        try:
            revision.sign_off(
                by=request.user,
                note=request.POST.get("note", "")[:2000],
                # What the page showed when it was opened; a form without it signs nothing.
                seen_fingerprint=request.POST.get("fingerprint", ""),
            )
        except ValidationError as error:
            for message in error_messages(error):
                self.message_user(request, f"Not signed off: {message}", messages.ERROR)
            return self._back_to(revision)
        self.message_user(
            request, f"You signed off revision {revision.number} of {revision.article}."
        )
        return self._back_to(revision)

    def request_sign_off_view(self, request, pk):
        """An editor asks the clinicians who may sign off to check a draft: each gets an
        email with the link to the draft (queued, like every email)."""
        revision = self._posted_revision(request, pk)
        if not self.has_change_permission(request, revision):
            raise PermissionDenied
        told = revision.request_sign_off(by=request.user)
        if told:
            self.message_user(
                request,
                f"Sign-off requested: {told} clinician(s) got an email with the link.",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                "No clinician who may sign off has an email address: tell them another way.",
                messages.WARNING,
            )
        return self._back_to(revision)

    def publish_view(self, request, pk):
        revision = self._posted_revision(request, pk)
        if not self.has_change_permission(request, revision):
            raise PermissionDenied
        try:
            revision.publish(by=request.user)
        except ValidationError as error:
            for message in error_messages(error):
                self.message_user(request, f"Not published: {message}", messages.ERROR)
            return self._back_to(revision)
        self.message_user(
            request, f"Published revision {revision.number}: readers now see it.", messages.SUCCESS
        )
        return HttpResponseRedirect(
            reverse("admin:education_article_change", args=[revision.article.pk])
        )

    def restore_view(self, request, pk):
        revision = self._posted_revision(request, pk)
        if not request.user.has_perm("education.add_articlerevision"):
            raise PermissionDenied
        try:
            draft = revision.restore_as_draft(by=request.user)
        except ValidationError as error:
            for message in error_messages(error):
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:education_article_history", args=[revision.article.pk])
            )
        self.message_user(
            request,
            f"Revision {revision.number} is now a draft (revision {draft.number}). "
            "Preview it, then publish it to bring it back.",
        )
        return self._back_to(draft)


def _language_number(language, live_number):
    """The live revision's number among its language's revisions, counted in the query."""
    earlier = (
        ArticleRevision.objects.filter(
            article=models.OuterRef("pk"),
            language=language,
            number__lte=models.OuterRef(live_number),
        )
        .order_by()
        .values("article")
        .annotate(count=models.Count("pk"))
        .values("count")
    )
    return models.Subquery(earlier)


def _live_label(live, counted):
    """ "English revision 3" for the live revision, from the list's count when it has one."""
    if live is None:
        return "None yet"
    if counted is None:
        return live.label
    return f"{live.get_language_display()} revision {counted}"


def _requires_sign_off():
    return getattr(settings, "EDUCATION_PUBLISH_REQUIRES_SIGNOFF", True)


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(SimpleHistoryAdmin):
    def history_view(self, request, object_id, extra_context=None):
        # simple-history looks the id up as given: "abc" would be a server error, not a 404.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("No such term.")
        return super().history_view(request, object_id, extra_context)

    list_display = ["term", "language", "slug"]
    list_filter = ["language"]
    search_fields = ["term", "definition", "slug"]
    # A term and its translations share the slug: sorted by it, they sit side by side.
    ordering = ["slug", "language"]
    fields = ["language", "term", "slug", "definition"]
    prepopulated_fields = {"slug": ["term"]}
