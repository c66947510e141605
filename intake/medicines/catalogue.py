"""The opioid medicines patients name, read from `products.toml`, and what follows from a choice.

Pure Python, no Django and nothing from the rest of `intake`: plain values in, plain values out.
The list is read once and kept in memory. Every dose is a `Decimal`; the daily dose is rounded to
two decimals (what the database stores), and one that rounds to zero is an error, never 0.
"""

import re
import tomllib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from .search import KnownMedicine, SearchIndex, ascii_digits, normal

DATA_FILE = Path(__file__).with_name("products.toml")

# The `opioids[].name` codes of oih-intake/1 (shared/intake-format.md), without `other`.
OPIOID_INGREDIENTS = (
    "codeine",
    "tramadol",
    "tapentadol",
    "hydrocodone",
    "morphine",
    "oxycodone",
    "oxymorphone",
    "hydromorphone",
    "methadone",
    "fentanyl",
    "buprenorphine",
)
# Carried as named parts of a combination; they never count toward the opioid dose.
NON_OPIOID_INGREDIENTS = (
    "acetaminophen",
    "ibuprofen",
    "naloxone",
    "aspirin",
    "butalbital",
    "caffeine",
    "promethazine",
    "celecoxib",
    "homatropine",
    "chlorpheniramine",
)
FORMULATIONS = (
    "immediate_release",
    "extended_release",
    "transdermal_patch",
    "sublingual",
    "other",
)
FORMS = ("tablet", "capsule", "film", "patch", "liquid", "injection")
USES = ("pain", "opioid_use_disorder", "cough")
DAILY_UNIT = "mg/day"
PATCH_UNIT = "mcg/hr"
DOSE_PLACES = Decimal("0.01")
MAX_TIMES_PER_DAY = Decimal(24)
MCG_PER_MG = Decimal(1000)

SEARCH_LIMIT = 8


class CatalogueError(ValueError):
    """The data file breaks its own format (a fault for whoever edits it, not for a patient)."""


class DoseError(ValueError):
    """What the patient entered cannot give a daily dose; `message` can be shown at the field."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Strength:
    """One strength, with an amount per ingredient in the product's ingredient order."""

    label: str
    amounts: tuple
    unit: str  # "mg", "mcg", or "mcg/hr" for a patch
    volume_ml: Decimal | None = None  # liquids: the amounts are in this many mL
    also_called: str = ""

    @property
    def display(self):
        """As shown to a patient: "300 mg/30 mg (#3)"."""
        return f"{self.label} ({self.also_called})" if self.also_called else self.label

    def same_as(self, other):
        """Equal amounts and concentration, whatever the label: "20 mg/mL" is "100 mg/5 mL"."""
        if self.unit != other.unit or len(self.amounts) != len(other.amounts):
            return False
        return self.per_ml() == other.per_ml()

    def per_ml(self):
        if self.volume_ml is None:
            return self.amounts
        return tuple(amount / self.volume_ml for amount in self.amounts)


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    generic: str
    form: str
    formulation: str
    ingredients: tuple
    strengths: tuple
    aliases: tuple = ()
    used_for: tuple = ("pain",)
    max_units_per_day: tuple = ()  # pairs (strength label or "", number); "" is every strength
    max_opioid_per_day: Decimal | None = None  # mg/day, or mcg/hr for a patch
    max_source: str = ""
    # The label's opioid amount and what it counts as in the salt the MME table is read for:
    # Xtampza ER's 9 mg of oxycodone base is 10 mg of oxycodone hydrochloride. () when the
    # label is already in that salt.
    counted_as: tuple = ()
    # The name on Spanish pages when `name` describes the medicine in English words
    # ("Fentanyl patch"); "" for a brand, which reads the same in both languages.
    name_es: str = ""

    def name_in(self, language):
        """The name a patient reads in `language` ("es", "en"): a brand as printed on the
        bottle, a generic description in the page's language."""
        if language == "es" and self.name_es:
            return self.name_es
        return self.name

    @property
    def opioid(self):
        return next(name for name in self.ingredients if name in OPIOID_INGREDIENTS)

    @property
    def opioid_index(self):
        return self.ingredients.index(self.opioid)

    @property
    def is_patch(self):
        return self.form == "patch"

    @property
    def says_patch(self):
        """Whether the name already says patch ("Fentanyl patch"), so it is not said twice."""
        return "patch" in self.name.casefold().split()

    @property
    def is_injection(self):
        return self.form == "injection"

    @property
    def is_liquid(self):
        return self.form == "liquid"

    @property
    def dose_unit(self):
        return PATCH_UNIT if self.is_patch else DAILY_UNIT

    def units_word(self, count):
        """ "1 tablet", "2 tablets", "5 mL"."""
        if self.is_liquid:
            return "mL"
        return self.form if count == 1 else f"{self.form}s"

    def max_units_for(self, strength):
        limits = dict(self.max_units_per_day)
        return limits.get(strength.label, limits.get(""))


@dataclass(frozen=True)
class Schedule:
    """How the patient takes it, in their words.

    Tablets, capsules, films: `amount` at a time, `times_per_day`; or `as_needed`, `amount`
    at a time up to `most_times_per_day`, which is `up_to_per_day` tablets a day (older
    entries give only `up_to_per_day`). Liquids: the same with `amount` in mL. Patches:
    `amount` patches worn at once, changed every `change_every_days` (which does not change
    the mcg/hr).
    """

    amount: Decimal | None = Decimal(1)
    times_per_day: Decimal | None = None
    as_needed: bool = False
    up_to_per_day: Decimal | None = None
    change_every_days: Decimal | None = None
    most_times_per_day: Decimal | None = None

    @classmethod
    def regular(cls, amount, times_per_day):
        return cls(amount=_decimal(amount), times_per_day=_decimal(times_per_day))

    @classmethod
    def when_needed(cls, up_to_per_day=None, amount=None, most_times_per_day=None):
        amount, most = _decimal(amount), _decimal(most_times_per_day)
        if most is not None and amount is not None:
            # The amount each time x the most times a day (intake-format, rules 2026.3).
            up_to_per_day = amount * most
        return cls(
            amount=amount,
            as_needed=True,
            up_to_per_day=_decimal(up_to_per_day),
            most_times_per_day=most,
        )

    @classmethod
    def patch(cls, change_every_days=None, patches=1):
        return cls(amount=_decimal(patches), change_every_days=_decimal(change_every_days))


@dataclass(frozen=True)
class OpioidDose:
    """The opioid part of a medicine per day, in the oih-intake/1 shape."""

    name: str
    formulation: str
    daily_dose: Decimal
    unit: str


@dataclass(frozen=True)
class Problem:
    """Something to ask the patient at the field. `confirmable`: they may say it is right."""

    code: str
    question: str
    confirmable: bool = False
    suggestion: Strength | None = None
    detail: str = ""  # for the clinician, never shown to the patient


@dataclass(frozen=True)
class StrengthReading:
    """A typed strength read against a product: the strength, or the questions to ask."""

    strength: Strength | None
    problems: tuple = ()


# ---------------------------------------------------------------- loading


def load_catalogue(path=DATA_FILE):
    """Products and metadata from a data file; CatalogueError names what is wrong."""
    with open(path, "rb") as file:
        data = tomllib.load(file)
    limits = {
        name: _amount_in_mg(_parse_amount(text, f"non_opioid_daily_limit.{name}"))
        for name, text in data.get("non_opioid_daily_limit", {}).items()
    }
    products = tuple(_product(raw) for raw in data.get("product", []))
    known = tuple(
        _known(raw, is_opioid)
        for key, is_opioid in (("not_opioid", False), ("opioid_not_listed", True))
        for raw in data.get(key, [])
    )
    ids = [product.id for product in products]
    duplicates = sorted({product_id for product_id in ids if ids.count(product_id) > 1})
    if duplicates:
        raise CatalogueError(f"product ids used twice: {', '.join(duplicates)}")
    return Catalogue(data.get("metadata", {}), products, limits, known)


class Catalogue:
    """The whole list, with its search index built once."""

    def __init__(self, metadata, products, non_opioid_limits, known=()):
        self.metadata = metadata
        self.products = products
        self.non_opioid_limits = non_opioid_limits
        self.known = known
        self._by_id = {product.id: product for product in products}
        self._index = SearchIndex(products, known)

    def get(self, product_id):
        return self._by_id.get(product_id)

    def look_up(self, text, limit=SEARCH_LIMIT):
        return self._index.look_up(text, read_strength, limit)

    def search(self, text, limit=SEARCH_LIMIT):
        return list(self.look_up(text, limit).products)


def _counted_as(raw, where):
    if raw is None:
        return ()
    label = _amount_in_mg(_parse_amount(raw.get("label", ""), f"{where}: counted_as.label"))
    counts_as = _amount_in_mg(
        _parse_amount(raw.get("counts_as", ""), f"{where}: counted_as.counts_as")
    )
    if not raw.get("source"):
        raise CatalogueError(f"{where}: counted_as needs its source")
    return (label, counts_as)


def _known(raw, is_opioid):
    where = f"{'opioid_not_listed' if is_opioid else 'not_opioid'} {raw.get('name', '(no name)')}"
    for key in ("name", "generic"):
        if not raw.get(key):
            raise CatalogueError(f"{where}: {key} is required")
    return KnownMedicine(raw["name"], raw["generic"], tuple(raw.get("aliases", ())), is_opioid)


def _product(raw):
    product_id = raw.get("id", "")
    where = f"product {product_id or '(no id)'}"
    for key in ("id", "name", "generic", "form", "formulation", "ingredients", "strengths"):
        if not raw.get(key):
            raise CatalogueError(f"{where}: {key} is required")
    if raw["form"] not in FORMS:
        raise CatalogueError(f"{where}: form {raw['form']!r} is not one of {FORMS}")
    if raw["formulation"] not in FORMULATIONS:
        raise CatalogueError(f"{where}: formulation {raw['formulation']!r} is not a code")
    ingredients = tuple(raw["ingredients"])
    unknown = [n for n in ingredients if n not in OPIOID_INGREDIENTS + NON_OPIOID_INGREDIENTS]
    if unknown:
        raise CatalogueError(f"{where}: unknown ingredient {unknown[0]!r}")
    if sum(name in OPIOID_INGREDIENTS for name in ingredients) != 1:
        raise CatalogueError(f"{where}: needs exactly one opioid ingredient")
    strengths = tuple(
        _strength(item, raw["form"], len(ingredients), where) for item in raw["strengths"]
    )
    for use in raw.get("used_for", ["pain"]):
        if use not in USES:
            raise CatalogueError(f"{where}: used_for {use!r} is not one of {USES}")
    max_units = raw.get("max_units_per_day")
    if isinstance(max_units, dict):
        labels = {strength.label for strength in strengths}
        if set(max_units) - labels:
            raise CatalogueError(f"{where}: max_units_per_day names a strength not listed")
        max_units = tuple((label, Decimal(number)) for label, number in max_units.items())
    elif max_units is not None:
        max_units = (("", Decimal(max_units)),)
    return Product(
        id=product_id,
        name=raw["name"],
        generic=raw["generic"],
        form=raw["form"],
        formulation=raw["formulation"],
        ingredients=ingredients,
        strengths=strengths,
        aliases=tuple(raw.get("aliases", ())),
        used_for=tuple(raw.get("used_for", ["pain"])),
        max_units_per_day=max_units or (),
        max_opioid_per_day=_max_opioid(raw.get("max_opioid_per_day"), raw["form"], where),
        max_source=raw.get("max_source", ""),
        counted_as=_counted_as(raw.get("counted_as"), where),
        name_es=raw.get("name_es", ""),
    )


def _max_opioid(text, form, where):
    if text is None:
        return None
    if form == "patch":
        strength = _parse_label(text, form, 1, where)
        return strength.amounts[0]
    return _amount_in_mg(_parse_amount(text, where))


def _strength(item, form, count, where):
    if isinstance(item, dict):
        strength = _parse_label(item.get("strength", ""), form, count, where)
        return Strength(
            strength.label,
            strength.amounts,
            strength.unit,
            strength.volume_ml,
            also_called=item.get("also_called", ""),
        )
    return _parse_label(item, form, count, where)


_NUMBER = r"\d+(?:\.\d+)?"
_AMOUNT = re.compile(rf"^({_NUMBER}) (mg|mcg)$")
_PATCH = re.compile(rf"^({_NUMBER}) mcg/hr$")
_VOLUME = re.compile(rf"^({_NUMBER} )?mL$")


def _parse_amount(text, where):
    match = _AMOUNT.match(text)
    if not match:
        raise CatalogueError(f"{where}: {text!r} is not an amount such as '5 mg'")
    return Decimal(match[1]), match[2]


def _amount_in_mg(amount):
    value, unit = amount
    return value / MCG_PER_MG if unit == "mcg" else value


def _parse_label(label, form, count, where):
    """ "5 mg/325 mg", "5 mg/5 mL", "7.5 mg/325 mg per 15 mL", "1 mg/mL", "25 mcg/hr"."""
    if form == "patch":
        match = _PATCH.match(label)
        if not match:
            raise CatalogueError(f"{where}: patch strength {label!r} is not like '25 mcg/hr'")
        return Strength(label, (Decimal(match[1]),), PATCH_UNIT)
    body, volume = label, None
    if " per " in label:
        body, volume_text = label.split(" per ", 1)
        volume = _volume(volume_text, where)
    parts = body.split("/")
    if volume is None and form == "liquid" and len(parts) > 1 and _VOLUME.match(parts[-1]):
        volume = _volume(parts.pop(), where)
    if (form == "liquid") != (volume is not None):
        raise CatalogueError(f"{where}: {label!r}: only a liquid's strength has mL")
    if len(parts) != count:
        raise CatalogueError(f"{where}: {label!r} needs one amount per ingredient ({count})")
    amounts = [_parse_amount(part, where) for part in parts]
    units = {unit for _, unit in amounts}
    if len(units) != 1:
        raise CatalogueError(f"{where}: {label!r} mixes mg and mcg")
    return Strength(label, tuple(value for value, _ in amounts), units.pop(), volume)


def _volume(text, where):
    match = _VOLUME.match(text)
    if not match:
        raise CatalogueError(f"{where}: {text!r} is not a volume such as '5 mL'")
    return Decimal(match[1]) if match[1] else Decimal(1)


@cache
def default_catalogue():
    """The clinic's list, read once."""
    return load_catalogue()


# ---------------------------------------------------------------- the public functions


def all_products():
    """Every product, in the data file's order."""
    return default_catalogue().products


def get_product(product_id):
    """The product with this id, or None."""
    return default_catalogue().get(product_id)


def search(text, limit=SEARCH_LIMIT):
    """Products whose name, generic name or alias fits what was typed, best first."""
    return default_catalogue().search(text, limit)


def look_up(text, limit=SEARCH_LIMIT):
    """What a typed name finds (a `Lookup`): the products best first, the strength typed with
    the name when the first product is sold in it, or a medicine known not to be an opioid,
    or an opioid not on the list."""
    return default_catalogue().look_up(text, limit)


def sold_strength(product, text):
    """The strength `text` names, when the product is sold in it without a question; else None."""
    reading = read_strength(product, text)
    return reading.strength if reading.strength is not None and not reading.problems else None


def find_by_name(text):
    """The product named by what was typed: its name or an alias, with or without a salt, a
    dosage form or a strength ("Norco 5-325"); case and accents ignored. None otherwise."""
    found = look_up(text, limit=1)
    return found.products[0] if found.is_exact else None


def strengths(product):
    """The strengths it is sold in, in label order, each with its box label."""
    return product.strengths


def read_strength(product, text):
    """Read a typed strength ("5/325", "5", "#3", "25") against the product's strengths."""
    typed = (text or "").strip()
    if not typed:
        return StrengthReading(None, (_missing_strength(product),))
    typed = ascii_digits(typed)
    key = _key(typed)
    # Only a key with something in it: "?" or "/" is no strength, never the first one listed.
    for strength in product.strengths:
        if key and key in {_key(strength.label), _key(strength.also_called)}:
            return StrengthReading(strength)
    numbers = _numbers(typed)
    if not numbers:
        return StrengthReading(None, (_unreadable_strength(product),))
    has_volume = "ml" in typed.casefold()
    if product.is_liquid and not has_volume and len(numbers) == 1:
        # A bare number on a liquid could be per mL or per 5 mL: a 5-fold difference.
        return StrengthReading(None, (_incomplete_strength(product),))
    if len(numbers) == 1 and not product.is_liquid:
        return _read_one_number(product, _in_unit(numbers[0], typed, product), typed)
    return _read_numbers(product, numbers, typed, has_volume)


def daily_dose(product, strength, schedule):
    """The opioid part per day (mg/day, or mcg/hr for a patch); DoseError when it cannot be.
    A product labelled in another salt than the MME table's is counted in that salt
    (`counted_as`)."""
    dose = _label_opioid_per_day(product, strength, schedule)
    if product.counted_as:
        label_amount, counts_as = product.counted_as
        dose = dose * counts_as / label_amount
    rounded = dose.quantize(DOSE_PLACES, rounding=ROUND_HALF_UP)
    if rounded <= 0:
        raise DoseError(
            "dose_rounds_to_zero",
            "That is too small to be a day's dose. Please check the amount and how often.",
        )
    return OpioidDose(product.opioid, product.formulation, rounded, product.dose_unit)


def _label_opioid_per_day(product, strength, schedule):
    """The opioid part per day as the label counts it, not rounded."""
    units = _units_per_day(product, schedule)
    opioid = strength.amounts[product.opioid_index]
    if product.is_patch:
        return opioid * units
    # Multiply before dividing: 10 mg per 15 mL, 5 mL three times, is exactly 10.
    dose = opioid * units / (strength.volume_ml or 1)
    return dose / MCG_PER_MG if strength.unit == "mcg" else dose


def check(product, strength, schedule, non_opioid_limits=None):
    """Every question to ask about this entry: a strength not sold, a dose error, or a day
    above the label's usual maximum. Empty when all looks right."""
    problems = []
    if not any(strength.same_as(sold) for sold in product.strengths):
        problems.append(_not_sold(product, strength))
    try:
        dose = daily_dose(product, strength, schedule)
    except DoseError as error:
        return tuple(problems + [Problem(error.code, error.message)])
    limits = (
        default_catalogue().non_opioid_limits if non_opioid_limits is None else non_opioid_limits
    )
    above = _above_label_maximum(product, strength, schedule, dose, limits)
    if above:
        problems.append(
            Problem(
                "above_label_maximum",
                f"That adds up to more {product.name} in a day than its label usually allows. "
                "Please check the label and how many you take. If it is right, you can say so.",
                confirmable=True,
                detail=f"above the label's usual maximum: {above}",
            )
        )
    return tuple(problems)


def describe(product, strength, schedule):
    """The medicine as entered: "Percocet 5 mg/325 mg, 1 tablet 4 times a day"."""
    name = f"{product.name} {strength.display}"
    if product.is_patch:
        patches = schedule.amount or Decimal(1)
        if patches != 1:
            text = f"{name}, {_n(patches)} patches at a time"
        else:
            text = name if product.says_patch else f"{name} patch"
        if schedule.change_every_days:
            days = schedule.change_every_days
            text += f", changed every {_n(days)} day{'' if days == 1 else 's'}"
        return text
    if product.is_injection:
        days = schedule.change_every_days
        every = "every day" if days == 1 else f"every {_n(days)} days"
        return f"{name} injection, {every}"
    if schedule.as_needed and schedule.most_times_per_day is not None:
        at_a_time = _amount(product, schedule.amount)
        return (
            f"{name}, {at_a_time} at a time as needed, up to {_times(schedule.most_times_per_day)}"
        )
    if schedule.as_needed:
        most = schedule.up_to_per_day
        at_a_time = f"{_amount(product, schedule.amount)} " if schedule.amount else ""
        return f"{name}, {at_a_time}as needed, up to {_amount(product, most)} a day"
    return f"{name}, {_amount(product, schedule.amount)} {_times(schedule.times_per_day)}"


def schedule_document(product, schedule):
    """The `schedule` object of an oih-intake/1 item: numbers as entered."""
    if product.is_patch:
        fields = {"patches": schedule.amount, "change_every_days": schedule.change_every_days}
        return {key: _json_number(value) for key, value in fields.items() if value is not None}
    if product.is_injection:
        return {"change_every_days": _json_number(schedule.change_every_days)}
    return {
        **taking_schedule_document(schedule),
        "amount_unit": "mL" if product.is_liquid else product.form,
    }


def taking_schedule_document(schedule):
    """The `schedule` object of something taken (not worn), whatever it is: so many at a
    time, so many times a day, or as needed up to so many a day."""
    if schedule.as_needed:
        fields = {
            "amount": schedule.amount,
            "as_needed": True,
            "most_times_per_day": schedule.most_times_per_day,
            "up_to_per_day": schedule.up_to_per_day,
        }
    else:
        fields = {"amount": schedule.amount, "times_per_day": schedule.times_per_day}
    return {key: _json_number(value) for key, value in fields.items() if value is not None}


def document_item(product, strength, schedule, purpose=None):
    """The oih-intake/1 `opioids[]` item, with the optional product, strength and schedule."""
    dose = daily_dose(product, strength, schedule)
    item = {
        "name": dose.name,
        "formulation": dose.formulation,
        "daily_dose": _json_number(dose.daily_dose),
        "unit": dose.unit,
        "product": product.id,
        "product_name": product.name,
        "strength": strength.label,
        "schedule": schedule_document(product, schedule),
    }
    parts = non_opioid_parts(product, strength, dose.daily_dose)
    if parts:
        item["non_opioid_parts"] = parts
    if purpose:
        item["purpose"] = purpose
    return item


def non_opioid_parts(product, strength, daily_opioid_dose):
    """The other ingredients of a combination a day, by the label's ratio to the opioid part:
    Percocet 10 mg/325 mg at 60 mg oxycodone a day is [{acetaminophen, 1950, mg/day}]. The
    rules sum them across products (oih-facts ruling 18); empty for a single ingredient."""
    if product.is_patch:
        return []
    opioid_amount = strength.amounts[product.opioid_index]
    return [
        {
            "name": name,
            "daily_dose": _json_number(
                (
                    Decimal(str(daily_opioid_dose)) * strength.amounts[index] / opioid_amount
                ).quantize(DOSE_PLACES, rounding=ROUND_HALF_UP)
            ),
            "unit": DAILY_UNIT,
        }
        for index, name in enumerate(product.ingredients)
        if index != product.opioid_index
    ]


def unlisted_item(name, strength_text=""):
    """A medicine not on the list, kept as typed: stored as `other` with its name and strength."""
    other_name = " ".join((name or "").split())
    if not other_name:
        raise DoseError("name_missing", "Please type the name of the medicine.")
    return {
        "name": "other",
        "other_name": other_name,
        "formulation": "other",
        "strength": " ".join((strength_text or "").split()),
    }


def unlisted_label(other_name, strength_label):
    """A name kept as typed with its strength: "Zorbex 10 mg". A name typed with the strength
    already in it ("kratom 2 g") does not say the strength twice."""
    name, strength = _key(other_name), _key(strength_label)
    before = name[: -len(strength)] if strength and name.endswith(strength) else None
    # "Zorbex 12 mg" with 2 mg is not the same strength: a digit or point before differs.
    if not strength_label or (before is not None and before[-1:] not in tuple("0123456789.,")):
        return other_name
    return f"{other_name} {strength_label}"


# ---------------------------------------------------------------- helpers


_normal = normal


def _key(text):
    """A strength as letters and digits only: "5 mg/325 mg" and "5mg / 325MG" agree."""
    return _normal(text).replace(" ", "").removeprefix("no")


def _numbers(text):
    try:
        return [Decimal(number) for number in re.findall(r"\d+(?:\.\d+)?|\.\d+", text)]
    except InvalidOperation:
        return []


def _read_one_number(product, number, typed):
    opioid_index = product.opioid_index
    matches = [s for s in product.strengths if s.amounts[opioid_index] == number]
    # "2" of Suboxone is 2 mg/0.5 mg, or the naloxone part of 8 mg/2 mg: ask.
    other_parts = [
        s
        for s in product.strengths
        if any(a == number for i, a in enumerate(s.amounts) if i != opioid_index)
    ]
    if len(matches) == 1 and not other_parts:
        return StrengthReading(matches[0])
    if matches:
        return StrengthReading(None, (_ambiguous(product, matches + other_parts),))
    for strength in product.strengths:
        for index, amount in enumerate(strength.amounts):
            if index != opioid_index and amount == number:
                return StrengthReading(None, (_non_opioid_part(product, strength, index),))
    run_together = _run_together(product, typed)
    if run_together:
        return StrengthReading(None, (run_together,))
    if len(product.ingredients) > 1:
        return StrengthReading(None, (_incomplete_strength(product),))
    unit = product.strengths[0].unit
    typed_strength = Strength(_label((number,), unit), (number,), unit)
    return StrengthReading(typed_strength, (_not_sold(product, typed_strength),))


def _read_numbers(product, numbers, typed, has_volume):
    count = len(product.ingredients)
    volume = None
    if product.is_liquid and len(numbers) == count + 1:
        *numbers, volume = numbers
    elif product.is_liquid and len(numbers) == count and has_volume:
        volume = Decimal(1)
    if len(numbers) != count or (product.is_liquid and volume is None) or volume == 0:
        return StrengthReading(None, (_unreadable_strength(product),))
    numbers = [_in_unit(number, typed, product) for number in numbers]
    unit = product.strengths[0].unit
    candidates = [tuple(numbers), tuple(reversed(numbers))]
    for amounts in candidates:
        typed_strength = Strength(_label(amounts, unit, volume), amounts, unit, volume)
        for strength in product.strengths:
            if strength.same_as(typed_strength):
                return StrengthReading(strength)
    typed_strength = Strength(_label(tuple(numbers), unit, volume), tuple(numbers), unit, volume)
    return StrengthReading(typed_strength, (_not_sold(product, typed_strength),))


def _in_unit(number, typed, product):
    """A typed amount in the product's unit: "0.15 mg" of Belbuca is 150 mcg."""
    text = typed.casefold()
    said_mcg = any(word in text for word in ("mcg", "µg", "microgram"))
    said_mg = not said_mcg and ("mg" in text or "milligram" in text)
    unit = product.strengths[0].unit
    if unit == "mcg" and said_mg:
        return number * MCG_PER_MG
    if unit == "mg" and said_mcg:
        return number / MCG_PER_MG
    return number


def _label(amounts, unit, volume=None):
    text = "/".join(f"{_n(amount)} {unit}" for amount in amounts)
    if volume is None:
        return text
    if len(amounts) > 1:
        return f"{text} per {_n(volume)} mL"
    return f"{text}/mL" if volume == 1 else f"{text}/{_n(volume)} mL"


def _run_together(product, typed):
    """ "5325" for Percocet: the two numbers of a strength typed without the slash."""
    digits = re.sub(r"[^0-9.]", "", typed)
    for strength in product.strengths:
        if len(strength.amounts) > 1 and digits == "".join(_n(a) for a in strength.amounts):
            return Problem(
                "strength_run_together",
                f"Did you mean {strength.display}? Please choose the strength on the label.",
                suggestion=strength,
            )
    return None


def _listed(product):
    return ", ".join(strength.display for strength in product.strengths)


def _missing_strength(product):
    return Problem(
        "strength_missing",
        f"Which strength is on the label? {product.name} comes in {_listed(product)}.",
    )


def _unreadable_strength(product):
    example = product.strengths[0].label
    return Problem(
        "strength_unreadable",
        f"Please type the strength as it is on the label, such as {example}. "
        f"{product.name} comes in {_listed(product)}.",
    )


def _incomplete_strength(product):
    example = product.strengths[0].label
    return Problem(
        "strength_incomplete",
        f"Please type the whole strength on the label, such as {example}. "
        f"{product.name} comes in {_listed(product)}.",
    )


def _ambiguous(product, matches):
    choices = " or ".join(strength.display for strength in matches)
    return Problem("strength_ambiguous", f"Which strength is on the label: {choices}?")


def _non_opioid_part(product, strength, index):
    unit = strength.unit
    return Problem(
        "strength_is_non_opioid_part",
        f"{_n(strength.amounts[index])} {unit} is usually the {product.ingredients[index]} part "
        f"of {product.name}. Which strength is on the label? "
        f"It comes in {_listed(product)}.",
    )


def _not_sold(product, strength):
    return Problem(
        "strength_not_sold",
        f"{product.name} is not usually sold as {strength.label}. Please check the label. "
        f"It comes in {_listed(product)}. If the label says {strength.label}, you can say so.",
        confirmable=True,
        detail=f"strength {strength.label} is not on the product list",
    )


def _units_per_day(product, schedule):
    """Tablets (films, mL) a day, or patches worn at once."""
    if product.is_patch:
        if schedule.times_per_day is not None or schedule.as_needed:
            raise DoseError(
                "schedule_not_for_patch", "For a patch, tell us how often you change it."
            )
        return _positive(schedule.amount or Decimal(1), "patches")
    if product.is_injection:
        # One shot lasts so many days (a week, a month): the dose is spread over them.
        if schedule.times_per_day is not None or schedule.as_needed:
            raise DoseError(
                "schedule_not_for_injection",
                "For a shot, tell us every how many days you get it.",
            )
        days = _positive(schedule.change_every_days, "injection_every_days")
        return _positive(schedule.amount or Decimal(1), "amount") / days
    if schedule.as_needed:
        return _positive(schedule.up_to_per_day, "up_to_per_day")
    amount = _positive(schedule.amount, "amount")
    times = _positive(schedule.times_per_day, "times_per_day")
    if times > MAX_TIMES_PER_DAY:
        raise DoseError("too_many_times", "A day has 24 hours: please check how many times a day.")
    return amount * times


_MISSING = {
    "amount": "Please say how many you take each time.",
    "times_per_day": "Please say how many times a day you take it.",
    "up_to_per_day": "Please say the most you take in a day.",
    "patches": "Please say how many patches you wear at a time.",
    "injection_every_days": "Please say every how many days you get the shot.",
}


def _positive(value, field):
    if value is None:
        raise DoseError(f"{field}_missing", _MISSING[field])
    number = _decimal(value)
    if not number.is_finite() or number <= 0:
        raise DoseError(f"{field}_not_positive", "Please use a number above 0.")
    return number


def _decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise DoseError("not_a_number", "Please use a number.")
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise DoseError("not_a_number", "Please use a number.") from None


def _above_label_maximum(product, strength, schedule, dose, non_opioid_limits):
    """A plain account of the first limit passed, for the clinician; "" when none is."""
    # The label's maximum is in the label's own milligrams (Xtampza ER: oxycodone base).
    label_dose = _label_opioid_per_day(product, strength, schedule)
    if product.max_opioid_per_day is not None and label_dose > product.max_opioid_per_day:
        return (
            f"{product.opioid} {_n(label_dose.quantize(DOSE_PLACES))} {dose.unit}, label maximum "
            f"{_n(product.max_opioid_per_day)} {dose.unit} ({product.max_source})"
        )
    if product.is_patch or product.is_injection:
        return ""
    units = _units_per_day(product, schedule)
    max_units = product.max_units_for(strength)
    if max_units is not None and units > max_units:
        return (
            f"{_amount(product, units)} a day, label maximum {_amount(product, max_units)} "
            f"({product.max_source})"
        )
    for index, name in enumerate(product.ingredients):
        limit = non_opioid_limits.get(name)
        if limit is None:
            continue
        amount = strength.amounts[index] * units / (strength.volume_ml or 1)
        if amount > limit:
            return f"{name} {_n(amount)} mg a day, limit {_n(limit)} mg a day"
    return ""


def _n(value):
    """A Decimal as a person writes it: 2, 2.5, 0.075 (no trailing zeros, no exponent)."""
    return format(Decimal(value).normalize(), "f")


def _amount(product, count):
    return f"{_n(count)} {product.units_word(count)}"


def _times(times_per_day):
    if times_per_day == 1:
        return "once a day"
    if times_per_day == 2:
        return "twice a day"
    return f"{_n(times_per_day)} times a day"


def _json_number(value):
    if not isinstance(value, Decimal):
        return value
    return int(value) if value == value.to_integral_value() else float(value)
