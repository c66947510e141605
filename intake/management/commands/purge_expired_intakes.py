"""`manage.py purge_expired_intakes [--dry-run]`: delete unfinished intakes past their expiry,
and the counts of failed resumes and patient emails that no limit reads any more."""

from django.core.management.base import BaseCommand

from intake.models import Intake, PatientEmail, ResumeAttempt
from intake.submission import purge_expired


class Command(BaseCommand):
    help = "Delete unfinished intakes whose expiry has passed; submitted intakes are never touched."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            count = Intake.objects.expired().count()
            self.stdout.write(f"{count} expired unfinished intake(s) would be deleted.")
        else:
            count = purge_expired()
            self.stdout.write(f"Deleted {count} expired unfinished intake(s).")
            ResumeAttempt.objects.stale().delete()
            PatientEmail.objects.stale().delete()
