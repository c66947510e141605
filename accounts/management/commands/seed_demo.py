import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.roles import CLINICIANS, CONTENT_EDITORS

DEMO_USERS = [
    ("demo-clinician", CLINICIANS),
    ("demo-editor", CONTENT_EDITORS),
]


class Command(BaseCommand):
    help = "Create a demo clinician and a demo editor with new one-time passwords (debug only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates known accounts: it runs only with DJANGO_DEBUG=1."
            )
        for username, group_name in DEMO_USERS:
            group, _ = Group.objects.get_or_create(name=group_name)
            user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_staff = True
            user.save()
            user.groups.set([group])
            self.stdout.write(f"{group_name}: user {username}, password {password}")
