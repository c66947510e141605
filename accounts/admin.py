from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import Http404
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts.models import User

admin.site.register(User, UserAdmin)


class AuthenticatorAdmin(TOTPDeviceAdmin):
    """django-otp's authenticator admin, with no way to read a secret or probe for ids.

    Secrets stay hidden (OTP_ADMIN_HIDE_SENSITIVE_DATA), so the pages that would show the
    QR code and key serve nothing. A device this user may not see answers exactly as one
    that does not exist, 404, so ids cannot be told apart from outside.
    """

    def get_object(self, request, object_id, from_field=None):
        device = super().get_object(request, object_id, from_field)
        if device is None or not self.has_view_or_change_permission(request, device):
            raise Http404
        return device

    def config_view(self, request, pk):
        raise Http404

    def qrcode_view(self, request, pk):
        raise Http404


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, AuthenticatorAdmin)

# The job queue's own admin lists every job's arguments: an email's text and recipients,
# which no one should browse. Operators read the queue with `manage.py procrastinate`.
# (Its admin module is imported first: it comes before this app in INSTALLED_APPS.)
if admin.site.is_registered(ProcrastinateJob):
    admin.site.unregister(ProcrastinateJob)
