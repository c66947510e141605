"""Submitted intakes in the admin: a list, and the intake page as each one's change view."""

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter
from django.db.models import OuterRef, Subquery
from django.urls import path

from intake.models import Screening
from intake.review import follow_up, intake_page, printable_summary
from intake.review.access_log import AccessLoggedAdmin
from intake.review.labels import patient_name
from intake.review.read_only import ReadOnlyAdmin


class IntakeAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    list_display = ["reference", "patient", "submitted_at", "current_level", "source"]
    list_filter = [("submitted_at", DateFieldListFilter), "source"]
    search_fields = ["reference", "full_name", "clinic_reference", "patient__full_name"]
    list_select_related = ["patient"]
    ordering = ["-submitted_at", "-pk"]
    show_full_result_count = False

    def get_queryset(self, request):
        # Unfinished forms stay the patient's until they are submitted.
        current_level = Screening.objects.filter(intake=OuterRef("pk"), is_current=True)
        return (
            super()
            .get_queryset(request)
            .submitted()
            .select_related("patient", "previous_intake")
            .annotate(current_level=Subquery(current_level.values("level")[:1]))
        )

    @admin.display(description="patient", ordering="full_name")
    def patient(self, intake):
        return patient_name(intake)

    @admin.display(description="level", ordering="current_level")
    def current_level(self, intake):
        if intake.current_level is None:
            return "-"
        return Screening.Level(intake.current_level).label

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The intake page: the answers, the screening as a card, and the review form."""
        return intake_page.intake_page_view(self, request, object_id)

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/follow-up/",
                self.admin_site.admin_view(self.follow_up_view),
                name="intake_intake_follow_up",
            ),
            path(
                "<path:object_id>/summary/",
                self.admin_site.admin_view(self.summary_view),
                name="intake_intake_summary",
            ),
        ]
        return own + super().get_urls()

    def follow_up_view(self, request, object_id):
        return follow_up.follow_up_view(self, request, object_id)

    def summary_view(self, request, object_id):
        return printable_summary.summary_view(self, request, object_id)
