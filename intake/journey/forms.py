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
    NaloxoneAnswer,
    OtherMedicine,
    PainQuality,
    PainResponse,
    TimeUnit,
    WithdrawalSymptom,
)
from intake.journey import typed_numbers
from intake.models import MAX_TEXT_LENGTH, Intake, without_control_characters
from intake.screening.other_medicines import other_medicine_items

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
    return TypedNumberField(
        label=label,
        units=("year",),
        min_value=Decimal(0),
        max_value=Decimal(99),
        places=2,
        invalid_message=_("Enter years as a number, like 2 or 1.5."),
        wrong_unit_message=_("Put months in the Months box, like 6."),
        min_message=_("Years cannot be less than 0."),
        max_message=_("Enter 99 years or fewer."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
    )


def months_field(label):
    return TypedNumberField(
        label=label,
        units=("month",),
        min_value=Decimal(0),
        max_value=Decimal(11),
        places=1,
        invalid_message=_("Enter months as a number, like 6."),
        wrong_unit_message=_("Put years in the Years box, like 2."),
        min_message=_("Months cannot be less than 0."),
        max_message=_("Enter 11 months or fewer. For 12 months, enter 1 year."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
    )


NUMBER_PROBLEM_MESSAGES = {
    typed_numbers.AMBIGUOUS_SEPARATOR: _(
        "Please type it without a comma or point between the thousands, such as 1000 or 1.5."
    ),
    typed_numbers.RANGE: _("Please type one number. If it changes, type the most."),
}


MAX_NUMBER_TEXT = 40


class TypedNumberField(forms.CharField):
    """A box for a number as people type it: "2,5", "1/2", "half", "30 mg" (typed_numbers).

    A text box with the phone's number keys (a number input drops a decimal comma: "2,5"
    arrives as 25). `units`: the units the box counts in, which may be typed after the number.
    Cleans to a Decimal, or to the Reading (number and unit typed) with `with_unit`.
    """

    def __init__(
        self,
        *,
        units=(),
        min_value=None,
        max_value=None,
        places=2,
        with_unit=False,
        invalid_message=None,
        wrong_unit_message=None,
        min_message=None,
        max_message=None,
        too_small_message=None,
        **kwargs,
    ):
        self.units, self.min_value, self.max_value = tuple(units), min_value, max_value
        self.places, self.with_unit = places, with_unit
        self.messages = {
            typed_numbers.NOT_A_NUMBER: invalid_message
            or _("Please use a number, such as 1, 2.5 or 1/2."),
            typed_numbers.WRONG_UNIT: wrong_unit_message
            or _("Please type only the number in this box, such as 2."),
            "min_value": min_message or _("Please use a number above 0."),
            "max_value": max_message or _("That number is too big. Please check it."),
            # Above 0 but under the smallest that is stored (a dose of 0.004): said so.
            "too_small": too_small_message or min_message or _("Please use a number above 0."),
            **NUMBER_PROBLEM_MESSAGES,
        }
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def __deepcopy__(self, memo):
        # Each form's copy of the field gets its own messages, which a form may change.
        result = super().__deepcopy__(memo)
        result.messages = dict(self.messages)
        return result

    def to_python(self, value):
        text = super().to_python(value)
        if len(text) > MAX_NUMBER_TEXT:
            raise ValidationError(self.messages[typed_numbers.NOT_A_NUMBER], code="too_long")
        reading = typed_numbers.read_number(text, self.units)
        if reading.problem:
            raise ValidationError(self.messages[reading.problem], code=reading.problem)
        if reading.value is None:
            return None
        number = reading.value
        if self.min_value is not None and number < self.min_value:
            if number > 0:
                raise ValidationError(self.messages["too_small"], code="too_small")
            raise ValidationError(self.messages["min_value"], code="min_value")
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(self.messages["max_value"], code="max_value")
        exact = number.quantize(Decimal(1).scaleb(-self.places))
        if exact != number and abs(exact - number) * 100 > abs(number):
            # "1/3" is 0.33 (1% off at most); a finer number than the box keeps is refused.
            raise ValidationError(self.messages[typed_numbers.NOT_A_NUMBER], code="too_fine")
        if self.with_unit:
            return typed_numbers.Reading(value=exact, unit=reading.unit)
        return exact

    def prepare_value(self, value):
        if isinstance(value, typed_numbers.Reading):
            value = value.value
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value


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

    def clean_email(self):
        email = self.cleaned_data["email"]
        domain = email.rpartition("@")[2]
        # An address a mail server on the internet takes: a domain name with a dot, not an
        # address in brackets ("x@[127.0.0.1]") or a local name ("x@localhost").
        if email and (domain.startswith("[") or "." not in domain):
            raise ValidationError(
                _("Enter an email address like name@example.com."), code="invalid"
            )
        return email

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
            self.initial["months"] = months % 12  # 18.5 months: 1 year and 6.5 months

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


TIME_UNIT_OF_READING = {"day": "days", "week": "weeks", "month": "months", "year": "years"}
MAX_WEEKS_AGO = Decimal(520)


class DoseChangeWeeksForm(QuestionForm):
    """How long ago the dose last changed: a number and the unit the patient chooses (never
    assumed). A unit typed after the number counts as chosen; the rules read weeks."""

    dose_change_ago = TypedNumberField(
        label=_("About how long ago did your dose last change? (optional)"),
        help_text=_("If you stopped, how long ago you took the last dose. A guess is fine."),
        units=tuple(TIME_UNIT_OF_READING),
        places=1,
        min_value=Decimal(0),
        with_unit=True,
        invalid_message=_("Enter a number, like 6 or 2.5."),
        min_message=_("The number cannot be less than 0."),
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "class": "input-short"}
        ),
    )
    dose_change_ago_unit = forms.ChoiceField(
        label=_("Days, weeks, months or years?"),
        choices=TimeUnit.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the answers shown.")},
    )

    class Meta:
        model = Intake
        fields = []

    @classmethod
    def fields_saved(cls):
        return ["weeks_since_last_dose_change", "dose_change_ago", "dose_change_ago_unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                dose_change_ago=self.instance.dose_change_ago,
                dose_change_ago_unit=self.instance.dose_change_ago_unit,
            )
            if self.instance.dose_change_ago is None:
                # Imported, or answered before the unit was asked: weeks, as stored.
                weeks = self.instance.weeks_since_last_dose_change
                if weeks is not None:
                    self.initial.update(dose_change_ago=weeks, dose_change_ago_unit="weeks")

    def clean(self):
        cleaned = super().clean()
        cleaned["weeks"] = None
        if self.errors:
            return cleaned
        reading, chosen = cleaned.get("dose_change_ago"), cleaned.get("dose_change_ago_unit")
        if reading is None:
            if chosen:
                self.add_error(
                    "dose_change_ago",
                    ValidationError(_("Type the number too, like 6."), code="required"),
                )
            return cleaned
        typed = TIME_UNIT_OF_READING.get(reading.unit)
        if typed and chosen and typed != chosen:
            self.add_error(
                "dose_change_ago",
                ValidationError(
                    _("You typed %(typed)s but chose %(chosen)s. Please check which is right.")
                    % {"typed": TIME_UNIT_WORDS[typed], "chosen": TIME_UNIT_WORDS[chosen]},
                    code="units_differ",
                ),
            )
            return cleaned
        unit = typed or chosen
        if not unit:
            self.add_error(
                "dose_change_ago_unit",
                ValidationError(_("Choose days, weeks, months or years."), code="required"),
            )
            return cleaned
        weeks = typed_numbers.weeks_from(reading.value, reading_unit(unit))
        if weeks > MAX_WEEKS_AGO:
            self.add_error(
                "dose_change_ago",
                ValidationError(_("Enter a time of 10 years or less."), code="max_value"),
            )
            return cleaned
        cleaned.update(weeks=weeks, dose_change_ago_unit=unit)
        return cleaned

    def save(self, commit=True):
        reading = self.cleaned_data.get("dose_change_ago")
        weeks = self.cleaned_data["weeks"]
        self.instance.weeks_since_last_dose_change = weeks
        self.instance.dose_change_ago = reading.value if weeks is not None else None
        self.instance.dose_change_ago_unit = (
            self.cleaned_data["dose_change_ago_unit"] if weeks is not None else ""
        )
        return super().save(commit=commit)


TIME_UNIT_WORDS = {
    "days": _("days"),
    "weeks": _("weeks"),
    "months": _("months"),
    "years": _("years"),
}


def reading_unit(time_unit):
    """ "months" (TimeUnit) is "month" (typed_numbers)."""
    return next(key for key, value in TIME_UNIT_OF_READING.items() if value == time_unit)


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


# A missing PEG answer names its question: the error list shows all three at once.
PEG_MISSING = {
    "peg_pain": _("Choose a number from 0 to 10 for your average pain."),
    "peg_enjoyment": _("Choose a number from 0 to 10 for enjoying life."),
    "peg_activity": _("Choose a number from 0 to 10 for daily activities."),
}


class PainPastWeekForm(QuestionForm):
    """The three PEG questions: a validated scale, asked together as it was tested."""

    peg_pain = score_field(
        _("What number best describes your pain on average?"),
        _("0 means no pain. 10 means pain as bad as you can imagine."),
        PEG_MISSING["peg_pain"],
    )
    peg_enjoyment = score_field(
        _("How much has pain got in the way of enjoying life?"),
        _("0 means not at all. 10 means it completely got in the way."),
        PEG_MISSING["peg_enjoyment"],
    )
    peg_activity = score_field(
        _("How much has pain got in the way of your daily activities?"),
        _("0 means not at all. 10 means it completely got in the way."),
        PEG_MISSING["peg_activity"],
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


# The two answers that are not a medicine: each must stand alone.
NO_MEDICINE_ANSWERS = {
    OtherMedicine.NONE: _("None of these"),
    OtherMedicine.NOT_SURE: _("I'm not sure"),
}


class OtherMedicinesForm(QuestionForm):
    """Medicines that add to an opioid's risk (ruling 19), by the names patients know, and
    whether naloxone is at home (CDC 2022 Recommendation 8). No diagnosis: what the answers
    mean is for the clinician."""

    other_medicines_ticked = checkbox_field(
        _("Do you take any of these medicines now?"),
        OtherMedicine.choices,
        _("They are for sleep, worry, muscle spasms or nerve pain. Tick all you take."),
    )
    other_medicines_typed = forms.CharField(
        label=_("Other medicines for sleep, worry, spasms or nerve pain (optional)"),
        help_text=_("Type the name as it is on the label. Put a comma between two names."),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        error_messages={
            "max_length": _("Keep this to %(limit)s characters or fewer.")
            % {"limit": MAX_TEXT_LENGTH}
        },
    )
    naloxone_at_home = radio_field(
        _("Do you have naloxone (Narcan) at home?"),
        NaloxoneAnswer.choices,
        _("Naloxone is a nose spray or shot that can stop an opioid overdose."),
        required_message=_("Choose yes, no or not sure."),
    )

    class Meta:
        model = Intake
        fields = ["other_medicines_ticked", "other_medicines_typed", "naloxone_at_home"]

    @classmethod
    def fields_saved(cls):
        return [*cls._meta.fields, "other_medicines"]

    def clean_other_medicines_typed(self):
        return clean_text(self.cleaned_data["other_medicines_typed"])

    def clean(self):
        cleaned = super().clean()
        ticked = cleaned.get("other_medicines_ticked")
        typed = cleaned.get("other_medicines_typed")
        if ticked is None or typed is None:
            return cleaned
        alone = [code for code in ticked if code in NO_MEDICINE_ANSWERS]
        if not ticked and not typed:
            self._refuse(
                _("Tick the medicines you take, or “None of these”, or “I'm not sure”."),
                "required",
            )
        elif len(alone) > 1:
            self._refuse(_("Tick “None of these” or “I'm not sure”, not both."), "contradiction")
        elif alone and len(ticked) > 1:
            self._refuse(
                _("You ticked “%(answer)s” and a medicine. Untick one of them.")
                % {"answer": NO_MEDICINE_ANSWERS[alone[0]]},
                "contradiction",
            )
        elif alone and typed:
            self._refuse(
                _("You ticked “%(answer)s” and typed a medicine. Untick the box or clear the name.")
                % {"answer": NO_MEDICINE_ANSWERS[alone[0]]},
                "contradiction",
            )
        return cleaned

    def _refuse(self, message, code):
        self.add_error("other_medicines_ticked", ValidationError(message, code=code))

    def save(self, commit=True):
        self.instance.other_medicines = other_medicine_items(
            self.cleaned_data["other_medicines_ticked"], self.cleaned_data["other_medicines_typed"]
        )
        return super().save(commit=commit)
