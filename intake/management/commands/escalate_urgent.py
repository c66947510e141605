"""Send urgent items nobody has reviewed in time to the duty list again (run it from cron
every few minutes): `manage.py escalate_urgent`."""

from django.core.management.base import BaseCommand

from intake.review.notifications import escalate_unacknowledged_urgent


class Command(BaseCommand):
    help = (
        "Email the duty list again about urgent items still unreviewed "
        "DJANGO_URGENT_ESCALATION_MINUTES after they arrived (once each)."
    )

    def handle(self, *args, **options):
        escalated = escalate_unacknowledged_urgent()
        self.stdout.write(f"{len(escalated)} urgent item(s) sent to the duty list again.")
