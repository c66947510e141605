import subprocess

from django.core.management.base import BaseCommand, CommandError

from oih_site.backups import restore


class Command(BaseCommand):
    help = "Restore a pg_dump backup into the database, replacing its contents."

    def add_arguments(self, parser):
        parser.add_argument("dump", help="A file written by backup_database.")
        parser.add_argument("--database-url", help="Restore here instead of the configured DB.")
        parser.add_argument("--yes", action="store_true", help="Confirm replacing the data.")

    def handle(self, *args, dump, database_url=None, yes=False, **options):
        if not yes:
            raise CommandError("Restoring replaces the data in the database: add --yes to confirm.")
        try:
            restore(dump, database_url)
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_restore failed: {error.stderr.strip()[-500:]}") from error
        self.stdout.write(f"Restored {dump}.")
