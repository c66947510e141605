from django.core.management.base import BaseCommand
from django.utils import timezone

from oih_site.backups import backup


class Command(BaseCommand):
    help = "Dump the whole database (intakes, reviews, articles, users) with pg_dump."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Dump file. Default: backups/oih-<time>.dump")

    def handle(self, *args, output=None, **options):
        path = output or f"backups/oih-{timezone.now():%Y%m%d-%H%M%S}.dump"
        self.stdout.write(f"Backup written to {backup(path)}")
