"""The medicines step's form: one opioid, by name or brand, with its strength and doses a day.

Brand names map to their ingredient so the rules see the drug; the daily dose is worked out
here, in mg a day or, for a patch, mcg an hour. `save()` adds the medicine once however often
the form is sent.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from intake.choices import DoseUnit, Formulation, OpioidName, Purpose
from intake.journey.forms import PatientInputMixin, clean_text, radio_field
from intake.models import IntakeMedicine

# Common brand names, each mapped to its ingredient (and usual form) so the rules see the drug.
BRAND_NAMES = {
    "OxyContin": (OpioidName.OXYCODONE, Formulation.EXTENDED_RELEASE),
    "Percocet": (OpioidName.OXYCODONE, Formulation.IMMEDIATE_RELEASE),
    "Roxicodone": (OpioidName.OXYCODONE, Formulation.IMMEDIATE_RELEASE),
    "Xtampza ER": (OpioidName.OXYCODONE, Formulation.EXTENDED_RELEASE),
    "Norco": (OpioidName.HYDROCODONE, Formulation.IMMEDIATE_RELEASE),
    "Vicodin": (OpioidName.HYDROCODONE, Formulation.IMMEDIATE_RELEASE),
    "Hysingla ER": (OpioidName.HYDROCODONE, Formulation.EXTENDED_RELEASE),
    "MS Contin": (OpioidName.MORPHINE, Formulation.EXTENDED_RELEASE),
    "Dilaudid": (OpioidName.HYDROMORPHONE, Formulation.IMMEDIATE_RELEASE),
    "Duragesic": (OpioidName.FENTANYL, Formulation.TRANSDERMAL_PATCH),
    "Ultram": (OpioidName.TRAMADOL, Formulation.IMMEDIATE_RELEASE),
    "Nucynta": (OpioidName.TAPENTADOL, Formulation.IMMEDIATE_RELEASE),
    "Opana": (OpioidName.OXYMORPHONE, Formulation.IMMEDIATE_RELEASE),
    "Tylenol with Codeine": (OpioidName.CODEINE, Formulation.IMMEDIATE_RELEASE),
    "Dolophine": (OpioidName.METHADONE, Formulation.IMMEDIATE_RELEASE),
    "Methadose": (OpioidName.METHADONE, Formulation.IMMEDIATE_RELEASE),
    "Butrans": (OpioidName.BUPRENORPHINE, Formulation.TRANSDERMAL_PATCH),
    "Belbuca": (OpioidName.BUPRENORPHINE, Formulation.SUBLINGUAL),
    "Suboxone": (OpioidName.BUPRENORPHINE, Formulation.SUBLINGUAL),
    "Subutex": (OpioidName.BUPRENORPHINE, Formulation.SUBLINGUAL),
}
NOT_SURE = "not_sure"
MEDICINE_CHOICES = [
    ("", "Choose a medicine"),
    ("Medicine names", [(c.value, c.label) for c in OpioidName if c != OpioidName.OTHER]),
    (
        "Brand names",
        [
            (f"brand:{brand}", f"{brand} ({drug.label.lower()})")
            for brand, (drug, _) in BRAND_NAMES.items()
        ],
    ),
    (
        "Other",
        [
            (OpioidName.OTHER.value, "Another opioid (type its name)"),
            (NOT_SURE, "I'm not sure of the name"),
        ],
    ),
]
MAX_DAILY_MG = Decimal("5000")
MAX_PATCH_MCG_PER_HOUR = Decimal("400")
MAX_TIMES_PER_DAY = Decimal("24")


class MedicineForm(PatientInputMixin, forms.ModelForm):
    medicine = forms.ChoiceField(
        label="Medicine name",
        choices=MEDICINE_CHOICES,
        help_text="Check the label on the box or bottle. Brand names are in the list too.",
        error_messages={
            "required": "Choose the medicine from the list, or choose “I'm not sure”.",
            "invalid_choice": "Choose the medicine from the list.",
        },
    )
    other_name = forms.CharField(
        label="If it is not in the list, what is it called? (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Keep the name to 200 characters or fewer."},
    )
    formulation = radio_field(
        "What form is it?",
        Formulation.choices,
        required_message="Choose what form the medicine is.",
    )
    strength = forms.DecimalField(
        label="Strength of one dose",
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        help_text="The number on the label, such as 10 for 10 mg. For a patch, the mcg per hour, "
        "such as 25.",
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        error_messages={
            "required": "Enter the strength of one dose, like 10.",
            "invalid": "Enter the strength as a number, like 10 or 7.5.",
            "min_value": "The strength must be more than 0.",
            "max_digits": "That number is too long. Check the label.",
            "max_decimal_places": "Use no more than 2 decimal places.",
        },
    )
    times_per_day = forms.DecimalField(
        label="How many doses do you take in a day?",
        required=False,
        min_value=Decimal("0.1"),
        max_value=MAX_TIMES_PER_DAY,
        max_digits=5,
        decimal_places=2,
        help_text="For a patch, leave this empty.",
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        error_messages={
            "invalid": "Enter the number of doses a day, like 3.",
            "min_value": "The number of doses must be more than 0.",
            "max_value": "Enter 24 doses a day or fewer.",
            "max_digits": "That number is too long.",
            "max_decimal_places": "Use no more than 2 decimal places.",
        },
    )
    purpose = radio_field(
        "What is it prescribed for?",
        Purpose.choices,
        required_message="Choose what the medicine is for.",
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = IntakeMedicine
        # The name, dose and unit are worked out in clean() from what the patient chose.
        fields = ["medicine", "other_name", "formulation", "strength", "times_per_day", "purpose"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's default purpose is for imported documents; a patient chooses one.
        self.initial.pop("purpose", None)

    def clean_other_name(self):
        return clean_text(self.cleaned_data["other_name"])

    def clean(self):
        cleaned = super().clean()
        choice, form = cleaned.get("medicine"), cleaned.get("formulation")
        strength, times = cleaned.get("strength"), cleaned.get("times_per_day")
        if not choice or not form or strength is None:
            return cleaned
        name, other_name, chosen_as = self._ingredient(choice, cleaned.get("other_name", ""))
        cleaned.update(name=name, other_name=other_name, chosen_as=chosen_as)
        if form == Formulation.TRANSDERMAL_PATCH:
            if strength > MAX_PATCH_MCG_PER_HOUR:
                self.add_error(
                    "strength",
                    ValidationError(
                        "That patch strength looks too high. Check the mcg per hour on the patch.",
                        code="too_high",
                    ),
                )
            cleaned.update(daily_dose=strength, unit=DoseUnit.MCG_PER_HOUR)
            return cleaned
        if times is None:
            if self.has_error("times_per_day"):
                return cleaned
            self.add_error(
                "times_per_day",
                ValidationError("Enter how many doses you take in a day, like 3.", code="required"),
            )
            return cleaned
        daily = strength * times
        if daily > MAX_DAILY_MG:
            self.add_error(
                "strength",
                ValidationError(
                    "That adds up to a very high daily dose. Check the strength and the number of "
                    "doses a day.",
                    code="too_high",
                ),
            )
        cleaned.update(daily_dose=daily.quantize(Decimal("0.01")), unit=DoseUnit.MG_PER_DAY)
        return cleaned

    def save(self, intake):
        """Add the medicine to the intake once, however often this form is sent; return it,
        or None for a form already added."""
        medicine = super().save(commit=False)
        data = self.cleaned_data
        medicine.intake = intake
        medicine.name, medicine.chosen_as = data["name"], data["chosen_as"]
        medicine.daily_dose, medicine.unit = data["daily_dose"], data["unit"]
        if medicine.unit != DoseUnit.MG_PER_DAY:
            medicine.times_per_day = None
        medicine.form_token = data["form_token"]
        medicine.position = intake.medicines.count()
        try:
            # A double click sends the same form twice: the second is the same medicine.
            with transaction.atomic():
                medicine.save()
        except IntegrityError:
            return None
        return medicine

    @staticmethod
    def _ingredient(choice, other_name):
        if choice.startswith("brand:"):
            brand = choice.removeprefix("brand:")
            return BRAND_NAMES[brand][0], "", brand
        if choice == NOT_SURE:
            return OpioidName.OTHER, other_name or "Not sure of the name", ""
        if choice == OpioidName.OTHER:
            return OpioidName.OTHER, other_name or "Not named", ""
        return choice, "", ""
