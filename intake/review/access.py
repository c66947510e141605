"""The one way a clinician's page reaches an intake: the staff member's right to see it, and
what they are told when it is not there, through Django's public API only (no ModelAdmin
internals), for the intake page, the printable summary and the follow-up page."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from intake.models import Intake


def may_see_intakes(user):
    """As the admin's view permission: view or change."""
    return user.has_perm("intake.view_intake") or user.has_perm("intake.change_intake")


def intake_for(request, object_id, queryset=None, *, permission=None):
    """(the intake, None), or (None, the answer to give): a redirect to the admin's index with
    a message when there is no such intake. PermissionDenied without the right to see it
    (or `permission`, when the page needs more than seeing)."""
    allowed = request.user.has_perm(permission) if permission else may_see_intakes(request.user)
    if not allowed:
        raise PermissionDenied
    queryset = Intake.objects.all() if queryset is None else queryset
    try:
        intake = queryset.filter(pk=unquote(object_id)).first()
    except (ValueError, ValidationError):
        intake = None  # not an id at all ("abc")
    if intake is None:
        messages.warning(
            request, f"There is no intake with ID “{object_id}”. Perhaps it was deleted?"
        )
        return None, redirect("admin:index")
    return intake, None
