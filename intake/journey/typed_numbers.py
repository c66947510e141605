"""Numbers as patients type them, in English or Spanish: one small pure module, no Django.

"2,5" and "2.5" are two and a half; so are "2 1/2", "2½", "2 and a half" and "dos y media".
"1/2", "half", "media" are a half. A unit after the number ("30 mg", "5 mL", "6 months") is
read and returned, so that the box can check it is its own unit. Anything else is refused
with a reason (`problem`), never guessed: a number is never changed silently.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Problem codes, each with its own message at the field.
NOT_A_NUMBER = "not_a_number"
AMBIGUOUS_SEPARATOR = "ambiguous_separator"  # "1,000" or "1.500": thousands or a decimal?
RANGE = "range"  # "2-3", "2 or 3"
WRONG_UNIT = "wrong_unit"  # a unit this box does not count in

# Canonical units and the words that name them (English and Spanish, accents dropped).
UNIT_WORDS = {
    "mg": ("mg", "mgs", "milligram", "milligrams", "miligramo", "miligramos"),
    "mcg": ("mcg", "ug", "µg", "microgram", "micrograms", "microgramo", "microgramos"),
    "g": ("g", "gr", "gm", "gram", "grams", "gramo", "gramos"),
    "mL": (
        "ml",
        "mls",
        "cc",
        "milliliter",
        "milliliters",
        "millilitre",
        "millilitres",
        "mililitro",
        "mililitros",
    ),
    "mcg/hr": ("mcg/hr", "mcg/h", "mcg/hour", "mcg/hora", "ug/h", "ug/hr"),
    "tablet": (
        "tablet",
        "tablets",
        "tab",
        "tabs",
        "pill",
        "pills",
        "capsule",
        "capsules",
        "cap",
        "caps",
        "film",
        "films",
        "pastilla",
        "pastillas",
        "tableta",
        "tabletas",
        "comprimido",
        "comprimidos",
        "capsula",
        "capsulas",
        "pildora",
        "pildoras",
    ),
    "patch": ("patch", "patches", "parche", "parches"),
    "spray": (
        "spray",
        "sprays",
        "puff",
        "puffs",
        "disparo",
        "disparos",
        "pulverizacion",
        "pulverizaciones",
        "atomizacion",
        "atomizaciones",
    ),
    "time": ("x", "time", "times", "vez", "veces"),
    "day": ("d", "day", "days", "dia", "dias"),
    "week": ("w", "wk", "wks", "week", "weeks", "semana", "semanas", "sem"),
    "month": ("mo", "mos", "month", "months", "mes", "meses"),
    "year": ("y", "yr", "yrs", "year", "years", "ano", "anos"),
}
UNIT_OF_WORD = {word: unit for unit, words in UNIT_WORDS.items() for word in words}

# Words around a number that change nothing: "about 6 weeks ago", "4 times a day".
FILLER = (
    "about",
    "around",
    "approximately",
    "approx",
    "roughly",
    "maybe",
    "ago",
    "a day",
    "per day",
    "each day",
    "every day",
    "daily",
    "each time",
    "at a time",
    "at once",
    "unos",
    "unas",
    "como",
    "aproximadamente",
    "aprox",
    "mas o menos",
    "hace",
    "al dia",
    "por dia",
    "cada dia",
    "diarios",
    "diarias",
    "diario",
    "diaria",
    "cada vez",
    "a la vez",
    "de una vez",
    "por vez",
)
WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "un": 1,
    "una": 1,
    "uno": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "doce": 12,
}
HALF_WORDS = ("half", "a half", "one half", "media", "medio", "mitad", "la mitad", "½")
AND_WORDS = ("and", "y", "e")

_PLAIN = re.compile(r"^\d+$|^\d*[.,]\d+$|^\d+[.,]\d+$")
_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")
_FRACTION = re.compile(r"^(\d+)/(\d+)$")
_RANGE = re.compile(r"^[\d.,/]+\s*(?:-|–|to|or|o|a|u)\s*[\d.,/]+(?:\s+\S+)?$")
_NUMBER_THEN_WORD = re.compile(r"^([\d.,/½ ]*[\d½])\s*([^\d\s].*)?$")


@dataclass(frozen=True)
class Reading:
    """What was typed: a number with the unit typed after it (or None), or a problem."""

    value: Decimal | None = None
    unit: str | None = None
    problem: str | None = None
    typed_unit: str = ""  # the unit as typed, for a message


def read_number(text, units=()):
    """Read `text` as one number, with at most one unit after it from `units` (canonical names,
    see UNIT_WORDS). An empty text reads as no value and no problem."""
    words = _simple(text)
    if not words:
        return Reading()
    negative = words.startswith("-") and not words.startswith("--")
    if negative:
        words = words[1:].strip()
    words = _without_filler(words)
    if _RANGE.match(words):
        return Reading(problem=RANGE)
    number_text, unit_text = _split_unit(words)
    if number_text is None:
        return Reading(problem=NOT_A_NUMBER)
    unit = None
    if unit_text:
        unit = UNIT_OF_WORD.get(unit_text)
        if unit is None:
            return Reading(problem=NOT_A_NUMBER, typed_unit=unit_text)
        if unit not in units:
            return Reading(problem=WRONG_UNIT, unit=unit, typed_unit=unit_text)
    value = _number(number_text)
    if isinstance(value, str):
        return Reading(problem=value)
    return Reading(value=-value if negative else value, unit=unit, typed_unit=unit_text or "")


def _simple(text):
    """Lower case, no accents (so "días" is "dias"), single spaces, "x4" as "4 x"."""
    # "½" first: NFKC would make "1½" into "11⁄2".
    text = str(text or "").replace("½", " 1/2 ")
    text = unicodedata.normalize("NFKC", text).replace("⁄", "/").casefold().strip()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    text = " ".join(text.replace("\u00a0", " ").split())
    text = re.sub(r"^x\s*(\d)", r"\1 x", text)  # "x4" is "4 times"
    text = re.sub(r"\s*/\s*", "/", text)  # "1 / 2" is "1/2"
    return text.rstrip(".").strip()


def _without_filler(words):
    for filler in sorted(FILLER, key=len, reverse=True):
        words = re.sub(rf"(?<![\w/]){re.escape(filler)}(?![\w/])", " ", words)
    return " ".join(words.split())


def _split_unit(words):
    """("2 1/2", "mg") from "2 1/2 mg"; (None, None) when it is not a number then a unit."""
    for unit_word in sorted(UNIT_OF_WORD, key=len, reverse=True):
        if "/" in unit_word and words.endswith(unit_word):
            number = words[: -len(unit_word)].strip()
            return (number, unit_word) if number else (None, None)
    words = _words_to_digits(words)
    match = _NUMBER_THEN_WORD.match(words)
    if not match:
        return None, None
    return match.group(1).strip(), (match.group(2) or "").strip()


def _words_to_digits(words):
    """ "one and a half" is "1 1/2", "media" is "1/2", "dos" is "2", "a week" is "1 week"."""
    for half in sorted(HALF_WORDS, key=len, reverse=True):
        for joiner in AND_WORDS:
            words = re.sub(rf"\b{joiner} {re.escape(half)}(?!\w)", "1/2", words)
    for half in sorted(HALF_WORDS, key=len, reverse=True):
        words = re.sub(rf"(?<![\w/]){re.escape(half)}(?!\w)", "1/2", words)
    tokens = words.split(" ")
    if tokens[0] in WORD_NUMBERS and (len(tokens) > 1 or tokens[0] not in ("a", "an")):
        tokens[0] = str(WORD_NUMBERS[tokens[0]])
    words = " ".join(tokens)
    return words.replace("½", " 1/2").replace("  ", " ").strip()


def _number(text):
    """A Decimal from "2", "2.5", "2,5", ",5", "1/2", "2 1/2"; or a problem code."""
    parts = text.split(" ")
    if len(parts) == 2 and _FRACTION.match(parts[1]) and parts[0].isdigit():
        whole, fraction = _number(parts[0]), _number(parts[1])
        if isinstance(fraction, str) or fraction >= 1:
            return NOT_A_NUMBER
        return whole + fraction
    if len(parts) != 1:
        return NOT_A_NUMBER
    fraction = _FRACTION.match(text)
    if fraction:
        top, bottom = Decimal(fraction.group(1)), Decimal(fraction.group(2))
        if bottom == 0:
            return NOT_A_NUMBER
        return top / bottom
    if _THOUSANDS.match(text) and not text.startswith("0"):
        # "1,000" is a thousand in English and one in Spanish ("1.500" the other way round):
        # asked, never guessed.
        return AMBIGUOUS_SEPARATOR
    if not _PLAIN.match(text):
        return NOT_A_NUMBER
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return NOT_A_NUMBER


# How many weeks in each unit of "how long ago": a month is an average month (365.25 / 12
# days), a year 365.25 days. Rounded to a tenth of a week, as the answer is stored.
WEEKS_IN = {
    "day": Decimal(1) / 7,
    "week": Decimal(1),
    "month": Decimal("365.25") / 12 / 7,
    "year": Decimal("365.25") / 7,
}


def weeks_from(value, unit):
    """ "6 months" in weeks (26.1), as the rules read it."""
    return (value * WEEKS_IN[unit]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# The daily unit of a medicine kept as typed, from the unit of its strength: never mg a day
# unless the label says mg (intake-format: any other unit is kept, never converted).
DAILY_UNIT_OF = {
    "mg": "mg/day",
    "mcg": "mcg/day",
    "g": "g/day",
    "mL": "mL/day",
    "tablet": "tablets/day",
    "mcg/hr": "mcg/hr",
}
MISSING_NUMBER = "missing_number"
MISSING_UNIT = "missing_unit"
_STRENGTH = re.compile(
    r"(?P<number>\d+(?:[.,]\d+)*)\s*(?P<unit>mcg/hr|mcg/h|ug/h|ug/hr|[a-zµ]+)?"
    r"(?:\s*/\s*(?P<volume>\d+(?:[.,]\d+)?)?\s*(?:ml|cc)\b)?"
)


@dataclass(frozen=True)
class StrengthReading:
    """The first number of a typed strength and its unit ("2 g", "400 mcg"), with the volume
    it is in for a liquid ("10 mg/5 mL": 5), or a problem."""

    amount: Decimal | None = None
    unit: str | None = None
    volume_ml: Decimal | None = None
    problem: str | None = None


def read_strength(text):
    """Read the strength of a medicine kept as typed: "2 g", "400 mcg", "10 mg/5 mL", "2,5 mg"."""
    words = _simple(text)
    match = _STRENGTH.search(words)
    if not match:
        return StrengthReading(problem=MISSING_NUMBER)
    amount = _number(match.group("number"))
    if isinstance(amount, str):
        return StrengthReading(problem=amount)
    unit = UNIT_OF_WORD.get(match.group("unit") or "")
    if unit not in DAILY_UNIT_OF:
        return StrengthReading(amount=amount, problem=MISSING_UNIT)
    volume = None
    if match.group(0).endswith(("ml", "cc")) and unit != "mL":
        volume = _number(match.group("volume") or "1")
        if isinstance(volume, str) or volume == 0:
            return StrengthReading(problem=NOT_A_NUMBER)
    return StrengthReading(amount=amount, unit=unit, volume_ml=volume)
