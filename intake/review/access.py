"""Who may see what of the clinicians' side, in one place.

The clinicians' own pages (the intake page, the printable summary, the follow-up page, the
dashboard, a patient's FHIR download) ask `may_see` and reach an intake through
`intake_for`, on Django's public API only. The admin's lists and records of patient data are
`ReadOnlyAdmin`s: shown to those with view permission, never added, changed or deleted there.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from intake.models import Intake


def may_see(user, model_name="intake"):
    """As the admin's view permission on the model: view or change."""
    return user.has_perm(f"intake.view_{model_name}") or user.has_perm(
        f"intake.change_{model_name}"
    )


def intake_for(request, object_id, *, permission=None):
    """(the intake, None), or (None, the answer to give): a redirect to the admin's index with
    a message when there is no such submitted intake. PermissionDenied without the right to
    see it (or `permission`, when the page needs more than seeing)."""
    allowed = request.user.has_perm(permission) if permission else may_see(request.user)
    if not allowed:
        raise PermissionDenied
    # Unfinished forms stay the patient's until they are submitted.
    intakes = Intake.objects.submitted().select_related("patient", "previous_intake")
    try:
        intake = intakes.filter(pk=unquote(object_id)).first()
    except (ValueError, ValidationError):
        intake = None  # not an id at all ("abc")
    if intake is None:
        messages.warning(
            request, f"There is no intake with ID “{object_id}”. Perhaps it was deleted?"
        )
        return None, redirect("admin:index")
    return intake, None


class ReadOnlyAdmin(admin.ModelAdmin):
    """The base of every admin of patient data. Patient answers and screening results are not
    edited in the admin, by superusers either; the clinician's one write is the review, on
    the intake page."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
