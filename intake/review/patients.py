"""Patients in the admin: each with links to their submitted visits, and a download of their
visits as FHIR (`fhir_download`, a view of its own)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from intake.exchange.export import Export
from intake.models import AccessLog, Intake, Patient
from intake.review import access
from intake.review.access import ReadOnlyAdmin
from intake.review.access_log import AccessLoggedAdmin, log_access


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


def fhir_download(request, object_id):
    """The patient's visits as a FHIR R4 Bundle, downloaded; logged as an export."""
    if not access.may_see(request.user, "patient"):
        raise PermissionDenied
    # A record joined to another (a confirmed match) is reached through the one it joined.
    try:
        patient = Patient.objects.filter(pk=unquote(object_id), merged_into=None).first()
    except (ValueError, ValidationError):
        patient = None  # not an id at all ("abc")
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
