"""Background jobs, run by `manage.py procrastinate worker` from a queue kept in PostgreSQL.

Emails go out here, never from a request: a page does not wait for a mail server, and a
failed send is retried with growing waits. To send one, from anywhere:

    from oih_site.tasks import queue_email
    queue_email(subject="...", body="...", to=["someone@example.org"])

Inside a `transaction.atomic()` block the job is written in that same transaction, through
Django's own connection: it exists if and only if the rest is committed, and the worker
sees it only then. Keep patient answers out of emails; a link to a signed-in page is enough.
"""

import logging
import smtplib

from django.core.mail import EmailMessage
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

logger = logging.getLogger(__name__)


class EmailNotSent(Exception):
    """A send that failed for a reason worth retrying (the server was down, busy or slow)."""


# Up to 12 retries, after waits of 2, 4, 8 ... 4096 seconds: a mail server that is back
# within about two hours still gets the message; after that the job is kept as failed.
EMAIL_RETRY = RetryStrategy(max_attempts=12, exponential_wait=2, retry_exceptions={EmailNotSent})


@app.task(name="send_email", retry=EMAIL_RETRY, pass_context=True)
def send_email(context, *, subject, body, to):
    """Send one plain-text email through Django's email framework (settings.EMAIL_*)."""
    try:
        EmailMessage(subject=subject, body=body, to=to).send()
    except (smtplib.SMTPException, OSError) as error:
        # Logged by kind only: the error's text may repeat the recipients' addresses.
        logger.warning(
            "Email job %s not sent (attempt %s): %s",
            context.job.id,
            context.job.attempts + 1,
            type(error).__name__,
        )
        raise EmailNotSent(type(error).__name__) from None


def queue_email(*, subject, body, to):
    """Queue a plain-text email to the addresses in `to`; return the job's id."""
    return send_email.defer(subject=subject, body=body, to=list(to))
