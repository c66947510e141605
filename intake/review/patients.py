"""Patients in the admin: each with links to their submitted visits."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from intake.exchange.export import Export
from intake.models import AccessLog, Intake
from intake.review.access_log import AccessLoggedAdmin, log_access
from intake.review.read_only import ReadOnlyAdmin


class PatientAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    list_display = ["full_name", "date_of_birth", "clinic_reference", "visits"]
    search_fields = ["full_name", "clinic_reference"]
    ordering = ["full_name", "pk"]
    show_full_result_count = False
    fields = [
        "full_name",
        "date_of_birth",
        "clinic_reference",
        "created_at",
        "visit_links",
        "fhir_export",
    ]
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

    def get_urls(self):
        export = path(
            "<path:object_id>/fhir/",
            self.admin_site.admin_view(self.fhir_export_view),
            name="intake_patient_fhir",
        )
        return [export, *super().get_urls()]

    def fhir_export_view(self, request, object_id):
        """The patient's visits as a FHIR R4 Bundle, downloaded; logged as an export."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        patient = self.get_object(request, unquote(object_id))
        if patient is None:
            raise Http404
        export = Export(report_invalid=lambda intake, error: None, intakes=patient.intakes.all())
        body = "".join(export.fhir_chunks(timezone.now().isoformat()))
        log_access(
            request,
            AccessLog.What.EXPORT,
            subject="patient",
            patient=patient,
            record_count=export.exported,
            action="export",
        )
        response = HttpResponse(body, content_type="application/fhir+json")
        response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}-fhir.json"'
        return response

    @admin.display(description="FHIR R4")
    def fhir_export(self, patient):
        return format_html(
            '<a href="{}">Download this patient\'s visits as FHIR (JSON)</a>',
            reverse("admin:intake_patient_fhir", args=[patient.pk]),
        )

    @admin.display(description="visits")
    def visit_links(self, patient):
        visits = patient.intakes.submitted().order_by("submitted_at", "pk")
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((v.get_admin_url(), v.reference) for v in visits)
        )
