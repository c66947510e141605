"""Staff are signed out after STAFF_IDLE_SECONDS without a staff page, by a clock of their own.

The session's expiry cannot be that clock: staff and a patient form opened in the same
browser share one session, the intake sets its expiry to the patient's idle time (30
minutes), and any request renews it. So the session also holds the time of the last staff
page; only staff pages move it, and a signed-in session whose last staff page is older
than the limit is signed out on its next request, whatever page that is.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

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
                logout(request)
        response = self.get_response(request)
        if is_staff_page(request) and request.user.is_authenticated:
            request.session[STAFF_SEEN_AT] = now
        return response
