"""Emails a patient's own page sends, within limits: per intake, per address, per client.

Each one sent is recorded (`PatientEmail`, hashes only) in the transaction that queues it;
the intake's row is locked meanwhile, so that racing clicks cannot slip past the count.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from intake.models import Intake, PatientEmail, email_hash, keyed_hash
from oih_site.client_address import client_address
from oih_site.tasks import queue_email

# The same email asked for again within this time is the second tap of a double tap: it was
# sent once, and the second tap is answered as the first was.
SAME_REQUEST = datetime.timedelta(seconds=60)


@transaction.atomic
def send_within_limits(request, intake, kind, *, subject, body):
    """Queue the email to the intake's address if the limits allow; return whether it was
    (or was, moments ago, by the first tap of a double tap: that one email is the answer)."""
    Intake.objects.select_for_update().filter(pk=intake.pk).first()
    just_sent = PatientEmail.objects.filter(
        intake=intake, kind=kind, sent_at__gte=timezone.now() - SAME_REQUEST
    )
    if just_sent.exists():
        return True
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
