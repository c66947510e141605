"""Patients in the admin: each with links to their submitted visits."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html_join

from intake.models import Intake
from intake.review.access_log import AccessLoggedAdmin
from intake.review.read_only import ReadOnlyAdmin


class PatientAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    list_display = ["full_name", "date_of_birth", "clinic_reference", "visits"]
    search_fields = ["full_name", "clinic_reference"]
    ordering = ["full_name", "pk"]
    show_full_result_count = False
    fields = ["full_name", "date_of_birth", "clinic_reference", "created_at", "visit_links"]
    readonly_fields = fields

    def get_queryset(self, request):
        submitted = Q(intakes__status=Intake.Status.SUBMITTED)
        # A record joined to another (a confirmed match) has no visits of its own any more.
        return (
            super()
            .get_queryset(request)
            .filter(merged_into=None)
            .annotate(visits=Count("intakes", filter=submitted))
        )

    @admin.display(description="visits", ordering="visits")
    def visits(self, patient):
        return patient.visits

    @admin.display(description="visits")
    def visit_links(self, patient):
        visits = patient.intakes.submitted().order_by("submitted_at", "pk")
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((v.get_admin_url(), v.reference) for v in visits)
        )
