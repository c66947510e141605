"""Recorded reviews in the admin: who concluded what, and when. Never edited."""

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter
from django.utils.html import format_html

from intake.review.access_log import AccessLoggedAdmin
from intake.review.read_only import ReadOnlyAdmin


class ReviewAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    list_display = ["intake_reference", "decision", "override_reason", "reviewed_by", "reviewed_at"]
    list_filter = ["decision", "override_reason", ("reviewed_at", DateFieldListFilter)]
    search_fields = ["screening__intake__reference", "reviewed_by__username"]
    list_select_related = ["screening__intake", "reviewed_by"]
    ordering = ["-reviewed_at", "-pk"]
    show_full_result_count = False
    fields = ["intake_link", "decision", "override_reason", "note", "reviewed_by", "reviewed_at"]
    readonly_fields = fields

    @admin.display(description="intake", ordering="screening__intake__reference")
    def intake_reference(self, recorded):
        return recorded.screening.intake.reference

    @admin.display(description="intake")
    def intake_link(self, recorded):
        intake = recorded.screening.intake
        return format_html('<a href="{}">{}</a>', intake.get_admin_url(), intake.reference)
