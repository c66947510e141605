"""The forms on the intake page: the review (one for the OIH result and the alerts), and the
assignment of an item to a clinician.

The rules a review must keep are `Review.clean()`'s; the review form only lays the fields
out, showing the conclusion on the OIH level only where there is one.
"""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model

from intake.choices import DoseUnit
from intake.models import DEFAULT_FOLLOW_UP_DAYS, MAX_TEXT_LENGTH, Review

CLINICIANS_GROUP = "Clinicians"


class ReviewForm(forms.ModelForm):
    # Which screening the clinician saw: a rescreen in between must not be reviewed unseen.
    screening = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Your conclusion on the OIH result",
        choices=Review.Decision.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    action = forms.ChoiceField(
        label="What was done",
        choices=Review.Action.choices,
        widget=forms.RadioSelect,
        required=False,
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
        help_text=(
            'Needed when the reason is "Other" or no action is taken. '
            f"Up to {MAX_TEXT_LENGTH} characters."
        ),
    )

    follow_up_due = forms.DateField(
        label="Follow up by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=(
            f'With "Needs follow-up": the item comes back to the top on this date '
            f"({DEFAULT_FOLLOW_UP_DAYS} days from today if left empty)."
        ),
    )

    class Meta:
        model = Review
        fields = ["decision", "action", "override_reason", "note", "follow_up_due"]

    def __init__(self, *args, screening, has_correction=None, **kwargs):
        if kwargs.get("instance") is None:
            kwargs["instance"] = Review(screening=screening)
        super().__init__(*args, **kwargs)
        if not screening.has_oih_level:
            # Alerts only: there is no OIH level to accept or override.
            for name in ("decision", "override_reason", "follow_up_due"):
                del self.fields[name]
        if not screening.alerts_to_review:
            self.fields["action"].label = "What was done (optional)"
        if has_correction is None:
            has_correction = screening.intake.corrections.exists()
        if not has_correction:
            # "Data corrected" only where an answer was corrected (corrections.py).
            self.fields["action"].choices = [
                choice
                for choice in self.fields["action"].choices
                if choice[0] != Review.Action.DATA_CORRECTED
            ]


class CorrectionForm(forms.Form):
    """A medicine's daily dose and unit, corrected with a reason."""

    medicine = forms.TypedChoiceField(label="Medicine to correct", coerce=int)
    daily_dose = forms.DecimalField(
        label="Corrected daily dose",
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        error_messages={"min_value": "The dose must be more than 0."},
    )
    unit = forms.ChoiceField(label="Unit", choices=DoseUnit.choices)
    reason = forms.CharField(
        label="Reason for the correction",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_TEXT_LENGTH,
        help_text="Needed. The original answer is kept.",
        error_messages={"required": "Say why the answer is corrected."},
    )

    def __init__(self, *args, medicines, **kwargs):
        super().__init__(*args, **kwargs)
        self.medicines = {medicine.pk: medicine for medicine in medicines}
        self.fields["medicine"].choices = [
            (
                medicine.pk,
                f"{medicine.display_name}: {medicine.daily_dose.normalize():f} {medicine.unit}",
            )
            for medicine in medicines
        ]

    def clean_medicine(self):
        return self.medicines[self.cleaned_data["medicine"]]


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label="Assign to",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Nobody",
    )
    handoff_note = forms.CharField(
        label="Message for your colleague (hand-off)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        help_text="What your colleague should know. They get an email with a link.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = (
            get_user_model()
            .objects.filter(groups__name=CLINICIANS_GROUP, is_active=True)
            .order_by("username")
        )
