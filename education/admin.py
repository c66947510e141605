from django.contrib import admin, messages
from django.contrib.admin import widgets as admin_widgets
from django.db import models
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from education.models import Article, ArticleSource, GlossaryTerm
from education.readability import PATIENT_GRADE_LIMIT, reading_grade

GRADE_CHECK_MAX_CHARS = 100_000


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


class LabelledSplitDateTime(admin_widgets.AdminSplitDateTime):
    """Django's date and time boxes, each with a name a screen reader can announce."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = "Date"
        self.widgets[1].attrs["aria-label"] = "Time"


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
        "published_at",
        "grade",
        "last_reviewed_on",
        "next_review_due",
    ]
    list_filter = ["status", "topic", ReviewDueFilter]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["grade", "updated_at"]
    inlines = [ArticleSourceInline]
    # Stacked sources and a plain list of related articles: Django's tabular inline and
    # two-pane selector leave inputs without labels.
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "grade"]}),
        ("Where it appears", {"fields": ["topic", "order", "related_articles"]}),
        ("Publishing", {"fields": ["status", "published_at", "updated_at"]}),
        ("Clinical review", {"fields": ["last_reviewed_on", "reviewed_by", "next_review_due"]}),
    ]

    class Media:
        js = ["js/admin_reading_grade.js"]

    @admin.display(description="reading grade", ordering="reading_grade")
    def grade(self, article):
        if article.pk is None:
            return "-"
        if article.is_above_grade_limit:
            return format_html(
                '<strong class="grade-warning">{} (above grade {})</strong>',
                article.reading_grade,
                int(PATIENT_GRADE_LIMIT),
            )
        return article.reading_grade

    @admin.action(description="Publish the selected articles", permissions=["change"])
    def publish(self, request, queryset):
        for article in queryset:
            article.publish()
        self.message_user(request, f"Published {queryset.count()} article(s).", messages.SUCCESS)

    @admin.action(description="Move the selected articles back to draft", permissions=["change"])
    def unpublish(self, request, queryset):
        for article in queryset:
            article.unpublish()
        self.message_user(
            request, f"Moved {queryset.count()} article(s) to draft.", messages.SUCCESS
        )

    def get_urls(self):
        grade_url = path(
            "reading-grade/",
            self.admin_site.admin_view(self.reading_grade_view),
            name="education_article_reading_grade",
        )
        return [grade_url, *super().get_urls()]

    def reading_grade_view(self, request):
        """The grade of the body being typed, for the live figure on the form."""
        if request.method != "POST" or not self.has_change_permission(request):
            return JsonResponse({"error": "not allowed"}, status=403)
        body = request.POST.get("body", "")[:GRADE_CHECK_MAX_CHARS]
        grade = reading_grade(body)
        return JsonResponse(
            {
                "grade": grade,
                "limit": PATIENT_GRADE_LIMIT,
                "above_limit": grade > PATIENT_GRADE_LIMIT,
            }
        )


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(SimpleHistoryAdmin):
    list_display = ["term", "slug"]
    search_fields = ["term", "definition"]
    prepopulated_fields = {"slug": ["term"]}
