from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff accounts"

    def ready(self):
        from accounts import known_device  # noqa: F401 (connects the sign-in signals)


class ClinicAdminConfig(admin_apps.AdminConfig):
    """The admin, with the site that asks clinicians for a second factor."""

    default = False
    default_site = "accounts.admin_site.ClinicAdminSite"
