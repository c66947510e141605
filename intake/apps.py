from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Patient intake"

    def ready(self):
        # The urgent email follows every stored screening; the write path only announces it.
        from intake.review import notifications
        from intake.signals import screenings_stored

        screenings_stored.connect(
            notifications.on_screenings_stored, dispatch_uid="urgent-alert-emails"
        )
