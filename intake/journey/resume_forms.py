import math

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as date_format

from intake.journey.forms import DateOfBirthFields
from intake.models import Intake, keyed_hash, normalise_resume_code


class ResumeForm(DateOfBirthFields):
    """Come back to a saved form with its code and the date of birth given in it."""

    code = forms.CharField(
        label="Your code",
        max_length=40,
        help_text="The code we showed you when you started, like ABCDE-FGHJK. Spaces and dashes "
        "do not matter.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Enter your code.",
            "max_length": "Your code is 10 letters and numbers.",
        },
    )

    def clean_code(self):
        code = normalise_resume_code(self.cleaned_data["code"])
        if len(code) != 10:
            raise forms.ValidationError(
                "Your code is 10 letters and numbers, like ABCDE-FGHJK.", code="invalid"
            )
        return code

    def clean(self):
        cleaned = super().clean()
        cleaned["date_of_birth"] = self.clean_date_of_birth(cleaned)
        return cleaned

    def matching_intake(self):
        """The unfinished intake for this code and birth date, or None with the reason why."""
        intake = Intake.objects.filter(
            resume_code_hash=keyed_hash(self.cleaned_data["code"]),
            status=Intake.Status.IN_PROGRESS,
            expires_at__gt=timezone.now(),
        ).first()
        if intake is None:
            self._no_match()
            return None
        lock_ends_at = intake.resume_lock_ends_at()
        if lock_ends_at is not None:
            self._paused_until(lock_ends_at)
            return None
        if intake.date_of_birth is None:
            # The code alone would open it with any birth date: only the private link may.
            self.add_error(
                None,
                forms.ValidationError(
                    "We cannot open this form with the code yet, because no date of birth "
                    "was saved in it. Use the private link we showed you, or start a new form.",
                    code="no_birth_date",
                ),
            )
            return None
        if intake.date_of_birth != self.cleaned_data["date_of_birth"]:
            intake.record_wrong_birth_date()
            intake.refresh_from_db(fields=["resume_locked_until"])
            lock_ends_at = intake.resume_lock_ends_at()
            if lock_ends_at is not None:
                self._paused_until(lock_ends_at)
            else:
                self._no_match()
            return None
        intake.record_resumed()
        return intake

    def _paused_until(self, lock_ends_at):
        minutes = max(1, math.ceil((lock_ends_at - timezone.now()).total_seconds() / 60))
        clock_time = date_format(timezone.localtime(lock_ends_at), "g:i A")
        wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
        self.add_error(
            None,
            forms.ValidationError(
                f"There have been too many tries with this code, so we have paused it to keep "
                f"your answers safe. Try again after {clock_time} (in {wait}), "
                "or call the clinic.",
                code="paused",
            ),
        )

    def _no_match(self):
        self.add_error(
            None,
            forms.ValidationError(
                "We could not find a saved form with that code and date of birth. Check them and try "
                "again. If it still does not work, please call the clinic.",
                code="no_match",
            ),
        )
