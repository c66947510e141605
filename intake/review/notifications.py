"""Telling the clinicians on duty that an urgent item waits (issue 10), sending it to them
again when nobody has reviewed it after URGENT_ESCALATION_MINUTES, and telling a colleague
that an item was handed to them (issue 24).

The email says only that an urgent item waits and links to it: no name, birth date,
answers or alert text, since email leaves the clinic's systems. It is queued in the
caller's transaction (see oih_site/tasks.py), so it goes out if and only if the screening
is stored, and a mail server that is down delays it but never the submission.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

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


ESCALATION_SUBJECT = "Still waiting: urgent item not yet reviewed"
ESCALATION_BODY = (
    "An urgent item has waited {waited} without a clinician's review.\n\n"
    "Open it here (sign-in needed):\n{link}\n\n"
    "This message holds no patient details.\n"
)
HAND_OFF_SUBJECT = "An item was handed to you"
HAND_OFF_BODY = (
    "{by} handed an item on the worklist to you, with a note.\n\n"
    "Open it here (sign-in needed) to read the note:\n{link}\n\n"
    "This message holds no patient details.\n"
)


def notify_hand_off(screening, clinician, by):
    """Queue the email telling `clinician` an item was handed to them; the job's id. The note
    stays on the page: it is free text and may name the patient."""
    return queue_email(
        subject=HAND_OFF_SUBJECT,
        body=HAND_OFF_BODY.format(
            by=by.get_full_name() or by.get_username() if by else "A colleague",
            link=intake_link(screening.intake),
        ),
        to=[clinician.email],
    )


def waited_words(delta):
    """ "2 h 5 min", "45 min", "3 days 2 h": how long an item has waited."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def escalate_unacknowledged_urgent(now=None):
    """Send each urgent item that nobody has reviewed URGENT_ESCALATION_MINUTES after it
    arrived to the duty list again, once; return the screenings escalated.

    Safer reading (the shared facts are silent): only a review acknowledges an urgent item;
    opening or assigning it does not. Run every few minutes (`manage.py escalate_urgent`,
    or the worker's periodic task)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(minutes=settings.URGENT_ESCALATION_MINUTES)
    with transaction.atomic():
        waiting = list(
            Screening.objects.needing_review()
            .filter(
                priority=Screening.Priority.URGENT,
                is_reviewed=False,
                escalated_at__isnull=True,
                intake_submitted_at__lte=since,
            )
            .select_related("intake")
            .select_for_update(of=("self",), skip_locked=True)
        )
        if not waiting:
            return []
        if not settings.URGENT_ALERT_EMAILS:
            logger.warning(
                "%s urgent item(s) unreviewed, but DJANGO_URGENT_ALERT_EMAILS names no one",
                len(waiting),
            )
            return []
        for screening in waiting:
            queue_email(
                subject=ESCALATION_SUBJECT,
                body=ESCALATION_BODY.format(
                    waited=waited_words(now - screening.intake_submitted_at),
                    link=intake_link(screening.intake),
                ),
                to=settings.URGENT_ALERT_EMAILS,
            )
        Screening.objects.filter(pk__in=[s.pk for s in waiting]).update(escalated_at=now)
    return waiting


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
