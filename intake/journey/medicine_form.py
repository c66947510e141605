"""The medicines step's form: one opioid as the patient knows it.

The patient names the medicine (found on the product list, `intake.medicines`, or kept as
typed), then gives the strength on the label and how they take it. The daily opioid dose is
worked out from the opioid part only. Without JavaScript this takes two pages: the name, then
that product's questions (`stage`). Every question about the entry is asked at its field; a
strength not sold or a day above the label's usual maximum may be confirmed as right.
"""

import re
import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from intake import medicines
from intake.choices import DoseUnit, OpioidName, Purpose
from intake.journey.forms import PatientInputMixin, clean_text, dress_boxes
from intake.models import IntakeMedicine, stored_decimal

UNLISTED = "unlisted"
# Which field each of the catalogue's questions belongs to.
FIELD_OF_PROBLEM = {
    "amount": "amount",
    "times_per_day": "times_per_day",
    "too_many_times": "times_per_day",
    "up_to_per_day": "up_to_per_day",
    "patches": "change_every_days",
    "change_every_days": "change_every_days",
    "schedule_not_for_patch": "change_every_days",
    "not_a_number": "amount",
    "dose_rounds_to_zero": "amount",
    "above_label_maximum": "times_per_day",
}
STRENGTH_PROBLEMS = {
    "strength_missing",
    "strength_unreadable",
    "strength_incomplete",
    "strength_ambiguous",
    "strength_is_non_opioid_part",
    "strength_run_together",
    "strength_not_sold",
}
INGREDIENT_WORDS = {
    "acetaminophen": _("acetaminophen"),
    "ibuprofen": _("ibuprofen"),
    "naloxone": _("naloxone"),
}
DOSE_MESSAGES = {
    "amount_missing": _("Please say how many you take each time."),
    "times_per_day_missing": _(
        "Please say how many times a day you take it. If you take it only when you need it, "
        "say the most you take in a day."
    ),
    "up_to_per_day_missing": _("Please say the most you take in a day."),
    "patches_missing": _("Please say how many patches you wear at a time."),
    "change_every_days_missing": _("Please say every how many days you change the patch."),
    "not_a_number": _("Please use a number."),
    "too_many_times": _("A day has 24 hours: please check how many times a day."),
    "schedule_not_for_patch": _("For a patch, tell us how often you change it."),
    "dose_rounds_to_zero": _(
        "That is too small to be a day's dose. Please check the amount and how often."
    ),
}
MAX_NUMBER = Decimal("10000")


def number_field(label, help_text=""):
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=Decimal("0.01"),
        max_value=MAX_NUMBER,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Please use a number, such as 1 or 2.5."),
            "min_value": _("Please use a number above 0."),
            "max_value": _("That number is too big. Please check it."),
            "max_decimal_places": _("Please use no more than 2 decimal places."),
        },
    )


class MedicineForm(PatientInputMixin, forms.Form):
    medicine = forms.CharField(
        label=_("Name of the medicine"),
        help_text=_("As on the label, such as Percocet, Norco or oxycodone."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": _("Please keep the name to 200 characters or fewer.")},
    )
    # The product list's id, or UNLISTED for a name kept as typed.
    product = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    strength = forms.CharField(
        label=_("Strength on the label"),
        required=False,
        max_length=100,
        widget=forms.RadioSelect,
    )
    strength_typed = forms.CharField(
        label=_("Strength on the label"),
        help_text=_("Type it as on the label, such as 5/325 or 10 mg."),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("Please keep the strength to 100 characters or fewer.")},
    )
    amount = number_field(_("How many do you take each time?"))
    times_per_day = number_field(_("How many times a day?"))
    up_to_per_day = number_field(
        _("Or, if you take it only when you need it: the most you take in a day"),
        _("Leave “How many times a day” empty if you use this."),
    )
    change_every_days = number_field(
        _("How often do you change the patch? Every how many days?"),
        _("For example 3 for every 3 days, or 7 for once a week."),
    )
    purpose = forms.ChoiceField(
        label=_("What is it for?"),
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the answers shown.")},
    )
    confirmed = forms.CharField(required=False, max_length=200)
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.chosen = None  # the Product, once known
        self.unlisted = False
        self.candidates = []  # products that might be what was typed
        self.stage = "name"
        self.questions_to_confirm = []  # Problems the patient may say are right
        self.result = None  # what save() stores

    @classmethod
    def to_change(cls, medicine):
        """The product's questions, answered as `medicine` was entered: a check-in changes only
        what changed. A medicine whose product is no longer on the list starts from its name."""
        schedule = medicine.schedule or {}
        product = medicines.get_product(medicine.product) if medicine.product else None
        unlisted = product is None and bool(medicine.strength_label)
        initial = {
            "medicine": medicine.other_name or medicine.chosen_as or medicine.display_name,
            "form_token": uuid.uuid4(),
            "purpose": medicine.purpose,
            "amount": schedule.get("amount", schedule.get("patches")),
            "times_per_day": schedule.get("times_per_day"),
            "up_to_per_day": schedule.get("up_to_per_day"),
            "change_every_days": schedule.get("change_every_days"),
        }
        if product is not None:
            initial.update(product=product.id, strength=medicine.strength_label)
        elif unlisted:
            initial.update(product=UNLISTED, strength_typed=medicine.strength_label)
        else:
            return cls(initial=initial)  # at the name, to find it again
        return cls._asking_details(initial, product, unlisted)

    def dress_fields(self):
        """Boxes get the journey's look (`dress_boxes`), once every question has been asked."""
        dress_boxes(self, look="form-control input-short")

    # ------------------------------------------------------------ stages

    def is_filled_in(self):
        """Whether anything of a medicine was entered: such a form is never dropped."""
        if not self.is_bound:
            return False
        keys = ("medicine", "product", "strength", "strength_typed", "times_per_day")
        keys += ("up_to_per_day", "change_every_days")
        return any((self.data.get(key) or "").strip() for key in keys)

    def find(self):
        """Name only: the product it names, or the candidates to choose from. True when the
        product's questions can be asked next."""
        if not self.is_valid():
            return False
        if self._resolve():
            self.stage = "details"
            return True
        self._ask_which()
        return False

    def details_form(self):
        """A fresh form asking the chosen product's questions, keeping this form's token;
        one tablet (film, capsule) at a time to start with, as most take."""
        initial = {
            "medicine": clean_text(self.cleaned_data.get("medicine")),
            "product": UNLISTED if self.unlisted else self.chosen.id,
            "form_token": self.cleaned_data.get("form_token") or uuid.uuid4(),
        }
        if self.unlisted or not (self.chosen.is_patch or self.chosen.is_liquid):
            initial["amount"] = 1
        return MedicineForm._asking_details(initial, self.chosen, self.unlisted)

    @classmethod
    def _asking_details(cls, initial, chosen, unlisted):
        """An unbound form at the product's questions: `chosen` (a Product), or a name kept
        as typed (`unlisted`)."""
        form = cls(initial=initial)
        form.chosen, form.unlisted, form.stage = chosen, unlisted, "details"
        if chosen is not None:
            form._offer_strengths()
        return form

    def is_complete(self):
        """The whole medicine, checked; `result` holds what to store."""
        if not self.is_valid():
            if self._resolve():
                self.stage = "details"
            return False
        if not self._resolve():
            self._ask_which(must_choose=True)
            return False
        self.stage = "details"
        if not self.cleaned_data.get("purpose"):
            self.add_error(
                "purpose", ValidationError(_("Choose what the medicine is for."), code="required")
            )
        self.result = self._unlisted_result() if self.unlisted else self._listed_result()
        if self.result is not None and IntakeMedicine.numbers_that_do_not_fit(self.result):
            self._too_big()
        return not self.errors and self.result is not None

    def _resolve(self):
        data = self.cleaned_data
        name = clean_text(data.get("medicine"))
        product_id = data.get("product") or ""
        if product_id == UNLISTED and name:
            self.unlisted = True
            return True
        self.chosen = medicines.get_product(product_id) or medicines.find_by_name(name)
        if self.chosen is not None:
            self._offer_strengths()
        return self.chosen is not None

    def _ask_which(self, must_choose=False):
        name = clean_text(self.cleaned_data.get("medicine"))
        if not name:
            self.add_error(
                "medicine",
                ValidationError(
                    _("Please type the name of the medicine, as on the label."), code="required"
                ),
            )
            return
        self.stage = "choose"
        self.candidates = medicines.search(name, limit=6)
        self.fields["product"].widget = forms.RadioSelect()
        if must_choose or self.data.get("stage") == "choose":
            self.add_error(
                "product",
                ValidationError(
                    _("Choose the medicine, or keep the name as you typed it."), code="required"
                ),
            )

    def _offer_strengths(self):
        self.fields["strength"].widget.choices = [
            (strength.label, strength.display) for strength in medicines.strengths(self.chosen)
        ]
        if self.chosen.is_liquid:
            self.fields["amount"].label = _("How many mL do you take each time?")

    # ------------------------------------------------------------ checks

    def _typed_strength(self):
        return clean_text(self.cleaned_data.get("strength_typed")) or clean_text(
            self.cleaned_data.get("strength")
        )

    def _schedule(self):
        data = self.cleaned_data
        if self.chosen is not None and self.chosen.is_patch:
            return medicines.Schedule.patch(data.get("change_every_days"))
        if data.get("times_per_day") is None and data.get("up_to_per_day") is not None:
            return medicines.Schedule.when_needed(data["up_to_per_day"], data.get("amount"))
        return medicines.Schedule.regular(data.get("amount"), data.get("times_per_day"))

    def _listed_result(self):
        product, typed = self.chosen, self._typed_strength()
        reading = medicines.read_strength(product, typed)
        schedule = self._schedule()
        if reading.strength is None:
            for problem in reading.problems:
                self._ask(problem, typed)
            return None
        if product.is_patch and schedule.change_every_days is None:
            self._ask(medicines.Problem("change_every_days_missing", ""), typed)
            return None
        found = (*reading.problems, *medicines.check(product, reading.strength, schedule))
        problems = {problem.code: problem for problem in found}
        confirmed = set((self.cleaned_data.get("confirmed") or "").split(","))
        unconfirmed = [p for p in problems.values() if not (p.confirmable and p.code in confirmed)]
        if unconfirmed:
            self.questions_to_confirm = [p for p in problems.values() if p.confirmable]
            for problem in unconfirmed:
                self._ask(problem, typed, reading.strength)
            return None
        dose = medicines.daily_dose(product, reading.strength, schedule)
        opioid = reading.strength.amounts[product.opioid_index]
        return {
            "name": dose.name,
            "formulation": dose.formulation,
            "daily_dose": dose.daily_dose,
            "unit": dose.unit,
            "product": product.id,
            "chosen_as": product.name,
            "strength_label": reading.strength.label,
            "schedule": medicines.schedule_document(product, schedule),
            "entered_as": medicines.describe(product, reading.strength, schedule),
            "confirmed_by_patient": sorted(code for code in problems if code in confirmed),
            # The old columns, for anything that reads them: mg (or mcg/hr) of the opioid
            # in one tablet, film or patch; a liquid's per-mL amount is in `strength_label`.
            "strength": None if product.is_liquid or reading.strength.unit == "mcg" else opioid,
            "times_per_day": schedule.times_per_day if not schedule.as_needed else None,
        }

    def _unlisted_result(self):
        """A medicine not on the list: kept as typed, with a free strength.

        The rules treat `other` per ruling 8: it has no MME factor, so it is never added to
        the total; the total of the rest is kept as a lower bound and the clinician is told
        (`mme_not_computable`, `data_quality`). The document still needs a daily dose above
        0, so the safer reading is taken: the first number of the typed strength times the
        doses a day, in the strength's own unit, stored for the clinician to read and never
        converted. A strength with no number is asked for again rather than guessed.
        """
        name = clean_text(self.cleaned_data.get("medicine"))
        typed = self._typed_strength()
        numbers = re.findall(r"\d+(?:\.\d+)?", typed)
        if not numbers:
            self.add_error(
                "strength_typed",
                ValidationError(
                    _("Please type the strength on the label, with its number, such as 10 mg."),
                    code="strength_missing",
                ),
            )
            return None
        per_hour = "mcg/h" in typed.casefold().replace(" ", "")
        schedule = self._schedule()
        try:
            if per_hour:
                daily, unit = Decimal(numbers[0]), DoseUnit.MCG_PER_HOUR
            else:
                units = _units_a_day(schedule)
                daily, unit = Decimal(numbers[0]) * units, DoseUnit.MG_PER_DAY
        except medicines.DoseError as error:
            self._ask(medicines.Problem(error.code, error.message), typed)
            return None
        daily = stored_decimal(IntakeMedicine._meta.get_field("daily_dose"), daily)
        if daily is None:
            self._too_big()
            return None
        if daily <= 0:
            self._ask(medicines.Problem("dose_rounds_to_zero", ""), typed)
            return None
        item = medicines.unlisted_item(name, typed)
        return {
            "name": OpioidName.OTHER,
            "other_name": item["other_name"],
            "formulation": item["formulation"],
            "daily_dose": daily,
            "unit": unit,
            "product": "",
            "chosen_as": "",
            "strength_label": item["strength"],
            "schedule": {} if per_hour else medicines.taking_schedule_document(schedule),
            "entered_as": _unlisted_description(item, schedule, per_hour),
            "confirmed_by_patient": [],
            "strength": None,
            "times_per_day": None if per_hour or schedule.as_needed else schedule.times_per_day,
        }

    def _too_big(self):
        """Numbers past any day's dose (and past what can be stored): asked again."""
        self.result = None
        self.add_error(
            "strength_typed" if self.unlisted else "amount",
            ValidationError(
                _(
                    "That makes a day's dose too big to be right. Please check the strength, "
                    "how many you take and how often."
                ),
                code="number_too_big",
            ),
        )

    def _ask(self, problem, typed, strength=None):
        field = "strength_typed" if problem.code in STRENGTH_PROBLEMS else None
        if field is None:
            prefix = problem.code.rsplit("_missing", 1)[0].rsplit("_not_positive", 1)[0]
            field = FIELD_OF_PROBLEM.get(problem.code) or FIELD_OF_PROBLEM.get(prefix, "amount")
        if field == "times_per_day" and self.chosen is not None and self.chosen.is_patch:
            field = "change_every_days"
        as_needed = self.cleaned_data.get("times_per_day") is None and (
            self.cleaned_data.get("up_to_per_day") is not None
        )
        if field == "times_per_day" and as_needed:
            field = "up_to_per_day"
        if self.chosen is not None and field == "strength_typed" and not typed_by_hand(self):
            field = "strength"
        self.add_error(
            field,
            ValidationError(
                problem_message(problem, self.chosen, typed, strength), code=problem.code
            ),
        )

    # ------------------------------------------------------------ saving

    def save(self, intake, replacing=None):
        """Add the medicine once, however often this form is sent, in place of `replacing` if
        given (a check-in's changed medicine). Returns (medicine, added): `added` is False for
        a form already added (a double click); the medicine is None, with an error on the
        form, when the database refused it for any other reason."""
        token = self.cleaned_data.get("form_token")
        values = {key: value for key, value in self.result.items()}
        medicine = IntakeMedicine(
            intake=intake,
            purpose=self.cleaned_data["purpose"],
            form_token=token,
            position=replacing.position if replacing else intake.medicines.count(),
            **values,
        )
        try:
            with transaction.atomic():
                if replacing is not None:
                    replacing.delete()
                medicine.save()
        except IntegrityError:
            # Only the same form sent twice is a double click; anything else is a real fault.
            existing = intake.medicines.filter(form_token=token).first() if token else None
            if existing is None:
                self.add_error(
                    None,
                    ValidationError(
                        _("We could not save this medicine. Please check it and try again."),
                        code="not_saved",
                    ),
                )
            return existing, False
        return medicine, True


def typed_by_hand(form):
    return bool(clean_text(form.cleaned_data.get("strength_typed")))


def _units_a_day(schedule):
    units = schedule.up_to_per_day if schedule.as_needed else None
    if units is None:
        amount, times = schedule.amount, schedule.times_per_day
        if amount is None:
            raise medicines.DoseError("amount_missing", "")
        if times is None:
            raise medicines.DoseError("times_per_day_missing", "")
        if times > 24:
            raise medicines.DoseError("too_many_times", "")
        units = amount * times
    return units


def _unlisted_description(item, schedule, per_hour):
    name = f"{item['other_name']} {item['strength']}"
    if per_hour:
        return name
    if schedule.as_needed:
        return f"{name}, as needed, up to {_plain(schedule.up_to_per_day)} a day"
    times = schedule.times_per_day
    words = {1: "once a day", 2: "twice a day"}.get(times, f"{_plain(times)} times a day")
    return f"{name}, {_plain(schedule.amount)} at a time, {words}"


def _plain(value):
    return format(Decimal(value).normalize(), "f")


def problem_message(problem, product, typed, strength=None):
    """The catalogue's question in the patient's language (the catalogue speaks English)."""
    code = problem.code
    if code.endswith("_not_positive"):
        return _("Please use a number above 0.")
    if code in DOSE_MESSAGES:
        return DOSE_MESSAGES[code]
    if product is None:
        return problem.question
    listed = ", ".join(s.display for s in product.strengths)
    values = {"name": product.name, "listed": listed, "example": product.strengths[0].label}
    if code == "strength_is_non_opioid_part":
        number, ingredient = _non_opioid_part(product, typed)
        return _(
            "%(number)s is usually the %(ingredient)s part of %(name)s. Which strength is on "
            "the label? It comes in %(listed)s."
        ) % {**values, "number": number, "ingredient": ingredient}
    if code == "strength_run_together" and problem.suggestion is not None:
        return _("Did you mean %(strength)s? Please choose the strength on the label.") % {
            "strength": problem.suggestion.display
        }
    if code == "strength_not_sold" and strength is not None:
        return _(
            "%(name)s is not usually sold as %(strength)s. Please check the label. It comes in "
            "%(listed)s. If the label says %(strength)s, you can say so below."
        ) % {**values, "strength": strength.label}
    if code == "above_label_maximum":
        return (
            _(
                "That adds up to more %(name)s in a day than its label usually allows. Please check "
                "the label and how many you take. If it is right, you can say so below."
            )
            % values
        )
    if code in ("strength_unreadable", "strength_incomplete"):
        return (
            _(
                "Please type the whole strength as it is on the label, such as %(example)s. "
                "%(name)s comes in %(listed)s."
            )
            % values
        )
    return _("Which strength is on the label? %(name)s comes in %(listed)s.") % values


def _non_opioid_part(product, typed):
    """The number typed and the ingredient it is part of: "325 mg", "acetaminophen"."""
    found = re.search(r"\d+(?:\.\d+)?", typed or "")
    number = Decimal(found.group()) if found else None
    for strength in product.strengths:
        for index, amount in enumerate(strength.amounts):
            if index != product.opioid_index and amount == number:
                ingredient = product.ingredients[index]
                return (
                    f"{_plain(amount)} {strength.unit}",
                    INGREDIENT_WORDS.get(ingredient, ingredient),
                )
    return typed, ""
