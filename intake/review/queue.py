"""The review queue: open flags and borderline results, flags first, the longest waiting first.

Each row opens the intake page (`intake_page.py`), where the review is recorded.
"""

from urllib.parse import parse_qsl, urlencode

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter
from django.contrib.admin.views.main import ChangeList
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from intake.models import Screening
from intake.review import dashboard
from intake.review.access_log import AccessLoggedAdmin
from intake.review.labels import patient_name
from intake.review.paginator import EstimatedCountPaginator
from intake.review.queue_filters import (
    AlertFilter,
    LevelFilter,
    RepeatFilter,
    ReviewStatusFilter,
    RulesVersionFilter,
)
from intake.review.read_only import ReadOnlyAdmin

QUEUE_TITLE = "Review queue"


def queue_url(request):
    """The queue, with the filters the clinician came from (kept by the admin's links)."""
    url = reverse("admin:intake_screening_changelist")
    filters = parse_qsl(request.GET.get("_changelist_filters", ""))
    return f"{url}?{urlencode(filters)}" if filters else url


class ReviewQueue(ChangeList):
    """Only what needs a clinician; each row opens the intake page."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).needing_review()

    def url_for_result(self, result):
        return reverse(
            "admin:intake_intake_change",
            args=[result.intake_id],
            current_app=self.model_admin.admin_site.name,
        )


class ScreeningAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    list_display = [
        "intake_reference",
        "patient",
        "level_label",
        "mme",
        "alerts",
        "rules_version",
        "submitted",
        "review_status",
    ]
    list_filter = [
        LevelFilter,
        AlertFilter,
        ReviewStatusFilter,
        ("intake_submitted_at", DateFieldListFilter),
        RulesVersionFilter,
        RepeatFilter,
    ]
    search_fields = [
        "intake__reference",
        "intake__full_name",
        "intake__clinic_reference",
        "intake__patient__full_name",
        "intake__patient__clinic_reference",
    ]
    list_select_related = ["intake__patient", "review"]
    # Unreviewed first, then flags before borderline, then the longest waiting.
    # The partial index screening_open_queue_idx serves exactly this order.
    ordering = ["is_reviewed", "level_rank", "intake_submitted_at", "pk"]
    # A second COUNT over the whole table on every page is not worth its cost, nor is a
    # COUNT per filter choice.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    paginator = EstimatedCountPaginator
    fields = [
        "intake_link",
        "level",
        "rules_version",
        "factor_table",
        "mme_total",
        "alert_codes",
        "reason_codes",
        "is_current",
        "cause",
        "is_repeat_of_reviewed",
        "created_at",
        "review_status",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # Screenings exist only for submitted intakes, so no join is needed to count them;
        # the result JSON is for the intake page, not the list.
        return (
            super()
            .get_queryset(request)
            .select_related("intake__patient", "review")
            .defer("result")
        )

    def get_changelist(self, request, **kwargs):
        return ReviewQueue

    def get_urls(self):
        dashboard_url = path(
            "dashboard/",
            self.admin_site.admin_view(self.dashboard_view),
            name="intake_screening_dashboard",
        )
        return [dashboard_url, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": QUEUE_TITLE,
            # Eight columns and the filters need the width more than the side menu does.
            "is_nav_sidebar_enabled": False,
            "dashboard_url": reverse("admin:intake_screening_dashboard"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def dashboard_view(self, request):
        return dashboard.dashboard_view(self, request)

    @admin.display(description="intake", ordering="intake__reference")
    def intake_reference(self, screening):
        return screening.intake.reference

    @admin.display(description="patient", ordering="intake__full_name")
    def patient(self, screening):
        return patient_name(screening.intake)

    @admin.display(description="level", ordering="level_rank")
    def level_label(self, screening):
        return format_html(
            '<span class="oih-level oih-level-{}">{}</span>',
            screening.level,
            screening.get_level_display(),
        )

    @admin.display(description="MME/day", ordering="mme_total")
    def mme(self, screening):
        return "not computed" if screening.mme_total is None else screening.mme_total

    @admin.display(description="alerts")
    def alerts(self, screening):
        return ", ".join(screening.alert_codes) or "-"

    @admin.display(description="submitted", ordering="intake_submitted_at")
    def submitted(self, screening):
        return date_format(timezone.localtime(screening.intake.submitted_at), "j M Y, H:i")

    @admin.display(description="review", ordering="is_reviewed")
    def review_status(self, screening):
        status = screening.review_status.label
        if screening.review_status == Screening.ReviewStatus.OVERRIDDEN:
            return f"{status}: {screening.review.get_override_reason_display()}"
        return status

    @admin.display(description="intake")
    def intake_link(self, screening):
        return format_html(
            '<a href="{}">{}</a>', screening.intake.get_admin_url(), screening.intake.reference
        )
