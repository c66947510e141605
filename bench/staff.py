"""Signing the bench's clinician in, without a password form.

Everything the bench knows about staff sign-in is in `staff_session()`: if sign-in changes,
adapt it here and every clinician scenario follows. It writes the session a real sign-in
leaves behind: Django's auth keys and, where two-factor sign-in (django-otp) is installed,
the key that marks the session as verified by a confirmed authenticator device, as
`django_otp.login()` does after a right code.
"""

from django.apps import apps
from django.conf import settings

USERNAME = "bench-admin"


def staff_session():
    """A fresh, fully signed-in session for a superuser in the bench database."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    user, created = User.objects.get_or_create(
        username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    if created or not (user.is_staff and user.is_superuser and user.is_active):
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_unusable_password()
        user.save()
    store = SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if apps.is_installed("django_otp.plugins.otp_totp"):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "bench"}
        )
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return {settings.SESSION_COOKIE_NAME: store.session_key}, user


def cookie_header(cookies):
    return "; ".join(f"{name}={value}" for name, value in cookies.items())
