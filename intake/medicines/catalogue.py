"""The opioid medicines patients name, read from `products.toml`, and what follows from a choice.

Pure Python, no Django and nothing from the rest of `intake`: plain values in, plain values out.
The list is read once and kept in memory. Every dose is a `Decimal`; the daily dose is rounded to
two decimals (what the database stores), and one that rounds to zero is an error, never 0.
"""

import difflib
import re
import tomllib
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

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
NON_OPIOID_INGREDIENTS = ("acetaminophen", "ibuprofen", "naloxone")
FORMULATIONS = (
    "immediate_release",
    "extended_release",
    "transdermal_patch",
    "sublingual",
    "other",
)
FORMS = ("tablet", "capsule", "film", "patch", "liquid")
USES = ("pain", "opioid_use_disorder")
DAILY_UNIT = "mg/day"
PATCH_UNIT = "mcg/hr"
DOSE_PLACES = Decimal("0.01")
MAX_TIMES_PER_DAY = Decimal(24)
MCG_PER_MG = Decimal(1000)

# Fuzzy search: a name must be this close (difflib ratio) to count as a misspelling of it.
FUZZY_CUTOFF = 0.8
# Shorter queries match too many names by accident; they only match the start of a name.
FUZZY_MIN_LENGTH = 4
SEARCH_LIMIT = 8
FUZZY_CANDIDATES = 8

# Search scores: the better the kind of match, the higher.
EXACT, STARTS, WORDS, CONTAINS, FUZZY = 100, 90, 80, 60, 40


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

    Tablets, capsules, films: `amount` at a time, `times_per_day`; or `as_needed` with
    `up_to_per_day` (the most tablets in a day). Liquids: the same with `amount` in mL.
    Patches: `amount` patches worn at once, changed every `change_every_days` (which does not
    change the mcg/hr).
    """

    amount: Decimal | None = Decimal(1)
    times_per_day: Decimal | None = None
    as_needed: bool = False
    up_to_per_day: Decimal | None = None
    change_every_days: Decimal | None = None

    @classmethod
    def regular(cls, amount, times_per_day):
        return cls(amount=_decimal(amount), times_per_day=_decimal(times_per_day))

    @classmethod
    def when_needed(cls, up_to_per_day, amount=None):
        return cls(amount=_decimal(amount), as_needed=True, up_to_per_day=_decimal(up_to_per_day))

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
    ids = [product.id for product in products]
    duplicates = sorted({product_id for product_id in ids if ids.count(product_id) > 1})
    if duplicates:
        raise CatalogueError(f"product ids used twice: {', '.join(duplicates)}")
    return Catalogue(data.get("metadata", {}), products, limits)


class Catalogue:
    """The whole list, with its search index built once."""

    def __init__(self, metadata, products, non_opioid_limits):
        self.metadata = metadata
        self.products = products
        self.non_opioid_limits = non_opioid_limits
        self._by_id = {product.id: product for product in products}
        self._index = _SearchIndex(products)

    def get(self, product_id):
        return self._by_id.get(product_id)

    def search(self, text, limit=SEARCH_LIMIT):
        scores = self._index.scores(_normal(text))
        ranked = sorted(
            scores.items(),
            key=lambda item: (
                -item[1][0],
                item[1][1],
                len(self.products[item[0]].name),
                self.products[item[0]].name,
            ),
        )
        return [self.products[position] for position, _ in ranked[:limit]]


class _SearchIndex:
    """Every name, generic name and alias, looked up by sorted keys rather than one by one."""

    def __init__(self, products):
        # One entry per name: (product position, rank), rank 0 the name, 1 generic, 2 an alias.
        self.entries = []
        texts = []
        for position, product in enumerate(products):
            for rank, names in enumerate(((product.name,), (product.generic,), product.aliases)):
                for name in names:
                    self.entries.append((position, rank))
                    texts.append(_normal(name))
        self.compacts = [text.replace(" ", "") for text in texts]
        self.exact = {}
        for entry, compact in enumerate(self.compacts):
            self.exact.setdefault(compact, []).append(entry)
        self.by_compact = sorted((compact, entry) for entry, compact in enumerate(self.compacts))
        self.words = sorted(
            (word, entry) for entry, text in enumerate(texts) for word in text.split()
        )
        # All names in one string, so "typed inside a name" is one scan in C.
        self.joined = "\n".join(self.compacts)
        self.starts = []
        offset = 0
        for compact in self.compacts:
            self.starts.append(offset)
            offset += len(compact) + 1
        # Letter pairs of each distinct name, for finding misspellings.
        self.postings = {}
        for compact in self.exact:
            for bigram in _bigrams(compact):
                self.postings.setdefault(bigram, []).append(compact)

    def scores(self, query):
        """Best (score, rank) per product position."""
        if not query:
            return {}
        compact = query.replace(" ", "")
        found = {}
        for entry in self.exact.get(compact, ()):
            self._keep(found, entry, EXACT)
        for entry in _with_prefix(self.by_compact, compact):
            self._keep(found, entry, STARTS)
        typed_words = query.split()
        matching = None
        for word in typed_words:
            entries = set(_with_prefix(self.words, word))
            matching = entries if matching is None else matching & entries
        for entry in matching or ():
            self._keep(found, entry, WORDS)
        if len(compact) >= FUZZY_MIN_LENGTH:
            for entry in self._containing(compact):
                self._keep(found, entry, CONTAINS)
            # Misspellings only when nothing was found as typed: a name that fits wins outright.
            if not found:
                for entry, score in self._fuzzy(compact):
                    self._keep(found, entry, score)
        return found

    def _keep(self, found, entry, score):
        position, rank = self.entries[entry]
        best = found.get(position)
        if best is None or (score, -rank) > (best[0], -best[1]):
            found[position] = (score, rank)

    def _containing(self, compact):
        index = self.joined.find(compact)
        while index != -1:
            yield bisect_right(self.starts, index) - 1
            index = self.joined.find(compact, index + 1)

    def _fuzzy(self, compact):
        # Names sharing at least half the typed letter pairs, then difflib on the best few only,
        # once per distinct start of a name.
        typed = _bigrams(compact)
        overlap = Counter(name for bigram in typed for name in self.postings.get(bigram, ()))
        enough = len(typed) / 2
        matcher = difflib.SequenceMatcher(None, b=compact)
        ratios = {}
        for name, count in overlap.most_common(FUZZY_CANDIDATES):
            if count < enough:
                break
            # As much of the name as was typed (plus one), so a misspelt start of a long name
            # ("hydrocodne") still finds it.
            head = name[: len(compact) + 1]
            if head not in ratios:
                matcher.set_seq1(head)
                quick = matcher.real_quick_ratio() >= FUZZY_CUTOFF <= matcher.quick_ratio()
                ratios[head] = matcher.ratio() if quick else 0
            if ratios[head] >= FUZZY_CUTOFF:
                for entry in self.exact[name]:
                    yield entry, FUZZY + int(ratios[head] * 10)


def _with_prefix(sorted_pairs, prefix):
    index = bisect_left(sorted_pairs, (prefix,))
    while index < len(sorted_pairs) and sorted_pairs[index][0].startswith(prefix):
        yield sorted_pairs[index][1]
        index += 1


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


def find_by_name(text):
    """The product whose name or alias is exactly what was typed (case and accents ignored)."""
    found = search(text, limit=1)
    if found and _normal(text) in {_normal(name) for name in _names(found[0])}:
        return found[0]
    return None


def strengths(product):
    """The strengths it is sold in, in label order, each with its box label."""
    return product.strengths


def read_strength(product, text):
    """Read a typed strength ("5/325", "5", "#3", "25") against the product's strengths."""
    typed = (text or "").strip()
    if not typed:
        return StrengthReading(None, (_missing_strength(product),))
    key = _key(typed)
    for strength in product.strengths:
        if key in {_key(strength.label), _key(strength.also_called or "\0")}:
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
    """The opioid part per day (mg/day, or mcg/hr for a patch); DoseError when it cannot be."""
    units = _units_per_day(product, schedule)
    opioid = strength.amounts[product.opioid_index]
    if product.is_patch:
        dose = opioid * units
    else:
        # Multiply before dividing: 10 mg per 15 mL, 5 mL three times, is exactly 10.
        dose = opioid * units / (strength.volume_ml or 1)
        if strength.unit == "mcg":
            dose = dose / MCG_PER_MG
    rounded = dose.quantize(DOSE_PLACES, rounding=ROUND_HALF_UP)
    if rounded <= 0:
        raise DoseError(
            "dose_rounds_to_zero",
            "That is too small to be a day's dose. Please check the amount and how often.",
        )
    return OpioidDose(product.opioid, product.formulation, rounded, product.dose_unit)


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
        text = f"{name} patch" if patches == 1 else f"{name}, {_n(patches)} patches at a time"
        if schedule.change_every_days:
            days = schedule.change_every_days
            text += f", changed every {_n(days)} day{'' if days == 1 else 's'}"
        return text
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


# ---------------------------------------------------------------- helpers


def _names(product):
    return (product.name, product.generic, *product.aliases)


def _normal(text):
    """Lower case, no accents, letters and digits only, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[^a-z0-9.]+|(?<![0-9])\.|\.(?![0-9])", " ", plain).split())


def _bigrams(text):
    return frozenset(text[index : index + 2] for index in range(len(text) - 1))


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
    if len(numbers) != count or (product.is_liquid and volume is None):
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
    if product.max_opioid_per_day is not None and dose.daily_dose > product.max_opioid_per_day:
        return (
            f"{product.opioid} {_n(dose.daily_dose)} {dose.unit}, label maximum "
            f"{_n(product.max_opioid_per_day)} {dose.unit} ({product.max_source})"
        )
    if product.is_patch:
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
