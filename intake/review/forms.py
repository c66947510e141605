"""The review form on the intake page: the clinician's conclusion about a screening."""

from django import forms

from intake.models import MAX_TEXT_LENGTH, Review
from intake.review import recording


class ReviewForm(forms.Form):
    # Which screening the clinician saw: a rescreen in between must not be reviewed unseen.
    screening = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Your conclusion", choices=Review.Decision.choices, widget=forms.RadioSelect
    )
    override_reason = forms.ChoiceField(
        label="Reason for overriding",
        choices=[("", "Choose a reason"), *Review.OverrideReason.choices],
        required=False,
        help_text="Needed when you override.",
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        help_text=f'Optional; needed when the reason is "Other". Up to {MAX_TEXT_LENGTH} characters.',
    )

    def clean(self):
        data = super().clean()
        if "decision" in data:
            errors = recording.review_errors(
                data["decision"], data.get("override_reason", ""), data.get("note", "")
            )
            for field, error in errors.items():
                if field not in self.errors:
                    self.add_error(field, error)
        return data
