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
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from intake import medicines
from intake.choices import OpioidName, Purpose
from intake.journey import generic_names, typed_numbers
from intake.journey.forms import (
    NUMBER_PROBLEM_MESSAGES,
    PatientInputMixin,
    TypedNumberField,
    clean_text,
    dress_boxes,
)
from intake.models import IntakeMedicine, stored_decimal

UNLISTED = "unlisted"
# Which field each of the catalogue's questions belongs to.
FIELD_OF_PROBLEM = {
    "amount": "amount",
    "times_per_day": "times_per_day",
    "too_many_times": "times_per_day",
    "up_to_per_day": "most_times_per_day",
    "most_times_per_day": "most_times_per_day",
    "patches": "patches",
    "change_every_days": "change_every_days",
    "schedule_not_for_patch": "change_every_days",
    "schedule_not_for_injection": "change_every_days",
    "injection_every_days": "change_every_days",
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
    "aspirin": _("aspirin"),
    "butalbital": _("butalbital"),
    "caffeine": _("caffeine"),
    "promethazine": _("promethazine"),
    "celecoxib": _("celecoxib"),
    "homatropine": _("homatropine"),
    "chlorpheniramine": _("chlorpheniramine"),
}
DOSE_MESSAGES = {
    "amount_missing": _("Please say how many you take each time."),
    "times_per_day_missing": _(
        "Please say how many times a day you take it. If you take it only when you need it, "
        "say the most you take in a day."
    ),
    "up_to_per_day_missing": _("Please say the most times you take it in a day."),
    "most_times_per_day_missing": _("Please say the most times you take it in a day."),
    "patches_missing": _("Please say how many patches you wear at a time."),
    "change_every_days_missing": _("Please say every how many days you change the patch."),
    "not_a_number": _("Please use a number."),
    "too_many_times": _("A day has 24 hours: please check how many times a day."),
    "schedule_not_for_patch": _("For a patch, tell us how often you change it."),
    "schedule_not_for_injection": _("For a shot, tell us every how many days you get it."),
    "injection_every_days_missing": _("Please say every how many days you get the shot."),
    "dose_rounds_to_zero": _(
        "That is too small to be a day's dose. Please check the amount and how often."
    ),
}
MAX_NUMBER = Decimal("10000")
UNLISTED_STRENGTH_MESSAGES = {
    typed_numbers.MISSING_NUMBER: _(
        "Please type the strength on the label, with its number, such as 10 mg."
    ),
    typed_numbers.MISSING_UNIT: _(
        "Please type the strength with its unit, such as 10 mg, 2 g or 400 mcg."
    ),
    typed_numbers.NOT_A_NUMBER: _(
        "Please type the strength on the label, with its number, such as 10 mg."
    ),
    **NUMBER_PROBLEM_MESSAGES,
}


def number_field(label, help_text="", units=(), wrong_unit_message=None):
    """A box for a number as typed ("0,5", "1/2", "half", "2 tablets": TypedNumberField)."""
    return TypedNumberField(
        label=label,
        help_text=help_text,
        units=units,
        min_value=Decimal("0.01"),
        max_value=MAX_NUMBER,
        places=2,
        wrong_unit_message=wrong_unit_message,
    )


TIMES_UNIT_MESSAGE = _("Please type how many times, such as 4.")
AMOUNT_UNIT_MESSAGES = {
    "mL": _("Please type how many mL you take each time, such as 5 or 2.5."),
    "tablet": _(
        "Please type how many you take each time, such as 1 or 1/2. "
        "The strength goes in its own box."
    ),
}


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
    amount = number_field(
        _("How many do you take each time?"),
        units=("tablet",),
        wrong_unit_message=AMOUNT_UNIT_MESSAGES["tablet"],
    )
    times_per_day = number_field(
        _("How many times a day?"), units=("time",), wrong_unit_message=TIMES_UNIT_MESSAGE
    )
    # As needed: the most times, never the most tablets, so "2 at a time, up to 4" is 8.
    most_times_per_day = number_field(
        _("Or, if you take it only when you need it: the most times you take it in a day"),
        _("Leave “How many times a day” empty if you use this."),
        units=("time",),
        wrong_unit_message=TIMES_UNIT_MESSAGE,
    )
    patches = number_field(
        _("How many patches do you wear at a time?"),
        units=("patch",),
        wrong_unit_message=_("Please type how many patches, such as 1 or 2."),
    )
    change_every_days = number_field(
        _("How often do you change the patch? Every how many days?"),
        _("For example 3 for every 3 days, or 7 for once a week."),
        units=("day",),
        wrong_unit_message=_("Please type the number of days, such as 3. For a week, type 7."),
    )
    purpose = forms.ChoiceField(
        label=_("What is it for?"),
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the answers shown.")},
    )
    confirmed = forms.CharField(required=False, max_length=200)
    # The same medicine again is asked about, not stored twice (it would double the MME).
    also_take = forms.BooleanField(label=_("Yes, I take both: add this one too"), required=False)
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.chosen = None  # the Product, once known
        self.unlisted = False
        self.candidates = []  # products that might be what was typed
        self.not_an_opioid = ""  # said when the name is a medicine that is not an opioid
        self.stage = "name"
        self.questions_to_confirm = []  # Problems the patient may say are right
        self.result = None  # what save() stores
        self.duplicate_of = None  # the medicine already listed that this one repeats
        if self.is_bound:
            self._count_in(self._product_named_in_data())

    def _product_named_in_data(self):
        product_id = self.data.get("product") or ""
        if product_id == UNLISTED:
            return None
        return medicines.get_product(product_id) or medicines.find_by_name(
            clean_text(self.data.get("medicine"))
        )

    def _count_in(self, product):
        """The amount box counts the product's own unit: mL for a liquid, else tablets (a
        name kept as typed may be either)."""
        amount = self.fields["amount"]
        if product is None:
            amount.units = ("tablet", "mL")
        elif product.is_liquid:
            amount.units = ("mL",)
            amount.messages[typed_numbers.WRONG_UNIT] = AMOUNT_UNIT_MESSAGES["mL"]

    @classmethod
    def to_change(cls, medicine):
        """The product's questions, answered as `medicine` was entered: a check-in changes only
        what changed. A medicine whose product is no longer on the list starts from its name."""
        schedule = medicine.schedule or {}
        product = medicines.get_product(medicine.product) if medicine.product else None
        unlisted = product is None and bool(medicine.strength_label)
        initial = {
            "medicine": medicine.other_name or medicine.display_name,
            "form_token": uuid.uuid4(),
            "purpose": medicine.purpose,
            "amount": schedule.get("amount"),
            "times_per_day": schedule.get("times_per_day"),
            "most_times_per_day": _most_times(schedule),
            "patches": schedule.get("patches"),
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
        keys += ("most_times_per_day", "patches", "change_every_days")
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
        if self.unlisted:
            # "kratom 2 g" kept as typed: its strength fills the strength box, as for a listed
            # product, rather than being asked again.
            typed = medicines.look_up(initial["medicine"]).strength_text
            if typed:
                initial["strength_typed"] = typed
        else:
            sold, typed = self._strength_in_name()
            if sold is not None:
                initial["strength"] = sold.label
            elif typed:
                initial["strength_typed"] = typed
        if not self.unlisted and self.chosen.is_patch:
            initial["patches"] = 1
        return MedicineForm._asking_details(initial, self.chosen, self.unlisted)

    def _strength_in_name(self):
        """The strength typed in the name box ("Norco 5-325"): kept, never asked again. The
        chosen product's strength when it is sold in it, else None; and the text as typed."""
        found = medicines.look_up(clean_text(self.cleaned_data.get("medicine")))
        if not found.strength_text:
            return None, ""
        return medicines.sold_strength(self.chosen, found.strength_text), found.strength_text

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
            # A medicine that is not an opioid is never kept as one (it would count as an
            # unknown opioid): `_ask_which` says where to list it instead.
            if medicines.look_up(name).not_an_opioid is not None:
                return False
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
        found = medicines.look_up(name, limit=6)
        self.candidates = list(found.products)
        if found.not_an_opioid is not None:
            self.not_an_opioid = not_an_opioid_message(name)
        self.fields["product"].widget = forms.RadioSelect()
        if self.not_an_opioid and self.cleaned_data.get("product") == UNLISTED:
            self.add_error("medicine", ValidationError(self.not_an_opioid, code="not_an_opioid"))
        elif must_choose or self.data.get("stage") == "choose":
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
            self.fields["amount"].units = ("mL",)
        if self.chosen.is_injection:
            every = self.fields["change_every_days"]
            every.label = _("How often do you get the shot? Every how many days?")
            every.help_text = _("For example 7 for once a week, or 28 for once a month.")

    # ------------------------------------------------------------ checks

    def _typed_strength(self):
        typed = clean_text(self.cleaned_data.get("strength_typed")) or clean_text(
            self.cleaned_data.get("strength")
        )
        if typed or self.chosen is None:
            return typed
        sold, typed_in_name = self._strength_in_name()
        return sold.label if sold is not None else typed_in_name

    def _schedule(self):
        data = self.cleaned_data
        if self.chosen is not None and self.chosen.is_patch:
            return medicines.Schedule.patch(data.get("change_every_days"), data.get("patches"))
        if self.chosen is not None and self.chosen.is_injection:
            return medicines.Schedule.patch(data.get("change_every_days"))
        if self._is_as_needed():
            return medicines.Schedule.when_needed(
                amount=data.get("amount"), most_times_per_day=data["most_times_per_day"]
            )
        return medicines.Schedule.regular(data.get("amount"), data.get("times_per_day"))

    def _is_as_needed(self):
        data = self.cleaned_data
        return data.get("times_per_day") is None and data.get("most_times_per_day") is not None

    def _as_needed_problem(self):
        """As needed, the amount each time and the most times a day are both needed."""
        data = self.cleaned_data
        if not self._is_as_needed():
            return None
        if data.get("amount") is None:
            return medicines.Problem("amount_missing", "")
        if data["most_times_per_day"] > medicines.MAX_TIMES_PER_DAY:
            return medicines.Problem("too_many_times", "")
        return None

    def _listed_result(self):
        product, typed = self.chosen, self._typed_strength()
        reading = medicines.read_strength(product, typed)
        schedule = self._schedule()
        if reading.strength is None:
            for problem in reading.problems:
                self._ask(problem, typed)
            return None
        if product.is_patch and self.cleaned_data.get("patches") is None:
            self._ask(medicines.Problem("patches_missing", ""), typed)
            return None
        if product.is_patch and schedule.change_every_days is None:
            self._ask(medicines.Problem("change_every_days_missing", ""), typed)
            return None
        if product.is_injection and schedule.change_every_days is None:
            self._ask(medicines.Problem("injection_every_days_missing", ""), typed)
            return None
        if not (product.is_patch or product.is_injection) and self._as_needed_problem():
            self._ask(self._as_needed_problem(), typed)
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
        0: the strength's first number times the doses a day, in the strength's own unit
        ("2 g" three times a day is 6 g/day, never 6 mg/day), stored for the clinician to read
        and never converted. A strength without its number or unit is asked for again rather
        than guessed.
        """
        name = clean_text(self.cleaned_data.get("medicine"))
        typed = self._typed_strength()
        strength = typed_numbers.read_strength(typed)
        if strength.problem:
            self.add_error(
                "strength_typed",
                ValidationError(UNLISTED_STRENGTH_MESSAGES[strength.problem], code="strength"),
            )
            return None
        per_hour = strength.unit == "mcg/hr"
        if not per_hour and self._as_needed_problem():
            self._ask(self._as_needed_problem(), typed)
            return None
        schedule = self._schedule()
        try:
            if per_hour:
                # A patch: its strength per hour, times the patches worn at once.
                daily = strength.amount * (self.cleaned_data.get("amount") or 1)
            else:
                # Tablets (or mL) a day; a liquid's strength is per so many mL.
                daily = strength.amount * _units_a_day(schedule) / (strength.volume_ml or 1)
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
            "unit": typed_numbers.DAILY_UNIT_OF[strength.unit],
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
        if field == "times_per_day" and self._is_as_needed():
            field = "most_times_per_day"
        if self.chosen is not None and field == "strength_typed" and not typed_by_hand(self):
            field = "strength"
        self.add_error(
            field,
            ValidationError(
                problem_message(problem, self.chosen, typed, strength), code=problem.code
            ),
        )

    # ------------------------------------------------------------ saving

    def repeats_a_listed_medicine(self, intake, replacing=None):
        """Whether this medicine is already on the list and the patient has not said they
        take both; if so, the question is asked at the box that says so."""
        if self.cleaned_data.get("also_take"):
            return False
        others = intake.medicines.exclude(pk=replacing.pk) if replacing else intake.medicines
        self.duplicate_of = next(
            (medicine for medicine in others.all() if _same_medicine(medicine, self.result)),
            None,
        )
        if self.duplicate_of is None:
            return False
        self.add_error(
            "also_take",
            ValidationError(
                _(
                    "You have already added %(name)s. If you take it twice in different ways, "
                    "tick the box to add this one too. If not, there is no need to add it again."
                )
                % {"name": self.duplicate_of.display_name},
                code="already_added",
            ),
        )
        return True

    def save(self, intake, replacing=None):
        """Add the medicine once, however often this form is sent, in place of `replacing` if
        given (a check-in's changed medicine). Returns (medicine, added): `added` is False for
        a form already added (a double click); the medicine is None, with an error on the
        form, when the database refused it for any other reason."""
        token = self.cleaned_data.get("form_token")
        try:
            with transaction.atomic():
                # The intake's row is locked first: the second of a double tap waits here
                # until the first is stored, then finds its token, instead of reading the
                # medicine just added as the same medicine listed twice.
                type(intake).objects.select_for_update().filter(pk=intake.pk).first()
                already = intake.medicines.filter(form_token=token).first() if token else None
                if already is not None:
                    return already, False  # the same form sent twice: a double click
                if self.repeats_a_listed_medicine(intake, replacing):
                    return None, False
                medicine = IntakeMedicine(
                    intake=intake,
                    purpose=self.cleaned_data["purpose"],
                    form_token=token,
                    position=replacing.position if replacing else intake.medicines.count(),
                    **self.result,
                )
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


def not_an_opioid_message(typed):
    """Kind words for a medicine that is not an opioid, named as the patient typed it, and
    where it goes instead."""
    return _(
        "“%(name)s” is not an opioid, so it does not go on this list. You can list it on the "
        "“Other medicines” page."
    ) % {"name": typed}


def _most_times(schedule):
    """The most times a day of an as-needed entry; older entries kept only the most tablets
    (or mL) a day, which is that divided by the amount each time."""
    most = schedule.get("most_times_per_day")
    if most is not None or schedule.get("up_to_per_day") is None:
        return most
    amount = schedule.get("amount") or 1
    return Decimal(str(schedule["up_to_per_day"])) / Decimal(str(amount))


REMOVED_KEY = "removed_medicine"


def remove_keeping_undo(session, intake, medicine_id):
    """Remove a medicine from the intake, keeping what it was in the session so that one
    tap can put it back (`undo_remove`). Returns whether this post removed one (the second
    post of a double tap removes nothing, and keeps the first's undo)."""
    with transaction.atomic():
        # The intake's row is locked first: the second post of a double tap waits here until
        # the first has removed the medicine and saved its undo.
        type(intake).objects.select_for_update().filter(pk=intake.pk).first()
        medicine = intake.medicines.filter(pk=medicine_id).first()
        if medicine is None:
            _keep_the_first_taps_undo(session, intake, medicine_id)
            return False
        kept = {
            field.attname: (
                None
                if field.value_from_object(medicine) is None
                else field.value_to_string(medicine)
            )
            for field in IntakeMedicine._meta.concrete_fields
            if field.name not in ("id", "intake", "form_token")
        }
        medicine.delete()
        session[REMOVED_KEY] = {"intake": intake.pk, "medicine": medicine_id, "fields": kept}
        # Saved before the lock is let go, for a second post to find (every request saves
        # the session again as it ends: the idle timer writes to it).
        session.save()
    return True


def _keep_the_first_taps_undo(session, intake, medicine_id):
    """A second post of a double tap read the session before the first saved its undo; it
    would save it back without the undo, and the patient would lose "Undo". So it takes the
    undo the first saved, when that undo is for this medicine. It says nothing itself: the
    first post's "Medicine removed." is the one message, and the page names what Undo puts
    back ("You removed Norco.")."""
    stored = type(session)(session.session_key).get(REMOVED_KEY) if session.session_key else None
    # Not for an old page's Remove of a medicine removed long ago: that undo is another's.
    if stored and stored.get("intake") == intake.pk and stored.get("medicine") == medicine_id:
        session[REMOVED_KEY] = stored


def removed_medicine_name(session, intake):
    """The name of the medicine just removed from this intake, or "" when there is none."""
    removed = session.get(REMOVED_KEY)
    if not removed or removed.get("intake") != intake.pk:
        return ""
    return _rebuilt(intake, removed["fields"]).display_name


def undo_remove(session, intake):
    """Put back the medicine last removed from this intake, once. Returns it, or None."""
    removed = session.pop(REMOVED_KEY, None)
    if not removed or removed.get("intake") != intake.pk:
        return None
    medicine = _rebuilt(intake, removed["fields"])
    medicine.save()
    return medicine


def _rebuilt(intake, kept):
    medicine = IntakeMedicine(intake=intake)
    for field in IntakeMedicine._meta.concrete_fields:
        if field.attname in kept:
            # Kept as text (value_to_string), except a JSON field's value, kept as it is.
            value = kept[field.attname]
            if value is not None and not isinstance(field, models.JSONField):
                value = field.to_python(value)
            setattr(medicine, field.attname, value)
    return medicine


def _same_medicine(medicine, result):
    """The same product, or the same name kept as typed (whatever its case and spaces)."""
    if result["product"]:
        return medicine.product == result["product"]
    return (
        not medicine.product
        and medicine.other_name.casefold().split() == result["other_name"].casefold().split()
    )


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
    name = medicines.unlisted_label(item["other_name"], item["strength"])
    if per_hour:
        return name
    if schedule.as_needed and schedule.most_times_per_day is not None:
        times = schedule.most_times_per_day
        words = {1: "once a day", 2: "twice a day"}.get(times, f"{_plain(times)} times a day")
        return f"{name}, {_plain(schedule.amount)} at a time as needed, up to {words}"
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
    values = {
        "name": generic_names.product_name(product)[0],
        "listed": listed,
        "example": product.strengths[0].label,
    }
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
