import math

from django import forms
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intake.journey.forms import DateOfBirthFields
from intake.models import Intake, keyed_hash, normalise_resume_code


class ResumeForm(DateOfBirthFields):
    """Come back to a saved form with its code and the date of birth given in it."""

    # The page asks the code first; the list of problems names them in the same order.
    field_order = ["code", "dob_month", "dob_day", "dob_year"]

    code = forms.CharField(
        label=gettext_lazy("Your code"),
        max_length=40,
        help_text=gettext_lazy(
            "The code we showed you when you started, like ABCDE-FGHJK. Spaces and dashes "
            "do not matter."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={
            "required": gettext_lazy("Enter your code."),
            "max_length": gettext_lazy("Your code is 10 letters and numbers."),
        },
    )

    def clean_code(self):
        code = normalise_resume_code(self.cleaned_data["code"])
        if len(code) != 10:
            raise forms.ValidationError(
                _("Your code is 10 letters and numbers, like ABCDE-FGHJK."), code="invalid"
            )
        return code

    def clean(self):
        cleaned = super().clean()
        cleaned["date_of_birth"] = self.clean_date_of_birth(cleaned)
        return cleaned

    def already_sent(self):
        """True if this code and birth date belong to a form that was already sent.

        A patient who comes back after sending deserves to hear that it arrived,
        not that nothing was found. Says nothing about the answers.
        """
        intake = Intake.objects.filter(
            resume_code_hash=keyed_hash(self.cleaned_data["code"]),
            status=Intake.Status.SUBMITTED,
        ).first()
        return intake is not None and intake.date_of_birth == self.cleaned_data["date_of_birth"]

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
                    _(
                        "We cannot open this form with the code yet, because no date of birth "
                        "was saved in it. Use the private link we showed you, or start a new "
                        "form."
                    ),
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
        # The clock time in the page's own format: 4:05 p.m. in English, 16:05 in Spanish.
        clock_time = time_format(timezone.localtime(lock_ends_at))
        wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        self.add_error(
            None,
            forms.ValidationError(
                _(
                    "There have been too many tries with this code, so we have paused it to "
                    "keep your answers safe. Try again after %(time)s (in %(wait)s), or call "
                    "the clinic."
                )
                % {"time": clock_time, "wait": wait},
                code="paused",
            ),
        )

    def _no_match(self):
        self.add_error(
            None,
            forms.ValidationError(
                _(
                    "We could not find a saved form with that code and date of birth. Check them "
                    "and try again. If it still does not work, please call the clinic."
                ),
                code="no_match",
            ),
        )
