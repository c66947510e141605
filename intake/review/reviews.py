"""Recorded reviews in the admin: who concluded what, what was done, and when. Never edited
here: a review is amended on its intake page, and its history keeps the earlier versions."""

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter
from django.utils.html import format_html

from intake.review.access import ReadOnlyAdmin
from intake.review.access_log import AccessLoggedAdmin


class ReviewAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    list_display = [
        "intake_reference",
        "decision",
        "override_reason",
        "action",
        "reviewed_by",
        "reviewed_at",
        "amended_at",
    ]
    list_filter = ["decision", "action", "override_reason", ("reviewed_at", DateFieldListFilter)]
    search_fields = ["screening__intake__reference", "reviewed_by__username"]
    list_select_related = ["screening__intake", "reviewed_by"]
    ordering = ["-reviewed_at", "-pk"]
    show_full_result_count = False
    fields = [
        "intake_link",
        "decision",
        "override_reason",
        "action",
        "note",
        "reviewed_by",
        "reviewed_at",
        "amended_at",
    ]
    readonly_fields = fields

    @admin.display(description="intake", ordering="screening__intake__reference")
    def intake_reference(self, recorded):
        return recorded.screening.intake.reference

    @admin.display(description="intake")
    def intake_link(self, recorded):
        intake = recorded.screening.intake
        return format_html('<a href="{}">{}</a>', intake.get_admin_url(), intake.reference)
