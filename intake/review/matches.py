"""Suggested matches in the admin: a clinician confirms that a new record is an existing
patient, or rejects it. Each decision is written to the access log (it shows both records)
and kept in the suggestion's history."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from intake.models import AccessLog, PatientMatch
from intake.patient_matching import confirm_match, reject_match
from intake.review.access_log import AccessLoggedAdmin, log_access
from intake.review.read_only import ReadOnlyAdmin


class PatientMatchAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    list_display = ["patient", "suggested_patient", "matched_on_words", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["patient", "suggested_patient"]
    ordering = ["-created_at", "-pk"]
    fields = [
        "patient",
        "suggested_patient",
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
