#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    if sys.argv[1:2] == ["screen"]:
        # Pure rules: run before Django starts, so no settings are read and no database starts.
        from intake.screening.command_line import main as screen

        sys.exit(screen(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oih_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
