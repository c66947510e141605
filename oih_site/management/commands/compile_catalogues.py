"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po) to the .mo files Django reads.

Django's own `compilemessages` needs GNU gettext's msgfmt, which a fresh machine may not
have; polib (pure Python, pinned) does the same job, so `make run`, `make test` and a
deploy need nothing beyond the virtualenv. The .mo files are build output, kept out of git.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def compile_catalogues(locale_dirs=None):
    """Write each .po file's .mo beside it when missing or older; return the paths written."""
    written = []
    for locale_dir in locale_dirs or settings.LOCALE_PATHS:
        for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            # Fuzzy entries are guesses nobody has checked: like msgfmt, leave them out.
            catalogue = polib.pofile(str(po_path))
            for entry in catalogue.fuzzy_entries():
                catalogue.remove(entry)
            catalogue.save_as_mofile(str(mo_path))
            written.append(mo_path)
    return written


class Command(BaseCommand):
    help = "Compile the .po translation catalogues to .mo files (no GNU gettext needed)."

    def handle(self, *args, **options):
        written = compile_catalogues()
        for path in written:
            self.stdout.write(f"Compiled {path}")
        if not written:
            self.stdout.write("Catalogues are up to date.")
