"""The authenticator (django-otp device) admin: no secret shown, no id to probe."""

import base64

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import login_staff, make_staff

pytestmark = pytest.mark.django_db
DEVICES = "/admin/otp_totp/totpdevice/"
PAGES = ("change/", "history/", "delete/", "config/", "qrcode/")


def signed_in(user):
    return login_staff(Client(raise_request_exception=False), user)


@pytest.fixture
def clinician_device():
    clinician = make_staff("clinician", "Clinicians")
    signed_in(clinician)  # enrols the clinician's authenticator
    return TOTPDevice.objects.get(user=clinician)


@pytest.mark.parametrize("role", ["Clinicians", "Content editors"])
def test_staff_without_access_get_404_for_a_device_that_exists_and_one_that_does_not(
    clinician_device, role
):
    client = signed_in(make_staff("colleague", role))
    missing = clinician_device.pk + 1000
    for page in PAGES:
        assert client.get(f"{DEVICES}{clinician_device.pk}/{page}").status_code == 404, page
        assert client.get(f"{DEVICES}{missing}/{page}").status_code == 404, page


def test_a_superuser_never_sees_a_clinicians_secret(clinician_device):
    client = signed_in(make_staff("boss", is_superuser=True))
    change = client.get(f"{DEVICES}{clinician_device.pk}/change/")
    assert change.status_code == 200
    page = change.content.decode()
    assert "clinician" in page
    assert clinician_device.key not in page
    assert base64.b32encode(clinician_device.bin_key).decode().rstrip("=") not in page
    assert "qrcode" not in client.get(DEVICES).content.decode()
    for page in ("config/", "qrcode/"):
        assert client.get(f"{DEVICES}{clinician_device.pk}/{page}").status_code == 404, page
    assert client.get(f"{DEVICES}{clinician_device.pk + 1000}/change/").status_code == 404
