"""The review form on the intake page: the clinician's conclusion about a screening.

The rules a review must keep are `Review.clean()`'s; this form only lays the fields out.
"""

from django import forms

from intake.models import MAX_TEXT_LENGTH, Review


class ReviewForm(forms.ModelForm):
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

    class Meta:
        model = Review
        fields = ["decision", "override_reason", "note"]
