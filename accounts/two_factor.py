"""A second factor for staff who can see patient data: time-based one-time passwords.

On first sign-in such a user enrols an authenticator app (a QR code or a typed
key), confirmed by a first code; after that every sign-in asks for a code.
Built on django-otp, whose TOTP device and session verification are used as is.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

ISSUER = "Pain clinic"


def requires_two_factor(user):
    """Anyone who can open a patient's intake needs a second factor."""
    return user.is_active and user.is_staff and user.has_perm("intake.view_intake")


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label="Code from your authenticator app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={
            "required": "Enter the 6-digit code.",
            "min_length": "The code has 6 digits.",
            "max_length": "The code has 6 digits.",
        },
    )

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip()
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(
                "That code is not right or has expired. Enter the newest code.", code="invalid"
            )
        return token


def landing_page(user):
    """Where a signed-in member of staff starts: a clinician's day starts at the worklist."""
    if user.has_perm("intake.view_screening"):
        return reverse("admin:intake_screening_changelist")
    return reverse("admin:index")


def _qr_svg(device):
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return mark_safe(buffer.getvalue().decode())  # Generated here from our own data.


def verify(request, admin_site):
    """Ask a signed-in member of staff for a code, enrolling their first device if needed."""
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        return redirect("admin:login")
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "Authenticator app"}
        )
    form = TokenForm(device, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if enrolling:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        # The index is where the admin sends anyone who opened /admin/: no page of their own.
        if not next_url or next_url == reverse("admin:index"):
            next_url = landing_page(user)
        return redirect(next_url)
    context = {
        **admin_site.each_context(request),
        "title": "Set up sign-in codes" if enrolling else "Enter your sign-in code",
        "form": form,
        "enrolling": enrolling,
        "next": next_url,
        "qr_svg": _qr_svg(device) if enrolling else None,
        "base32_secret": _base32(device.bin_key) if enrolling else None,
    }
    return render(request, "admin/two_factor.html", context)


def _base32(key):
    return base64.b32encode(key).decode().rstrip("=")
