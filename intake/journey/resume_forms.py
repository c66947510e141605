from django import forms
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.journey.forms import DateOfBirthFields
from intake.models import Intake, keyed_hash, normalise_resume_code


class ResumeForm(DateOfBirthFields):
    """Come back to a saved form with its code and the date of birth given in it."""

    code = forms.CharField(
        label=_("Your code"),
        max_length=40,
        help_text=_(
            "The code we showed you when you started, like ABCDE-FGHJK. Spaces and dashes "
            "do not matter."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter your code."),
            "max_length": _("Your code is 10 letters and numbers."),
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
        """The unfinished intake for this code and birth date, or None (counting the miss)."""
        intake = Intake.objects.filter(
            resume_code_hash=keyed_hash(self.cleaned_data["code"]),
            status=Intake.Status.IN_PROGRESS,
            expires_at__gt=timezone.now(),
        ).first()
        if intake is None or intake.failed_resume_attempts >= settings.RESUME_ATTEMPTS_PER_CODE:
            self._no_match()
            return None
        birth = intake.date_of_birth
        if birth is not None and birth != self.cleaned_data["date_of_birth"]:
            Intake.objects.filter(pk=intake.pk).update(
                failed_resume_attempts=F("failed_resume_attempts") + 1
            )
            self._no_match()
            return None
        Intake.objects.filter(pk=intake.pk).update(failed_resume_attempts=0)
        return intake

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
