"""Known devices: a browser that signed in to an account before keeps a signed cookie naming
that account, so a lockout of the address it shares (a clinic behind one address, where a
guesser on the same network could lock everyone out) does not stop it.

The lockout itself counts wrong passwords per client address (settings.AXES_*): five misses
pause that client, for every account, and never another client. A wrong password from a
known device makes it a stranger again (its cookie is removed), so a copied cookie buys at
most one guess past the lockout.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.dispatch import receiver

COOKIE = "oih_known_device"
SALT = "accounts.known_device"
MAX_AGE_SECONDS = 90 * 24 * 3600


def is_known_device(request, credentials=None):
    """AXES_WHITELIST_CALLABLE: whether this browser signed in to the account it names now."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    value = request.COOKIES.get(COOKIE)
    if not value or not username:
        return False
    try:
        known = signing.loads(value, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    return known == username


@receiver(user_logged_in)
def remember_device(sender, request, user, **kwargs):
    if request is not None:
        request.known_device_update = signing.dumps(user.get_username(), salt=SALT)


@receiver(user_login_failed)
def forget_device(sender, credentials, request=None, **kwargs):
    if request is not None and COOKIE in request.COOKIES:
        request.known_device_update = ""


class KnownDeviceMiddleware:
    """Writes (or removes) the cookie the sign-in signals asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        update = getattr(request, "known_device_update", None)
        if update:
            response.set_cookie(
                COOKIE,
                update,
                max_age=MAX_AGE_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        elif update == "":
            response.delete_cookie(COOKIE, samesite="Lax")
        return response
