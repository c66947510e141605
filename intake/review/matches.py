"""Suggested matches in the admin: a clinician confirms that a new record is an existing
patient, or rejects it. Each decision is written to the access log (it shows both records)
and kept in the suggestion's history."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html, format_html_join

from intake.models import AccessLog, PatientMatch
from intake.patient_matching import confirm_match, reject_match
from intake.review.access import ReadOnlyAdmin
from intake.review.access_log import AccessLoggedAdmin, log_access


class PatientMatchAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    list_display = ["patient", "suggested_patient", "matched_on_words", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["patient", "suggested_patient"]
    ordering = ["-created_at", "-pk"]
    fields = [
        "patient",
        "new_record",
        "suggested_patient",
        "existing_record",
        "matched_on",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields
    actions = ["confirm_matches", "reject_matches"]

    def has_decide_permission(self, request):
        return request.user.has_perm("intake.change_patientmatch")

    @admin.display(description="its visits (typed identity)")
    def new_record(self, match):
        return _record(match.patient)

    @admin.display(description="the existing record's visits")
    def existing_record(self, match):
        return _record(match.suggested_patient)

    @admin.display(description="matched on")
    def matched_on_words(self, match):
        return ", ".join(PatientMatch.MatchedOn(code).label for code in match.matched_on)

    @admin.action(
        description="Confirm: the same person (joins the records)", permissions=["decide"]
    )
    def confirm_matches(self, request, queryset):
        self._decide(request, queryset, confirm_match, "confirm_match")

    @admin.action(description="Reject: not the same person", permissions=["decide"])
    def reject_matches(self, request, queryset):
        self._decide(request, queryset, reject_match, "reject_match")

    def _decide(self, request, queryset, decide, action):
        if not self.has_decide_permission(request):
            raise PermissionDenied
        decided = 0
        for match in queryset.filter(status=PatientMatch.Status.SUGGESTED):
            decide(match, request.user)
            for patient in (match.patient, match.suggested_patient):
                log_access(
                    request,
                    AccessLog.What.RECORD,
                    subject="patient",
                    action=action,
                    patient=patient,
                )
            decided += 1
        self.message_user(request, f"{decided} suggestion(s) decided.", messages.SUCCESS)


def _record(patient):
    """Name, birth date, clinic number and visit links, for the clinician to compare."""
    visits = patient.intakes.submitted().order_by("submitted_at", "pk")
    return format_html(
        "{} · {} · {}<br>{}",
        patient.full_name or "-",
        patient.date_of_birth or "-",
        patient.clinic_reference or "-",
        format_html_join(
            ", ", '<a href="{}">{}</a>', ((v.get_admin_url(), v.reference) for v in visits)
        )
        or "no visits",
    )
