from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts.models import User

admin.site.register(User, UserAdmin)

# The job queue's own admin lists every job's arguments: an email's text and recipients,
# which no one should browse. Operators read the queue with `manage.py procrastinate`.
# (Its admin module is imported first: it comes before this app in INSTALLED_APPS.)
if admin.site.is_registered(ProcrastinateJob):
    admin.site.unregister(ProcrastinateJob)
