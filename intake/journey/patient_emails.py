"""Emails a patient's own page sends, within limits: per intake, per address, per client.

Each one sent is recorded (`PatientEmail`, hashes only) in the transaction that queues it;
the intake's row is locked meanwhile, so that racing clicks cannot slip past the count.
"""

from django.db import transaction

from intake.models import Intake, PatientEmail, email_hash, keyed_hash
from oih_site.client_address import client_address
from oih_site.tasks import queue_email


@transaction.atomic
def send_within_limits(request, intake, kind, *, subject, body):
    """Queue the email to the intake's address if the limits allow; return whether it was."""
    Intake.objects.select_for_update().filter(pk=intake.pk).first()
    client = client_address(request)
    if not PatientEmail.objects.allow(intake, intake.email, client):
        return False
    PatientEmail.objects.create(
        kind=kind,
        intake=intake,
        address_hash=email_hash(intake.email),
        client_hash=keyed_hash(client),
    )
    queue_email(subject=subject, body=body, to=[intake.email])
    return True
