"""The check-in's forms: one short question (or the three PEG items) per page."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from intake.choices import BodyRegion, DoseUnit, WithdrawalSymptom
from intake.journey.forms import (
    PEG_MISSING,
    PatientInputMixin,
    TypedNumberField,
    checkbox_field,
    clean_text,
    dress_boxes,
    score_field,
    yes_no_field,
)
from intake.models import MAX_TEXT_LENGTH, Intake, IntakeMedicine

# A daily dose above this is a typing slip, not a dose (mg a day, or mcg an hour for a patch).
MAX_DAILY_DOSE = Decimal(5000)


class CheckInQuestions(PatientInputMixin):
    """A check-in page asked as the first visit's pages are: drawn by the intake's question
    template (a 0-10 scale as a row of buttons, an error above its answers), its boxes
    dressed as the intake's are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dress_boxes(self)


class PainNowForm(CheckInQuestions, forms.ModelForm):
    pain_score_now = score_field(
        _("How bad is your pain right now?"),
        _("0 means no pain. 10 means the worst pain you can imagine."),
    )

    class Meta:
        model = Intake
        fields = ["pain_score_now"]


class PegForm(CheckInQuestions, forms.ModelForm):
    peg_pain = score_field(
        _("In the past week, what number best describes your pain on average?"),
        _("0 means no pain. 10 means pain as bad as you can imagine."),
        PEG_MISSING["peg_pain"],
    )
    peg_enjoyment = score_field(
        _("In the past week, how much has pain got in the way of enjoying life?"),
        _("0 means not at all. 10 means it completely got in the way."),
        PEG_MISSING["peg_enjoyment"],
    )
    peg_activity = score_field(
        _("In the past week, how much has pain got in the way of your daily activities?"),
        _("0 means not at all. 10 means it completely got in the way."),
        PEG_MISSING["peg_activity"],
    )

    class Meta:
        model = Intake
        fields = ["peg_pain", "peg_enjoyment", "peg_activity"]


class DosesForm(PatientInputMixin, forms.Form):
    """Each opioid from the last visit: the same, changed, or stopped; and any new one.

    A medicine entered as the patient knows it (a product and its strength, or a name kept as
    typed with its strength) is changed on its own page, with the same questions as at the
    first visit (the page's "Change" button). One entered as a daily total, before the product
    list, keeps its daily total box here.
    """

    def __init__(self, data=None, *, medicines, **kwargs):
        super().__init__(data, **kwargs)
        self.medicines = medicines
        self.rows = []
        for medicine in medicines:
            dose = None
            if not changed_on_its_own_page(medicine):
                per_hour = medicine.unit == DoseUnit.MCG_PER_HOUR
                per = _("mcg an hour") if per_hour else _("mg a day")
                not_a_dose = _("Enter the amount as a number, like 40, or tick that you stopped.")
                dose = self.fields[f"dose_{medicine.pk}"] = TypedNumberField(
                    label=_("%(name)s: how much do you take now, in %(per)s?")
                    % {"name": medicine.display_name, "per": per},
                    initial=_plain(medicine.daily_dose),
                    # "90 mg" is read as 90; a unit that is not the box's own is refused.
                    units=("mcg/hr",) if per_hour else ("mg",),
                    min_value=Decimal("0.01"),
                    max_value=MAX_DAILY_DOSE,
                    invalid_message=not_a_dose,
                    wrong_unit_message=not_a_dose,
                    min_message=not_a_dose,
                    too_small_message=_(
                        "That is too small to be a day's dose. "
                        "Please check the amount and how often."
                    ),
                    max_message=not_a_dose,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "dose-input"}),
                )
            self.fields[f"stopped_{medicine.pk}"] = forms.BooleanField(
                label=_("I no longer take %(name)s") % {"name": medicine.display_name},
                required=False,
            )
            self.rows.append(
                {
                    "medicine": medicine,
                    "dose": self[f"dose_{medicine.pk}"] if dose is not None else None,
                    "stopped": self[f"stopped_{medicine.pk}"],
                }
            )

    def clean(self):
        cleaned = super().clean()
        for medicine in self.medicines:
            name = f"dose_{medicine.pk}"
            if name not in self.fields:
                continue
            if cleaned.get(f"stopped_{medicine.pk}"):
                # A stopped medicine's box is not read: whatever it holds is not a dose now.
                self.errors.pop(name, None)
                continue
            if name in self.errors:
                continue
            if cleaned.get(name) is None:
                self.add_error(
                    f"dose_{medicine.pk}",
                    ValidationError(
                        _("Enter the amount as a number, like 40, or tick that you stopped."),
                        code="dose_not_a_number",
                    ),
                )
            else:
                # Stored to the hundredth (the box refuses less than 0.01).
                cleaned[name] = cleaned[name].quantize(Decimal("0.01"))
        return cleaned

    def save(self):
        """Keep, change or remove each medicine; return how many changed. At most one DELETE
        and one UPDATE, however many medicines the patient lists."""
        stopped, changed = [], []
        for medicine in self.medicines:
            if self.cleaned_data.get(f"stopped_{medicine.pk}"):
                stopped.append(medicine.pk)
                continue
            dose = self.cleaned_data.get(f"dose_{medicine.pk}")
            if dose is not None and dose != medicine.daily_dose:
                # The patient gave the day's total: the old tablet strength no longer explains it.
                medicine.daily_dose, medicine.strength, medicine.times_per_day = dose, None, None
                changed.append(medicine)
        if stopped:
            IntakeMedicine.objects.filter(pk__in=stopped).delete()
        if changed:
            IntakeMedicine.objects.bulk_update(changed, ["daily_dose", "strength", "times_per_day"])
        return len(stopped) + len(changed)


def changed_on_its_own_page(medicine):
    """Whether a medicine was entered as the patient knows it (see DosesForm)."""
    return bool(medicine.product or medicine.strength_label)


class WithdrawalForm(CheckInQuestions, forms.ModelForm):
    withdrawal_symptoms_between_doses = checkbox_field(
        _("In the past week, have you had any of these?"),
        WithdrawalSymptom.choices,
        _("Tick all that you had. Leave them all empty if none."),
    )

    class Meta:
        model = Intake
        fields = ["withdrawal_symptoms_between_doses"]


class AnythingNewForm(CheckInQuestions, forms.Form):
    has_something_new = yes_no_field(
        _("Since your last visit, has anything new happened with your pain or your health?"),
        _("For example a new injury, a fall, an operation, or pain in a new place."),
    )
    # F5: new places of pain are kept as places, so that they count as spread.
    new_pain_sites = checkbox_field(
        _("If you have pain in a new place, where is it?"),
        BodyRegion.choices,
        _("Tick each new place. Leave them all empty if there is none."),
        widget_class="body-map-input",
    )
    details = forms.CharField(
        label=_("If yes, tell us a little about it"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Keep this to %(limit)s characters or fewer.")
            % {"limit": MAX_TEXT_LENGTH}
        },
    )

    def clean_details(self):
        return clean_text(self.cleaned_data["details"])

    def clean(self):
        cleaned = super().clean()
        has_new = cleaned.get("has_something_new")
        told = cleaned.get("details") or cleaned.get("new_pain_sites")
        if has_new is True and not told:
            # A "yes" with nothing said would reach the clinician as nothing at all.
            self.add_error(
                "details",
                ValidationError(
                    _("Tell us a little about what is new, or tick where the new pain is."),
                    code="nothing_told",
                ),
            )
        if has_new is False and told:
            # What the patient wrote or ticked is never dropped by a "no".
            self.add_error(
                "has_something_new",
                ValidationError(
                    _("You told us about something new. Choose yes, or clear what you added."),
                    code="no_but_told",
                ),
            )
        return cleaned

    @classmethod
    def initial_from(cls, check_in, previous):
        """The page as the patient left it, or empty on a first visit to it."""
        if "anything-new" not in check_in.completed_steps:
            return {}
        initial = {"has_something_new": check_in.has_something_new}
        if check_in.has_something_new:
            initial["details"] = check_in.new_injury_details
            initial["new_pain_sites"] = new_sites(check_in, previous)
        return initial

    def save(self, check_in, previous):
        has_new = self.cleaned_data["has_something_new"]
        check_in.has_something_new = has_new
        sites = self.cleaned_data["new_pain_sites"] if has_new else []
        check_in.current_pain_sites = [
            code
            for code in BodyRegion.values
            if code in previous.current_pain_sites or code in sites
        ]
        if has_new:
            # Something new that nobody has looked at yet: "not sure" (rulings 2026.2 point 10),
            # so a flag waits for progression to be ruled out rather than being explained away.
            check_in.new_injury_or_disease_progression = None
            check_in.new_injury_details = self.cleaned_data["details"]
        else:
            check_in.new_injury_or_disease_progression = previous.new_injury_or_disease_progression
            check_in.new_injury_details = previous.new_injury_details


def new_sites(check_in, previous):
    """The places of pain the patient added at this check-in, head to foot."""
    return [site for site in check_in.current_pain_sites if site not in previous.current_pain_sites]


def _plain(value):
    value = Decimal(value)
    return str(
        value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    )
