"""Staff are signed out after STAFF_IDLE_SECONDS without a staff page, by a clock of their own.

The session's expiry cannot be that clock: staff and a patient form opened in the same
browser share one session, the intake sets its expiry to the patient's idle time (30
minutes), and any request renews it. So the session also holds the time of the last staff
page; only staff pages move it, and a signed-in session whose last staff page is older
than the limit is signed out on its next request, whatever page that is.

Signing out removes the staff sign-in from the session, not the session itself: a patient
form open in the same browser carries on (its key is renewed, as at any sign-out).
"""

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    user_logged_out,
)
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

STAFF_SEEN_AT = "staff_seen_at"


def is_staff_page(request):
    return request.path_info.startswith("/" + settings.ADMIN_URL)


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = int(timezone.now().timestamp())
        # No session cookie, no signed-in member of staff: spare the session lookup.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            seen_at = request.session.get(STAFF_SEEN_AT)
            if seen_at is not None and now - seen_at > settings.STAFF_IDLE_SECONDS:
                sign_out_staff_only(request)
        response = self.get_response(request)
        if is_staff_page(request) and request.user.is_authenticated:
            request.session[STAFF_SEEN_AT] = now
        return response


def sign_out_staff_only(request):
    """What `logout` does for the staff sign-in, keeping the rest of the session."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        user_logged_out.send(sender=user.__class__, request=request, user=user)
    for key in (SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY, DEVICE_ID_SESSION_KEY):
        request.session.pop(key, None)
    request.session.pop(STAFF_SEEN_AT, None)
    request.session.cycle_key()
    request.user = AnonymousUser()
