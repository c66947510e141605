"""The intake's forms, one per step. Messages are written for a patient, not a developer."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from intake.choices import (
    BetweenDoses,
    BodyRegion,
    DoseChange,
    MisuseSign,
    PainQuality,
    PainResponse,
    WithdrawalSymptom,
)
from intake.models import MAX_TEXT_LENGTH, Intake, without_control_characters

OLDEST_BIRTH_YEAR = 1900
SCORE_CHOICES = [(n, str(n)) for n in range(11)]
YES_NO = [(True, "Yes"), (False, "No")]


def clean_text(value):
    return without_control_characters(value or "").strip()


class PatientInputMixin:
    """Drops control characters from everything typed, before any field validates.

    A pasted NUL, bell, byte order mark or right-to-left override is never meant; dropping
    it beats an error no patient could understand (see `without_control_characters`).
    """

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            for key in list(data.keys()):
                data.setlist(
                    key,
                    [
                        without_control_characters(v) if isinstance(v, str) else v
                        for v in data.getlist(key)
                    ],
                )
        super().__init__(data, *args, **kwargs)


def score_field(label, help_text):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a number from 0 to 10.",
            "invalid_choice": "Choose a number from 0 to 10.",
        },
    )


def yes_no_field(label, help_text="", required=True):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        required=required,
        coerce=lambda value: value in (True, "True"),
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no.", "invalid_choice": "Choose yes or no."},
    )


def checkbox_field(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose only from the boxes shown."},
    )


def radio_field(label, choices, help_text="", required_message="Choose one answer."):
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": required_message,
            "invalid_choice": "Choose one of the answers shown.",
        },
    )


def months_from(years, months):
    """A years-and-months answer as a number of months, or None if both are empty."""
    if years is None and months is None:
        return None
    return Decimal(years or 0) * 12 + Decimal(months or 0)


def years_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
        error_messages={
            "invalid": "Enter years as a whole number, like 2.",
            "min_value": "Years cannot be less than 0.",
            "max_value": "Enter 99 years or fewer.",
        },
    )


def months_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=11,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
        error_messages={
            "invalid": "Enter months as a whole number, like 6.",
            "min_value": "Months cannot be less than 0.",
            "max_value": "Enter 11 months or fewer. For 12 months, enter 1 year.",
        },
    )


class ConsentForm(PatientInputMixin, forms.Form):
    consent = forms.BooleanField(
        label="I agree to share my answers with the pain clinic team.",
        error_messages={
            "required": "Tick the box to say you agree to share your answers. "
            "Without it, we cannot use the form."
        },
    )
    start_token = forms.UUIDField(widget=forms.HiddenInput, required=False)


class DateOfBirthFields(PatientInputMixin, forms.Form):
    """Day, month and year boxes, as people write a birth date (GOV.UK date input)."""

    dob_day = forms.IntegerField(
        label="Day",
        min_value=1,
        max_value=31,
        widget=forms.NumberInput(attrs={"autocomplete": "bday-day", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the day you were born.",
            "invalid": "Enter the day as a number, like 27.",
            "min_value": "The day must be from 1 to 31.",
            "max_value": "The day must be from 1 to 31.",
        },
    )
    dob_month = forms.IntegerField(
        label="Month",
        min_value=1,
        max_value=12,
        widget=forms.NumberInput(attrs={"autocomplete": "bday-month", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the month you were born.",
            "invalid": "Enter the month as a number, like 3 for March.",
            "min_value": "The month must be from 1 to 12.",
            "max_value": "The month must be from 1 to 12.",
        },
    )
    dob_year = forms.IntegerField(
        label="Year",
        widget=forms.NumberInput(attrs={"autocomplete": "bday-year", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the year you were born.",
            "invalid": "Enter the year as 4 numbers, like 1967.",
        },
    )

    def date_of_birth_fields(self):
        return [self["dob_day"], self["dob_month"], self["dob_year"]]

    def clean_date_of_birth(self, cleaned):
        """The date the three boxes make, or None with an error at the boxes."""
        day, month, year = (cleaned.get(k) for k in ("dob_day", "dob_month", "dob_year"))
        if None in (day, month, year):
            return None
        # The year is checked on its own first, so that a year no calendar holds (0, -1,
        # 10000, or 19 digits, which overflows date building) gets its message at the year
        # box, never a day message or a server error.
        year_problem = self.year_problem(year)
        if year_problem:
            self.add_error("dob_year", year_problem)
            return None
        try:
            birth = datetime.date(year, month, day)
        except (ValueError, OverflowError):
            self.add_error(
                "dob_day",
                ValidationError(
                    "Enter a real date of birth. That month does not have that many days.",
                    code="invalid_date",
                ),
            )
            return None
        if birth > timezone.localdate():
            self.add_error(
                "dob_year",
                ValidationError("Your date of birth must be in the past.", code="future"),
            )
            return None
        return birth

    @staticmethod
    def year_problem(year):
        """The message for a birth year that cannot be right, or None."""
        if not 1000 <= year <= 9999:
            return ValidationError("Enter the year as 4 numbers, like 1967.", code="invalid_year")
        if year < OLDEST_BIRTH_YEAR:
            return ValidationError(f"Enter a year after {OLDEST_BIRTH_YEAR}.", code="too_old")
        if year > timezone.localdate().year:
            return ValidationError("Your date of birth must be in the past.", code="future")
        return None


class AboutYouForm(DateOfBirthFields, forms.ModelForm):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your full name.",
            "max_length": "Your name must be 200 characters or fewer.",
        },
    )

    class Meta:
        model = Intake
        fields = ["full_name", "email", "phone", "clinic_reference"]
        labels = {
            "email": "Email address (optional)",
            "phone": "Phone number (optional)",
            "clinic_reference": "Clinic number (optional)",
        }
        help_texts = {
            "email": "Only used by the clinic to contact you about your visit.",
            "clinic_reference": "If you have a number from the clinic, such as on a letter.",
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "clinic_reference": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        error_messages = {
            "email": {"invalid": "Enter an email address like name@example.com."},
            "phone": {"max_length": "Enter a phone number of 40 characters or fewer."},
            "clinic_reference": {"max_length": "The clinic number is 50 characters or fewer."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        birth = self.instance.date_of_birth
        if birth and not self.is_bound:
            self.initial.update(dob_day=birth.day, dob_month=birth.month, dob_year=birth.year)

    def clean_full_name(self):
        name = " ".join(clean_text(self.cleaned_data["full_name"]).split())
        if not name:
            raise ValidationError("Enter your full name.", code="required")
        return name

    def clean_phone(self):
        phone = clean_text(self.cleaned_data["phone"])
        if phone and not re.fullmatch(r"[0-9+()\-. ]{6,40}", phone):
            raise ValidationError(
                "Enter a phone number using numbers, spaces and + ( ) - only.", code="invalid"
            )
        return phone

    def clean_clinic_reference(self):
        return clean_text(self.cleaned_data["clinic_reference"])

    def clean(self):
        cleaned = super().clean()
        cleaned["date_of_birth"] = self.clean_date_of_birth(cleaned)
        return cleaned

    def save(self, commit=True):
        self.instance.date_of_birth = self.cleaned_data["date_of_birth"]
        return super().save(commit=commit)


class OpioidUseForm(PatientInputMixin, forms.ModelForm):
    currently_taking_opioids = yes_no_field("Do you take opioid medicine now?")
    use_years = years_field("Years")
    use_months = months_field("Months")
    stopped_years = years_field("Years")
    stopped_months = months_field("Months")
    dose_change_last_6_months = radio_field(
        "In the last 6 months, what happened to your opioid dose?",
        DoseChange.choices,
        required_message="Choose what happened to your dose, or “I'm not sure”.",
    )
    weeks_since_last_dose_change = forms.DecimalField(
        label="About how many weeks ago did your dose last change? (optional)",
        required=False,
        min_value=0,
        max_value=520,
        max_digits=5,
        decimal_places=1,
        help_text="If you stopped, how many weeks ago you took the last dose. A guess is fine.",
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "class": "input-short"}),
        error_messages={
            "invalid": "Enter the number of weeks, like 6.",
            "min_value": "The number of weeks cannot be less than 0.",
            "max_value": "Enter 520 weeks or fewer.",
        },
    )

    class Meta:
        model = Intake
        fields = [
            "currently_taking_opioids",
            "dose_change_last_6_months",
            "weeks_since_last_dose_change",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        intake = self.instance
        if not self.is_bound:
            for prefix, months in (
                ("use", intake.months_on_opioids),
                ("stopped", intake.months_since_stopped),
            ):
                if months is not None:
                    self.initial[f"{prefix}_years"] = int(months // 12)
                    self.initial[f"{prefix}_months"] = int(months % 12)

    def clean(self):
        cleaned = super().clean()
        use = months_from(cleaned.get("use_years"), cleaned.get("use_months"))
        if use is None and not self.has_error("use_years") and not self.has_error("use_months"):
            self.add_error(
                "use_years",
                ValidationError(
                    "Enter about how long you have taken opioids. A guess is fine.", code="required"
                ),
            )
        cleaned["months_on_opioids"] = use
        stopped = None
        if cleaned.get("currently_taking_opioids") is False:
            stopped = months_from(cleaned.get("stopped_years"), cleaned.get("stopped_months"))
        cleaned["months_since_stopped"] = stopped
        return cleaned

    def save(self, commit=True):
        self.instance.months_on_opioids = self.cleaned_data["months_on_opioids"]
        self.instance.months_since_stopped = self.cleaned_data["months_since_stopped"]
        return super().save(commit=commit)


class DoseResponseForm(PatientInputMixin, forms.ModelForm):
    pain_when_dose_increased = radio_field(
        "When your dose went up, what did your pain do over the next weeks?",
        PainResponse.choices,
        required_message="Choose one answer, or “This has not happened”.",
    )
    pain_when_dose_decreased = radio_field(
        "When your dose went down, what did your pain do once the first few weeks had passed?",
        PainResponse.choices,
        required_message="Choose one answer, or “This has not happened”.",
    )
    pain_between_doses_or_missed_dose = radio_field(
        "Does your pain get worse just before your next dose is due, or when you miss a dose?",
        BetweenDoses.choices,
        required_message="Choose one answer.",
    )
    withdrawal_symptoms_between_doses = checkbox_field(
        "At those times, do you also have any of these?",
        WithdrawalSymptom.choices,
        "Tick all that apply. Leave them all empty if none.",
    )

    class Meta:
        model = Intake
        fields = [
            "pain_when_dose_increased",
            "pain_when_dose_decreased",
            "pain_between_doses_or_missed_dose",
            "withdrawal_symptoms_between_doses",
        ]


class PainMapForm(PatientInputMixin, forms.ModelForm):
    current_pain_sites = checkbox_field(
        "Where do you feel pain now?",
        BodyRegion.choices,
        "Tick each place on the body where you have pain now.",
    )
    original_pain_sites = checkbox_field(
        "Where did your pain first start?",
        BodyRegion.choices,
        "Tick the places where the pain was before you started opioids.",
    )

    class Meta:
        model = Intake
        fields = ["current_pain_sites", "original_pain_sites"]

    def clean_current_pain_sites(self):
        sites = self.cleaned_data["current_pain_sites"]
        if not sites:
            raise ValidationError(
                "Tick at least one place where you have pain now.", code="required"
            )
        return sites


class PainDetailsForm(PatientInputMixin, forms.ModelForm):
    pain_score_now = score_field(
        "How bad is your pain now?", "0 means no pain. 10 means the worst pain you can imagine."
    )
    pain_score_at_start = score_field(
        "How bad was your pain before you started opioids?",
        "Your best memory is fine. 0 means no pain, 10 the worst pain you can imagine.",
    )
    peg_pain = score_field(
        "In the past week, what number best describes your pain on average?",
        "0 means no pain. 10 means pain as bad as you can imagine.",
    )
    peg_enjoyment = score_field(
        "In the past week, how much has pain got in the way of enjoying life?",
        "0 means not at all. 10 means it completely got in the way.",
    )
    peg_activity = score_field(
        "In the past week, how much has pain got in the way of your daily activities?",
        "0 means not at all. 10 means it completely got in the way.",
    )
    new_pain_qualities = checkbox_field(
        "Since starting opioids, have you had any new kinds of pain?",
        PainQuality.choices,
        "Tick all that are new. Leave them all empty if none.",
    )
    # "Not sure" stores null: progression not yet ruled out (rulings 2026.2, point 10).
    new_injury_or_disease_progression = forms.TypedChoiceField(
        label="Since your pain started, have you had a new injury, surgery, or a health problem "
        "that got worse?",
        choices=[
            (True, "Yes"),
            (False, "No"),
            ("not_sure", "Not sure, or tests are still pending"),
        ],
        coerce=lambda value: {"True": True, "False": False}.get(str(value)),
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose yes, no or not sure.",
            "invalid_choice": "Choose yes, no or not sure.",
        },
    )
    new_injury_details = forms.CharField(
        label="If yes, tell us a little about it (optional)",
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Keep this to {MAX_TEXT_LENGTH} characters or fewer."},
    )

    class Meta:
        model = Intake
        fields = [
            "pain_score_now",
            "pain_score_at_start",
            "peg_pain",
            "peg_enjoyment",
            "peg_activity",
            "new_pain_qualities",
            "new_injury_or_disease_progression",
            "new_injury_details",
        ]

    def clean_new_injury_details(self):
        return clean_text(self.cleaned_data["new_injury_details"])


class OtherQuestionsForm(PatientInputMixin, forms.ModelForm):
    signs_of_misuse = checkbox_field(
        "Have any of these happened in the past year?",
        MisuseSign.choices,
        "Many people on opioids have had one of these. Your answers help your care team "
        "keep you safe. Leave them all empty if none.",
    )
    known_opioid_use_disorder = forms.TypedChoiceField(
        label="Has a clinician ever told you that you have opioid use disorder (addiction)?",
        choices=[(True, "Yes"), (False, "No"), ("", "I'd rather not say")],
        required=False,
        coerce=lambda value: value in (True, "True"),
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the answers shown."},
    )

    class Meta:
        model = Intake
        fields = ["signs_of_misuse", "known_opioid_use_disorder"]
