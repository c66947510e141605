"""Risks beside the opioid dose: one ingredient over its label maximum across products
(ruling 18), and other medicines that add to an opioid's risk (ruling 19).

None of this touches MME: an ingredient sum or another medicine is never added to the total
and never makes it non-computable.
"""

import re
import unicodedata
from decimal import Decimal

from .mme import DAILY_UNIT, is_taking_now

# Ruling 18: US label maxima a day, in mg. Acetaminophen: FDA, prescription combination products
# (liver injury above 4,000 mg a day); tramadol: Ultram label; tapentadol: Nucynta label (IR) and
# Nucynta ER label (ER).
ACETAMINOPHEN_MAX_MG = Decimal(4000)
TRAMADOL_MAX_MG = Decimal(400)
TAPENTADOL_IR_MAX_MG = Decimal(600)
TAPENTADOL_ER_MAX_MG = Decimal(500)
SOURCE_LABEL_MAXIMUM = (
    "US prescribing information (DailyMed): FDA acetaminophen limit for prescription "
    "combinations; Ultram, Nucynta and Nucynta ER labels; oih-facts ruling 18"
)
SOURCE_SEDATIVE = (
    "CDC 2022 Recommendation 11; FDA 2016 boxed warning, opioids with benzodiazepines; "
    "oih-facts ruling 19"
)
SOURCE_GABAPENTINOID = (
    "FDA 2019 safety communication, gabapentinoids with opioids; oih-facts ruling 19"
)
SOURCE_NALOXONE = "CDC 2022 Recommendation 8; oih-facts ruling 19"

SEDATIVE_CLASSES = ("benzodiazepine", "z_drug", "barbiturate", "muscle_relaxant")
GABAPENTINOID_CLASS = "gabapentinoid"
CLASS_WORDS = {
    "benzodiazepine": "benzodiazepine",
    "z_drug": "sleep medicine (z-drug)",
    "barbiturate": "barbiturate",
    "muscle_relaxant": "muscle relaxant",
    "gabapentinoid": "gabapentinoid",
}
EXTENDED_RELEASE = "extended_release"

# The medicines the "Other medicines" page offers (its box codes are the generic names), with
# the name sent in the document, as patients know them: brand first where the brand is better
# known. Class per ruling 19. A short list, so that the page stays short and easy to read;
# the others are found by name when typed (TYPED_NAME_CLASSES).
LISTED_OTHER_MEDICINES = {
    "alprazolam": ("Xanax (alprazolam)", "benzodiazepine"),
    "diazepam": ("Valium (diazepam)", "benzodiazepine"),
    "clonazepam": ("Klonopin (clonazepam)", "benzodiazepine"),
    "lorazepam": ("Ativan (lorazepam)", "benzodiazepine"),
    "zolpidem": ("Ambien (zolpidem)", "z_drug"),
    "carisoprodol": ("Soma (carisoprodol)", "muscle_relaxant"),
    "cyclobenzaprine": ("Flexeril (cyclobenzaprine)", "muscle_relaxant"),
    "gabapentin": ("Gabapentin (Neurontin)", "gabapentinoid"),
    "pregabalin": ("Pregabalin (Lyrica)", "gabapentinoid"),
}
# Names a patient may type, brand or generic, each with its class: the listed ones and other
# common ones, so that a typed "Xanax" or "Halcion" is read as what it is.
TYPED_NAME_CLASSES = {
    **{
        word: medicine_class
        for code, (label, medicine_class) in LISTED_OTHER_MEDICINES.items()
        for word in (code, *re.findall(r"[a-z]+", label.lower()))
    },
    # Benzodiazepines
    "chlordiazepoxide": "benzodiazepine",
    "librium": "benzodiazepine",
    "clorazepate": "benzodiazepine",
    "tranxene": "benzodiazepine",
    "oxazepam": "benzodiazepine",
    "triazolam": "benzodiazepine",
    "halcion": "benzodiazepine",
    "estazolam": "benzodiazepine",
    "midazolam": "benzodiazepine",
    "clobazam": "benzodiazepine",
    "temazepam": "benzodiazepine",
    "restoril": "benzodiazepine",
    # Z-drugs
    "eszopiclone": "z_drug",
    "lunesta": "z_drug",
    "zaleplon": "z_drug",
    "sonata": "z_drug",
    "zopiclone": "z_drug",
    "edluar": "z_drug",
    "intermezzo": "z_drug",
    # Barbiturates
    # Butalbital is the barbiturate of Fioricet and Fiorinal.
    "butalbital": "barbiturate",
    "phenobarbital": "barbiturate",
    "fioricet": "barbiturate",
    "fiorinal": "barbiturate",
    "secobarbital": "barbiturate",
    # Muscle relaxants
    "methocarbamol": "muscle_relaxant",
    "robaxin": "muscle_relaxant",
    "tizanidine": "muscle_relaxant",
    "zanaflex": "muscle_relaxant",
    "baclofen": "muscle_relaxant",
    "metaxalone": "muscle_relaxant",
    "skelaxin": "muscle_relaxant",
    "chlorzoxazone": "muscle_relaxant",
    "orphenadrine": "muscle_relaxant",
    "norflex": "muscle_relaxant",
    "lioresal": "muscle_relaxant",
    "amrix": "muscle_relaxant",
    # Gabapentinoids
    "gralise": "gabapentinoid",
    "horizant": "gabapentinoid",
}
# Between two typed names: a comma, semicolon, slash, plus, a new line, "and", "y" (Spanish).
TYPED_SEPARATOR = re.compile(r"[,;/+\n]+|\s(?:and|y|&)\s", re.IGNORECASE)


def ingredients_over_label_maximum(doc):
    """Ruling 18: each ingredient whose daily amount, summed over every item taken now, is
    above its label maximum: {ingredient, mg_per_day, label_maximum_mg_per_day, products}."""
    if not is_taking_now(doc):
        return []
    parts = _ingredient_parts(doc)
    found = []
    for ingredient in ("acetaminophen", "tramadol", "tapentadol"):
        items = [(label, amount) for name, label, amount, _ in parts if name == ingredient]
        total = sum((amount for _, amount in items), Decimal(0))
        limit = _limit(ingredient, [form for name, _, _, form in parts if name == ingredient])
        if items and total > limit:
            found.append(
                {
                    "ingredient": ingredient,
                    "mg_per_day": _number(total),
                    "label_maximum_mg_per_day": _number(limit),
                    "products": [f"{label}: {_mg(amount)}" for label, amount in items],
                }
            )
    return found


def _limit(ingredient, formulations):
    if ingredient == "acetaminophen":
        return ACETAMINOPHEN_MAX_MG
    if ingredient == "tramadol":
        return TRAMADOL_MAX_MG
    # Facts file silent on tapentadol IR and ER taken together: the safer reading holds the sum
    # to the lower, ER maximum whenever an ER product is among them.
    if EXTENDED_RELEASE in formulations:
        return TAPENTADOL_ER_MAX_MG
    return TAPENTADOL_IR_MAX_MG


def _ingredient_parts(doc):
    """(ingredient, item label, mg a day, formulation) for the opioid of every item in mg/day
    and for the other ingredients of a combination (`non_opioid_parts`); an amount in another
    unit is a data problem (ruling 16) and is left out of the sum."""
    parts = []
    for opioid, chosen in zip(doc["opioids"], doc["opioid_products"], strict=True):
        label = _label(opioid, chosen)
        formulation = opioid["formulation"]
        if opioid["unit"] == DAILY_UNIT:
            parts.append((opioid["name"], label, _decimal(opioid["daily_dose"]), formulation))
        for part in chosen["non_opioid_parts"]:
            if part["unit"] == DAILY_UNIT:
                parts.append((part["name"], label, _decimal(part["daily_dose"]), formulation))
    return parts


def _decimal(number):
    # str() of the number as given: 1950.5 stays 1950.5, never its nearest binary fraction.
    return Decimal(str(number))


def _label(opioid, chosen):
    """The item as the clinician knows it: "Percocet 10 mg/325 mg", or "tramadol 400 mg/day"."""
    name = chosen["product_name"] or chosen["product"]
    if name:
        return f"{name} {chosen['strength']}" if chosen["strength"] else name
    name = opioid["other_name"] if opioid["name"] == "other" else opioid["name"]
    return f"{name} {_number(opioid['daily_dose'])} {opioid['unit']}"


def other_medicine_items(ticked, typed):
    """The `other_medicines` list of a document from the page's answers: the boxes ticked
    (codes of LISTED_OTHER_MEDICINES; "none" and "not sure" give nothing) and the names
    typed, each kept as typed with the class its words say, or `other`."""
    items = [
        {"name": LISTED_OTHER_MEDICINES[code][0], "class": LISTED_OTHER_MEDICINES[code][1]}
        for code in ticked
        if code in LISTED_OTHER_MEDICINES
    ]
    for name in TYPED_SEPARATOR.split(typed or ""):
        name = " ".join(name.split())
        if name:
            items.append({"name": name, "class": typed_name_class(name)})
    return items


def typed_name_class(name):
    """The class of a typed medicine name ("Xanax 1 mg" is a benzodiazepine), else `other`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    for word in re.findall(r"[a-z]+", plain):
        if word in TYPED_NAME_CLASSES:
            return TYPED_NAME_CLASSES[word]
    return "other"


def is_on_opioids(doc):
    """Taking opioids now (ruling 19's "with opioids"): said so, or listed without saying
    they have stopped. Buprenorphine and OUD treatment count: the breathing risk is the same."""
    if doc["currently_taking_opioids"] is True:
        return True
    return is_taking_now(doc) and bool(doc["opioids"])


def sedatives(doc):
    """The other medicines of a sedative class, as "Xanax (benzodiazepine)"."""
    return [_named(item) for item in doc["other_medicines"] if item["class"] in SEDATIVE_CLASSES]


def gabapentinoids(doc):
    return [_named(item) for item in doc["other_medicines"] if item["class"] == GABAPENTINOID_CLASS]


def _named(item):
    """ "Xanax (benzodiazepine)"; a name that has its own brackets keeps one pair:
    "Klonopin (clonazepam; benzodiazepine)", never "Klonopin (clonazepam) (benzodiazepine)"."""
    name, class_words = item["name"].strip(), CLASS_WORDS[item["class"]]
    if name.endswith(")"):
        return f"{name[:-1]}; {class_words})"
    return f"{name} ({class_words})"


def _number(value):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(round(value, 1))


def _mg(amount):
    shown = _number(amount)
    return f"{shown:,} mg" if isinstance(shown, int) else f"{shown:,.1f} mg"
