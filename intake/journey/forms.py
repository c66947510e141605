"""The intake's forms, one per step. Messages are written for a patient, not a developer."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
YES_NO = [(True, _("Yes")), (False, _("No"))]


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


def score_field(label, help_text, required_message=None):
    required_message = required_message or _("Choose a number from 0 to 10.")
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=SCORE_CHOICES,
        coerce=int,
        # The class tells the template to draw the eleven answers as one row.
        widget=forms.RadioSelect(attrs={"class": "score-input"}),
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose a number from 0 to 10."),
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
        error_messages={
            "required": _("Choose yes or no."),
            "invalid_choice": _("Choose yes or no."),
        },
    )


def checkbox_field(label, choices, help_text="", widget_class=""):
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": widget_class} if widget_class else {}),
        error_messages={"invalid_choice": _("Choose only from the boxes shown.")},
    )


CHOOSE_ONE = _("Choose one answer.")


def radio_field(label, choices, help_text="", required_message=CHOOSE_ONE):
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose one of the answers shown."),
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
            "invalid": _("Enter years as a whole number, like 2."),
            "min_value": _("Years cannot be less than 0."),
            "max_value": _("Enter 99 years or fewer."),
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
            "invalid": _("Enter months as a whole number, like 6."),
            "min_value": _("Months cannot be less than 0."),
            "max_value": _("Enter 11 months or fewer. For 12 months, enter 1 year."),
        },
    )


class ConsentForm(PatientInputMixin, forms.Form):
    consent = forms.BooleanField(
        label=_("I agree to share my answers with the pain clinic team."),
        error_messages={
            "required": _(
                "Tick the box to say you agree to share your answers. "
                "Without it, we cannot use the form."
            )
        },
    )
    start_token = forms.UUIDField(widget=forms.HiddenInput, required=False)


class DateOfBirthFields(PatientInputMixin, forms.Form):
    """Month, day and year boxes, in the order people in the US write a birth date
    (GOV.UK date input pattern, US order)."""

    dob_month = forms.IntegerField(
        label=_("Month"),
        min_value=1,
        max_value=12,
        widget=forms.NumberInput(attrs={"autocomplete": "bday-month", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the month you were born."),
            "invalid": _("Enter the month as a number, like 3 for March."),
            "min_value": _("The month must be from 1 to 12."),
            # A day over 12 in the month box: the day and month the other way round.
            "max_value": _(
                "The month must be from 1 to 12. The first box is the month: the day and "
                "month may be the wrong way round."
            ),
        },
    )
    dob_day = forms.IntegerField(
        label=_("Day"),
        min_value=1,
        max_value=31,
        widget=forms.NumberInput(attrs={"autocomplete": "bday-day", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the day you were born."),
            "invalid": _("Enter the day as a number, like 27."),
            "min_value": _("The day must be from 1 to 31."),
            "max_value": _("The day must be from 1 to 31."),
        },
    )
    dob_year = forms.IntegerField(
        label=_("Year"),
        help_text=_("4 numbers, like 1967"),
        widget=forms.NumberInput(attrs={"autocomplete": "bday-year", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the year you were born."),
            "invalid": _("Enter the year as 4 numbers, like 1967."),
        },
    )

    def date_of_birth_fields(self):
        return [self["dob_month"], self["dob_day"], self["dob_year"]]

    def clean_dob_year(self):
        """A two-digit year is read as the most recent such year that has passed:
        "71" is 1971, "05" is 2005. People often write their birth year this way. Only two
        typed digits count: "0" or "7" is too little to guess from, so it gets the year
        box's message instead."""
        year = self.cleaned_data.get("dob_year")
        typed = str(self.data.get(self.add_prefix("dob_year"), "")).strip()
        if year is not None and len(typed) == 2 and 0 <= year <= 99:
            this_year = timezone.localdate().year
            year += 2000 if 2000 + year <= this_year else 1900
        return year

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
                    _("Enter a real date of birth. That month does not have that many days."),
                    code="invalid_date",
                ),
            )
            return None
        if birth > timezone.localdate():
            self.add_error(
                "dob_year",
                ValidationError(_("Your date of birth must be in the past."), code="future"),
            )
            return None
        return birth

    @staticmethod
    def year_problem(year):
        """The message for a birth year that cannot be right, or None."""
        if not 1000 <= year <= 9999:
            return ValidationError(
                _("Enter the year as 4 numbers, like 1967."), code="invalid_year"
            )
        if year < OLDEST_BIRTH_YEAR:
            return ValidationError(
                _("Enter a year after %(year)s.") % {"year": OLDEST_BIRTH_YEAR}, code="too_old"
            )
        if year > timezone.localdate().year:
            return ValidationError(_("Your date of birth must be in the past."), code="future")
        return None


class AboutYouForm(DateOfBirthFields, forms.ModelForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your full name."),
            "max_length": _("Your name must be 200 characters or fewer."),
        },
    )

    class Meta:
        model = Intake
        fields = ["full_name", "email", "phone", "clinic_reference"]
        labels = {
            "email": _("Email address (optional)"),
            "phone": _("Phone number (optional)"),
            "clinic_reference": _("Clinic number (optional)"),
        }
        help_texts = {
            "email": _("Only used by the clinic to contact you about your visit."),
            "clinic_reference": _("If you have a number from the clinic, such as on a letter."),
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "clinic_reference": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        error_messages = {
            "email": {"invalid": _("Enter an email address like name@example.com.")},
            "phone": {"max_length": _("Enter a phone number of 40 characters or fewer.")},
            "clinic_reference": {"max_length": _("The clinic number is 50 characters or fewer.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        birth = self.instance.date_of_birth
        if birth and not self.is_bound:
            self.initial.update(dob_day=birth.day, dob_month=birth.month, dob_year=birth.year)

    def clean_full_name(self):
        name = " ".join(clean_text(self.cleaned_data["full_name"]).split())
        if not name:
            raise ValidationError(_("Enter your full name."), code="required")
        return name

    def clean_phone(self):
        phone = clean_text(self.cleaned_data["phone"])
        if phone and not re.fullmatch(r"[0-9+()\-. ]{6,40}", phone):
            raise ValidationError(
                _("Enter a phone number using numbers, spaces and + ( ) - only."), code="invalid"
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


class QuestionForm(PatientInputMixin, forms.ModelForm):
    """One page's question(s) over the intake. `fields_saved` lists the model fields
    the page writes, so answers that stop applying can be cleared (steps.py)."""

    @classmethod
    def fields_saved(cls):
        return list(cls._meta.fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dress_boxes(self)


def dress_boxes(form, look="form-control"):
    """Boxes to type in get Bootstrap's look, their hint and error read with them, and a red
    edge when wrong (radios and tick boxes are drawn by _question.html; hidden inputs are
    left alone)."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput):
            continue
        widget.attrs["class"] = f"{look} {widget.attrs.get('class', '')}".strip()
        described = [f"id_{name}-hint"] if field.help_text else []
        if form.is_bound and name in form.errors:
            widget.attrs["class"] += " is-invalid"
            widget.attrs["aria-invalid"] = "true"
            described.append(f"id_{name}-error")
        if described:
            widget.attrs["aria-describedby"] = " ".join(described)


class DurationForm(QuestionForm):
    """A years-and-months answer to one question, stored as months on `stored_as`."""

    stored_as = ""
    required_message = ""
    years = years_field(_("Years"))
    months = months_field(_("Months"))

    class Meta:
        model = Intake
        fields = []

    @classmethod
    def fields_saved(cls):
        return [cls.stored_as]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        months = getattr(self.instance, self.stored_as)
        if months is not None and not self.is_bound:
            self.initial["years"] = int(months // 12)
            self.initial["months"] = int(months % 12)

    def clean(self):
        cleaned = super().clean()
        total = months_from(cleaned.get("years"), cleaned.get("months"))
        if total is None and self.required_message and not self.errors:
            self.add_error("years", ValidationError(self.required_message, code="required"))
        cleaned["total_months"] = total
        return cleaned

    def save(self, commit=True):
        setattr(self.instance, self.stored_as, self.cleaned_data["total_months"])
        return super().save(commit=commit)


class TakingNowForm(QuestionForm):
    currently_taking_opioids = yes_no_field(_("Do you take opioid medicine now?"))

    class Meta:
        model = Intake
        fields = ["currently_taking_opioids"]


class TimeOnOpioidsForm(DurationForm):
    question = _("About how long have you taken opioids, in all?")
    hint = _("Count from when you first started. A guess is fine.")
    stored_as = "months_on_opioids"
    required_message = _("Enter about how long you have taken opioids. A guess is fine.")


class TimeSinceStoppedForm(DurationForm):
    question = _("About how long ago did you stop taking opioids?")
    hint = _("A guess is fine. Leave both boxes empty if you do not know.")
    stored_as = "months_since_stopped"


class DoseChangeForm(QuestionForm):
    dose_change_last_6_months = radio_field(
        _("In the last 6 months, what happened to your opioid dose?"),
        DoseChange.choices,
        required_message=_("Choose what happened to your dose, or “I'm not sure”."),
    )

    class Meta:
        model = Intake
        fields = ["dose_change_last_6_months"]


class DoseChangeWeeksForm(QuestionForm):
    weeks_since_last_dose_change = forms.DecimalField(
        label=_("About how many weeks ago did your dose last change? (optional)"),
        required=False,
        min_value=0,
        max_value=520,
        max_digits=5,
        decimal_places=1,
        help_text=_("If you stopped, how many weeks ago you took the last dose. A guess is fine."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "class": "input-short"}),
        error_messages={
            "invalid": _("Enter the number of weeks, like 6."),
            "min_value": _("The number of weeks cannot be less than 0."),
            "max_value": _("Enter 520 weeks or fewer."),
        },
    )

    class Meta:
        model = Intake
        fields = ["weeks_since_last_dose_change"]


class DoseUpForm(QuestionForm):
    pain_when_dose_increased = radio_field(
        _("When your dose went up, what did your pain do over the next weeks?"),
        PainResponse.choices,
        required_message=_("Choose one answer, or “This has not happened”."),
    )

    class Meta:
        model = Intake
        fields = ["pain_when_dose_increased"]


class DoseDownForm(QuestionForm):
    pain_when_dose_decreased = radio_field(
        _("When your dose went down, what did your pain do once the first few weeks had passed?"),
        PainResponse.choices,
        required_message=_("Choose one answer, or “This has not happened”."),
    )

    class Meta:
        model = Intake
        fields = ["pain_when_dose_decreased"]


class BetweenDosesForm(QuestionForm):
    pain_between_doses_or_missed_dose = radio_field(
        _("Does your pain get worse just before your next dose is due, or when you miss a dose?"),
        BetweenDoses.choices,
        required_message=_("Choose one answer."),
    )
    withdrawal_symptoms_between_doses = checkbox_field(
        _("At those times, do you also have any of these?"),
        WithdrawalSymptom.choices,
        _("Tick all that apply. Leave them all empty if none."),
    )

    class Meta:
        model = Intake
        fields = ["pain_between_doses_or_missed_dose", "withdrawal_symptoms_between_doses"]


class PainMapForm(QuestionForm):
    current_pain_sites = checkbox_field(
        _("Where do you feel pain now?"),
        BodyRegion.choices,
        _("Tick each place on the body where you have pain now."),
        widget_class="body-map-input",
    )

    class Meta:
        model = Intake
        fields = ["current_pain_sites"]

    def clean_current_pain_sites(self):
        sites = self.cleaned_data["current_pain_sites"]
        if not sites:
            raise ValidationError(
                _("Tick at least one place where you have pain now."), code="required"
            )
        return sites


class PainStartMapForm(QuestionForm):
    original_pain_sites = checkbox_field(
        _("Where did your pain first start?"),
        BodyRegion.choices,
        _("Tick the places where the pain was before you started opioids."),
        widget_class="body-map-input",
    )

    class Meta:
        model = Intake
        fields = ["original_pain_sites"]


class PainNowForm(QuestionForm):
    pain_score_now = score_field(
        _("How bad is your pain now?"),
        _("0 means no pain. 10 means the worst pain you can imagine."),
    )

    class Meta:
        model = Intake
        fields = ["pain_score_now"]


class PainAtStartForm(QuestionForm):
    pain_score_at_start = score_field(
        _("How bad was your pain before you started opioids?"),
        _("Your best memory is fine. 0 means no pain, 10 the worst pain you can imagine."),
    )

    class Meta:
        model = Intake
        fields = ["pain_score_at_start"]


class PainPastWeekForm(QuestionForm):
    """The three PEG questions: a validated scale, asked together as it was tested."""

    peg_pain = score_field(
        _("What number best describes your pain on average?"),
        _("0 means no pain. 10 means pain as bad as you can imagine."),
        _("Choose a number from 0 to 10 for your average pain."),
    )
    peg_enjoyment = score_field(
        _("How much has pain got in the way of enjoying life?"),
        _("0 means not at all. 10 means it completely got in the way."),
        _("Choose a number from 0 to 10 for enjoying life."),
    )
    peg_activity = score_field(
        _("How much has pain got in the way of your daily activities?"),
        _("0 means not at all. 10 means it completely got in the way."),
        _("Choose a number from 0 to 10 for daily activities."),
    )

    class Meta:
        model = Intake
        fields = ["peg_pain", "peg_enjoyment", "peg_activity"]


class NewPainForm(QuestionForm):
    new_pain_qualities = checkbox_field(
        _("Since starting opioids, have you had any new kinds of pain?"),
        PainQuality.choices,
        _("Tick all that are new. Leave them all empty if none."),
    )

    class Meta:
        model = Intake
        fields = ["new_pain_qualities"]


class NewInjuryForm(QuestionForm):
    # "Not sure" stores null: progression not yet ruled out (rulings 2026.2, point 10).
    new_injury_or_disease_progression = forms.TypedChoiceField(
        label=_(
            "Since your pain started, have you had a new injury, surgery, or a health problem "
            "that got worse?"
        ),
        choices=[
            (True, _("Yes")),
            (False, _("No")),
            ("not_sure", _("Not sure, or I am waiting for test results")),
        ],
        coerce=lambda value: {"True": True, "False": False}.get(str(value)),
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose yes, no or not sure."),
            "invalid_choice": _("Choose yes, no or not sure."),
        },
    )
    new_injury_details = forms.CharField(
        label=_("If yes, tell us a little about it (optional)"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Keep this to %(limit)s characters or fewer.")
            % {"limit": MAX_TEXT_LENGTH}
        },
    )

    class Meta:
        model = Intake
        fields = ["new_injury_or_disease_progression", "new_injury_details"]

    def clean_new_injury_details(self):
        return clean_text(self.cleaned_data["new_injury_details"])


class MisuseSignsForm(QuestionForm):
    signs_of_misuse = checkbox_field(
        _("Have any of these happened in the past year?"),
        MisuseSign.choices,
        _(
            "Many people on opioids have had one of these. Your answers help your care team "
            "keep you safe. Leave them all empty if none."
        ),
    )

    class Meta:
        model = Intake
        fields = ["signs_of_misuse"]


RATHER_NOT_SAY = "rather_not_say"


class OpioidUseDisorderForm(QuestionForm):
    # Nothing is chosen until the patient chooses: "I'd rather not say" is an answer
    # they pick, stored as no answer (None).
    known_opioid_use_disorder = forms.TypedChoiceField(
        label=_("Has a clinician ever told you that you have opioid use disorder (addiction)?"),
        choices=[(True, _("Yes")), (False, _("No")), (RATHER_NOT_SAY, _("I'd rather not say"))],
        coerce=lambda value: {"True": True, "False": False}.get(str(value)),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose one answer, or “I'd rather not say”."),
            "invalid_choice": _("Choose one of the answers shown."),
        },
    )

    class Meta:
        model = Intake
        fields = ["known_opioid_use_disorder"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        answered = "oud" in (self.instance.completed_steps or [])
        if not self.is_bound and answered and self.instance.known_opioid_use_disorder is None:
            self.initial["known_opioid_use_disorder"] = RATHER_NOT_SAY
