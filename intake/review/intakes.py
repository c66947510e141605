"""Submitted intakes in the admin: a list whose rows open the intake page.

The intake page (`intake_page.py`) is a view of its own, registered on the site at this
admin's change address (`review/urls.py`), so the admin's links and `Intake.get_admin_url`
lead to it."""

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter
from django.db.models import OuterRef, Subquery

from intake.models import Screening
from intake.review.access import ReadOnlyAdmin
from intake.review.access_log import AccessLoggedAdmin
from intake.review.labels import patient_name


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
