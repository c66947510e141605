"""Telling the clinicians on duty that an urgent item waits (issue 10).

The email says only that an urgent item waits and links to it: no name, birth date,
answers or alert text, since email leaves the clinic's systems. It is queued in the
caller's transaction (see oih_site/tasks.py), so it goes out if and only if the screening
is stored, and a mail server that is down delays it but never the submission.
"""

import logging

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from intake.models import Screening
from intake.screening.alerts import URGENT_ALERT_CODES
from oih_site.tasks import queue_email

logger = logging.getLogger(__name__)

URGENT_SUBJECT = "Urgent item waiting for review"
URGENT_BODY = (
    "An urgent item is waiting for a clinician's review.\n\n"
    "Open it here (sign-in needed):\n{link}\n\n"
    "This message holds no patient details.\n"
)


def is_urgent(alert):
    """A `critical` alert, or one known to be urgent from rules before 2026.2, which marked
    no alert `critical`."""
    return alert.get("indicator") == "critical" or alert["code"] in URGENT_ALERT_CODES


def urgent_codes(result):
    return {alert["code"] for alert in result["alerts"] if is_urgent(alert)}


def on_screenings_stored(sender, pairs, **kwargs):
    notify_new_urgent_alerts(pairs)


def notify_new_urgent_alerts(pairs):
    """Queue an email per intake among (intake, result) pairs whose urgent alert is new.

    Call after the results are stored as the current screenings, inside the same
    transaction. New means the intake's previous screening, if any, did not have it.
    Returns the ids of the jobs queued.
    """
    urgent = [(intake, codes) for intake, result in pairs if (codes := urgent_codes(result))]
    if not urgent:
        return []
    earlier = _previous_alert_codes([intake.pk for intake, _ in urgent])
    new = [intake for intake, codes in urgent if codes - set(earlier.get(intake.pk) or ())]
    if new and not settings.URGENT_ALERT_EMAILS:
        logger.warning(
            "%s urgent item(s) waiting, but DJANGO_URGENT_ALERT_EMAILS names no one to tell",
            len(new),
        )
        return []
    return [
        queue_email(
            subject=URGENT_SUBJECT,
            body=URGENT_BODY.format(link=intake_link(intake)),
            to=settings.URGENT_ALERT_EMAILS,
        )
        for intake in new
    ]


def intake_link(intake):
    """The absolute address of the intake's page in the admin."""
    return settings.SITE_URL + reverse("admin:intake_intake_change", args=[intake.pk])


def _previous_alert_codes(intake_ids):
    """Each intake's alert codes in the screening before its current one, by intake id."""
    latest_earlier = (
        Screening.objects.filter(intake_id=OuterRef("intake_id"), is_current=False)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    return dict(
        Screening.objects.filter(
            intake_id__in=intake_ids, is_current=False, pk=Subquery(latest_earlier)
        ).values_list("intake_id", "alert_codes")
    )
