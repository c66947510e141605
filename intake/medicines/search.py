"""Finding a product from what a patient types: a name as printed on the bottle, with or without
its strength, a salt ("hydrochloride", "clorhidrato"), a dosage form ("tablets", "parche"), in
English or Spanish, misspelt or not.

The typed text is split into the name and the strength; the name loses its salts and joining
words, and its dosage-form words become hints (patch, liquid, extended release...) that choose
between products of one drug. Names are matched whole, by their start, word by word, inside
another name, and only when nothing fits as typed, by similarity (rapidfuzz). Medicines known
not to be opioids, and opioids the list does not convert, are matched the same way, so that
"gabapentin", "naloxone" or "subsys" never fall on a different drug's product.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

# ---------------------------------------------------------------- words

# Salts of a label's generic name and words that join names: they never tell products apart.
IGNORED_WORDS = frozenset(
    [
        "hcl",
        "hydrochloride",
        "hydrochlorid",
        "sulfate",
        "sulphate",
        "phosphate",
        "bitartrate",
        "tartrate",
        "citrate",
        "base",
        "usp",
        "clorhidrato",
        "hidrocloruro",
        "sulfato",
        "fosfato",
        "bitartrato",
        "tartrato",
        "citrato",
        "and",
        "with",
        "w",
        "plus",
        "y",
        "e",
        "con",
        "de",
        "del",
        "la",
        "el",
        "los",
        "las",
        "en",
        "of",
        "the",
        "oral",
        "by",
        "mouth",
        "generic",
        "brand",
        "release",
        "acting",
        "liberacion",
        "accion",
        "sublingual",
        "bucal",
        "buccal",
        "via",
    ]
)

# Dosage-form words, English and Spanish, and the form they point to.
FORM_HINTS = {
    **dict.fromkeys(
        [
            "tablet",
            "tablets",
            "tab",
            "tabs",
            "pill",
            "pills",
            "tableta",
            "tabletas",
            "comprimido",
            "comprimidos",
            "pastilla",
            "pastillas",
            "pildora",
            "pildoras",
        ],
        "tablet",
    ),
    **dict.fromkeys(["capsule", "capsules", "cap", "caps", "capsula", "capsulas"], "capsule"),
    **dict.fromkeys(
        [
            "solution",
            "liquid",
            "syrup",
            "elixir",
            "concentrate",
            "drops",
            "suspension",
            "solucion",
            "liquido",
            "jarabe",
            "gotas",
            "concentrado",
            "suspension",
            "intensol",
        ],
        "liquid",
    ),
    **dict.fromkeys(
        ["patch", "patches", "transdermal", "parche", "parches", "transdermico"], "patch"
    ),
    **dict.fromkeys(
        ["film", "films", "strip", "strips", "pelicula", "peliculas", "tira", "tiras"], "film"
    ),
    **dict.fromkeys(["spray", "nasal", "aerosol"], "spray"),
    **dict.fromkeys(
        [
            "injection",
            "injections",
            "shot",
            "shots",
            "injectable",
            "inyeccion",
            "inyecciones",
            "inyectable",
        ],
        "injection",
    ),
    **dict.fromkeys(["lozenge", "lollipop", "troche", "pirulin"], "lozenge"),
}
RELEASE_HINTS = {
    **dict.fromkeys(
        [
            "er",
            "xr",
            "sr",
            "cr",
            "xl",
            "extended",
            "prolongada",
            "extendida",
            "sostenida",
            "controlada",
            "retard",
            "long",
        ],
        "extended_release",
    ),
    **dict.fromkeys(["ir", "immediate", "inmediata", "short", "rapida"], "immediate_release"),
}
# Spanish (and other) spellings of ingredient names, read as the English name.
SYNONYMS = {
    "oxicodona": "oxycodone",
    "hidrocodona": "hydrocodone",
    "morfina": "morphine",
    "hidromorfona": "hydromorphone",
    "oximorfona": "oxymorphone",
    "metadona": "methadone",
    "codeina": "codeine",
    "fentanilo": "fentanyl",
    "buprenorfina": "buprenorphine",
    "naloxona": "naloxone",
    "paracetamol": "acetaminophen",
    "acetaminofen": "acetaminophen",
    "acetaminofeno": "acetaminophen",
    "apap": "acetaminophen",
    "ibuprofeno": "ibuprofen",
    "aspirina": "aspirin",
    "cafeina": "caffeine",
    "prometazina": "promethazine",
    "dihidrocodeina": "dihydrocodeine",
    "meperidina": "meperidine",
    "gabapentina": "gabapentin",
    "pregabalina": "pregabalin",
    "naproxeno": "naproxen",
    "ciclobenzaprina": "cyclobenzaprine",
    "diclofenaco": "diclofenac",
    "naltrexona": "naltrexone",
}
# A strength's units and the words that tie its numbers together.
UNIT_WORDS = frozenset(
    [
        "mg",
        "mcg",
        "ug",
        "ml",
        "hr",
        "h",
        "hrs",
        "hora",
        "horas",
        "g",
        "gr",
        "milligram",
        "milligrams",
        "miligramo",
        "miligramos",
        "microgram",
        "micrograms",
        "microgramo",
        "microgramos",
        "milliliter",
        "milliliters",
        "mililitro",
        "mililitros",
        "hour",
    ]
)
NUMBER_WORDS = frozenset(["no", "num", "numero", "nr"])
JOINING_SIGNS = frozenset(["/", "-", "per", "por", "each", "cada"])

# ---------------------------------------------------------------- scores

EXACT, SAME_NAME, STARTS, WORDS, CONTAINS, FUZZY = 100, 96, 90, 80, 60, 40
# A name that is the same as typed but for dosage-form words scores SAME_NAME less one per
# differing hint, never below this (still above a name that only starts with what was typed).
SAME_NAME_FLOOR = 91
# Shorter text matches too many names by accident: no "inside a name" or similarity below this.
FUZZY_MIN_LENGTH = 4
# Jaro-Winkler similarity (0-1) for a misspelt name; it rewards a right start, as people type.
FUZZY_CUTOFF = 0.86
FUZZY_CANDIDATES = 8
# A typed word not in the vocabulary is read as the closest word at or above this ratio (0-100).
WORD_FIX_CUTOFF = 80
WORD_FIX_MIN_LENGTH = 5


@dataclass(frozen=True)
class KnownMedicine:
    """A medicine that is not a product on the list: not an opioid (`is_opioid` False), or an
    opioid the list does not convert (it is kept as typed)."""

    name: str
    generic: str
    aliases: tuple = ()
    is_opioid: bool = False


@dataclass(frozen=True)
class TypedName:
    """What was typed, taken apart: the name's core words, its form hints, the strength part."""

    core: str
    hints: frozenset
    strength_text: str
    whole: str  # all of it, normalised, to match a name that has a number in it ("tylenol 3")
    misspelt: bool = False  # a word was read as the closest word of the list


@dataclass(frozen=True)
class Lookup:
    """What a typed name finds: products best first, the strength typed with it (read against
    the first product), or a medicine known not to be an opioid, or an opioid not on the list."""

    typed: str
    products: tuple = ()
    strength: object = None  # a Strength of products[0], when the typed one is sold
    strength_text: str = ""
    not_an_opioid: KnownMedicine | None = None
    unlisted_opioid: KnownMedicine | None = None
    is_exact: bool = False  # products[0] is named as typed (salts and forms aside)
    known_as: str = ""  # the known medicine's name or alias that was typed ("Gabapentin")


def ascii_digits(text):
    """Digits of any script as 0-9: "١٠" is "10"."""
    return re.sub(r"\d", lambda digit: str(unicodedata.digit(digit[0])), text or "")


def normal(text):
    """Lower case, no accents, letters and digits only, single spaces."""
    decomposed = unicodedata.normalize("NFKD", ascii_digits(text))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[^a-z0-9.]+|(?<![0-9])\.|\.(?![0-9])", " ", plain).split())


def _tokens(text):
    decomposed = unicodedata.normalize("NFKD", ascii_digits(text))
    decomposed = decomposed.replace("µ", "mc").replace("μ", "mc")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    plain = re.sub(r"(?<=\d),(?=\d)", ".", plain)  # a decimal comma: 7,5
    return re.findall(r"\d+(?:\.\d+)?|\.\d+|[a-z]+|[#/\-]", plain)


def _is_number(token):
    return token[0].isdigit() or token[0] == "."


def _is_strength_token(tokens, index, in_strength):
    """A number; "#" or "no" before one; a unit after one (or after "/"); "/", "-" or "per"
    between parts of a strength. `in_strength` holds the answer for the tokens before."""
    token = tokens[index]
    after = tokens[index + 1] if index + 1 < len(tokens) else ""
    follows_strength = index > 0 and in_strength[index - 1]
    if _is_number(token):
        return True
    if token in ("#", *NUMBER_WORDS):
        return bool(after) and _is_number(after)
    if token in UNIT_WORDS:
        return follows_strength or (index > 0 and tokens[index - 1] == "/")
    if token in JOINING_SIGNS:
        return follows_strength and bool(after) and (_is_number(after) or after in UNIT_WORDS)
    return False


def split_typed(text):
    """The name and the strength in what was typed: "Norco 5-325" is "norco" and "5/325"."""
    tokens = _tokens(text)
    in_strength = [False] * len(tokens)
    for index in range(len(tokens)):
        in_strength[index] = _is_strength_token(tokens, index, in_strength)
    name_words = [
        t for t, strength in zip(tokens, in_strength, strict=True) if not strength and t.isalpha()
    ]
    strength_text = ""
    for token, strength in zip(tokens, in_strength, strict=True):
        if not strength:
            continue
        if token in JOINING_SIGNS:
            strength_text += "/" if token in ("/", "-") else f" {token} "
        elif token == "#":
            strength_text += " #"
        else:
            glue = "" if strength_text.endswith(("/", "#")) or not strength_text else " "
            strength_text += glue + token
    return name_words, " ".join(strength_text.split())


def read_name(text, fix_word=None):
    """A TypedName: Spanish and misspelt words read as the list's words, salts dropped, forms
    turned into hints."""
    words, strength_text = split_typed(text)
    core, hints, misspelt = [], set(), False
    for word in words:
        word = SYNONYMS.get(word, word)
        if fix_word is not None:
            fixed = fix_word(word)
            misspelt, word = misspelt or fixed != word, fixed
        if word in IGNORED_WORDS:
            continue
        if word in FORM_HINTS:
            hints.add(FORM_HINTS[word])
        elif word in RELEASE_HINTS:
            hints.add(RELEASE_HINTS[word])
        else:
            core.append(word)
    lowered = strength_text.casefold()
    if "ml" in lowered:
        hints.add("liquid")
    if re.search(r"mcg ?/ ?(hr|h|hora|hour)", lowered):
        hints.add("patch")
    return TypedName(" ".join(core), frozenset(hints), strength_text, normal(text), misspelt)


def hint_conflicts(hints, product):
    """How many of the typed form hints the product does not fit."""
    conflicts = 0
    for hint in hints:
        if hint == "extended_release":
            conflicts += product.formulation != "extended_release"
        elif hint == "immediate_release":
            conflicts += product.formulation == "extended_release"
        else:
            conflicts += product.form != hint
    return conflicts


# ---------------------------------------------------------------- the index


class SearchIndex:
    """Every name, generic name and alias of the products and the known medicines, cleaned as a
    typed name is, and looked up by sorted keys rather than one by one."""

    def __init__(self, products, known=()):
        self.products = tuple(products)
        self.known = tuple(known)
        # What each entry names: ("product", position) or ("known", position), with its rank
        # (0 the name, 1 the generic name, 2 an alias), its core words and hints.
        self.entries = []
        vocabulary = {*SYNONYMS, *SYNONYMS.values(), *IGNORED_WORDS, *FORM_HINTS, *RELEASE_HINTS}
        raw_names = []
        for kind, items in (("product", self.products), ("known", self.known)):
            for position, item in enumerate(items):
                # A product's Spanish name ("Parche de fentanilo") is one of its names.
                own_names = (item.name, *filter(None, [getattr(item, "name_es", "")]))
                for rank, names in enumerate((own_names, (item.generic,), item.aliases)):
                    for name in names:
                        raw_names.append(normal(name))
                        vocabulary.update(normal(name).split())
                        self.entries.append([kind, position, rank, name])
        self.vocabulary = sorted(word for word in vocabulary if word.isalpha())
        self.whole = {}
        cores = []
        for entry, raw in zip(self.entries, raw_names, strict=True):
            typed = read_name(entry[3])
            entry.extend((typed.core, typed.hints))
            cores.append(typed.core)
            self.whole.setdefault(raw, []).append(len(cores) - 1)
        self.compacts = [core.replace(" ", "") for core in cores]
        self.by_core = {}
        for number, core in enumerate(cores):
            self.by_core.setdefault(core, []).append(number)
        self.by_compact = sorted((compact, number) for number, compact in enumerate(self.compacts))
        self.words = sorted(
            (word, number) for number, core in enumerate(cores) for word in core.split()
        )
        # All names in one string, so "typed inside a name" is one scan in C.
        self.joined = "\n".join(self.compacts)
        self.starts = []
        offset = 0
        for compact in self.compacts:
            self.starts.append(offset)
            offset += len(compact) + 1
        self.distinct_compacts = sorted(set(self.compacts) - {""})

    # ------------------------------------------------------------ reading what was typed

    def fix_word(self, word):
        """A misspelt word read as the closest word of the list ("tramadoll" is "tramadol");
        a word of the list, or the start of one, is kept as typed."""
        if len(word) < WORD_FIX_MIN_LENGTH or not word.isalpha():
            return word
        index = bisect_left(self.vocabulary, word)
        if index < len(self.vocabulary) and self.vocabulary[index].startswith(word):
            return word
        best = process.extractOne(
            word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=WORD_FIX_CUTOFF
        )
        return best[0] if best else word

    def look_up(self, text, read_strength, limit):
        typed = read_name(text, self.fix_word)
        whole_entries = self.whole.get(typed.whole, ())
        if whole_entries and any(char.isdigit() for char in typed.whole):
            # A name with a number in it ("tylenol 3", "t3"): the number is part of the name.
            typed = TypedName(typed.whole, frozenset(), "", typed.whole)
            scores = {
                self._item(number): (EXACT, self.entries[number][2], number)
                for number in whole_entries
            }
        elif not typed.core:
            return Lookup(text)
        else:
            scores = self._scores(typed)
        return self._lookup(text, typed, scores, read_strength, limit)

    def _item(self, number):
        kind, position = self.entries[number][:2]
        return kind, position

    def _scores(self, typed):
        """Best (score, rank) per item."""
        core, compact = typed.core, typed.core.replace(" ", "")
        found = {}
        for number in self.by_core.get(core, ()):
            hints = self.entries[number][5]
            difference = len(hints ^ typed.hints)
            score = EXACT if not difference else max(SAME_NAME - difference, SAME_NAME_FLOOR)
            self._keep(found, number, score)
        for number in _with_prefix(self.by_compact, compact):
            self._keep(found, number, STARTS)
        matching = None
        for word in core.split():
            numbers = set(_with_prefix(self.words, word))
            matching = numbers if matching is None else matching & numbers
        for number in matching or ():
            self._keep(found, number, WORDS)
        if len(compact) >= FUZZY_MIN_LENGTH:
            for number in self._containing(compact):
                self._keep(found, number, CONTAINS)
            # Misspellings only when nothing was found as typed: a name that fits wins outright.
            if not found:
                for number, score in self._similar(compact):
                    self._keep(found, number, score)
        return found

    def _keep(self, found, number, score):
        """Keep the item's best (score, rank, entry number)."""
        item, rank = self._item(number), self.entries[number][2]
        best = found.get(item)
        if best is None or (score, -rank) > (best[0], -best[1]):
            found[item] = (score, rank, number)

    def _containing(self, compact):
        index = self.joined.find(compact)
        while index != -1:
            yield bisect_right(self.starts, index) - 1
            index = self.joined.find(compact, index + 1)

    def _similar(self, compact):
        # As much of each name as was typed (plus one), so a misspelt start of a long name
        # ("hydrocodne") still finds it.
        heads = {name: name[: len(compact) + 1] for name in self.distinct_compacts}
        similar = process.extract(
            compact,
            heads,
            scorer=JaroWinkler.similarity,
            score_cutoff=FUZZY_CUTOFF,
            limit=FUZZY_CANDIDATES,
        )
        for _head, similarity, name in similar:
            for number, other in enumerate(self.compacts):
                if other == name:
                    yield number, FUZZY + int(similarity * 10)

    # ------------------------------------------------------------ ranking

    def _lookup(self, text, typed, scores, read_strength, limit):
        products = {p: s for (kind, p), s in scores.items() if kind == "product"}
        known = {p: s for (kind, p), s in scores.items() if kind == "known"}
        best_known = None
        if known:
            position = min(known, key=lambda p: (-known[p][0], known[p][1]))
            best_known = (self.known[position], known[position][0], known[position][2])
        best_product_score = max((found[0] for found in products.values()), default=0)
        # The known medicine wins when it fits better, or as well by its whole name.
        known_wins = best_known is not None and (
            best_known[1] > best_product_score
            or best_known[1] == best_product_score >= SAME_NAME_FLOOR
        )
        if known_wins:
            # A medicine known not to be on the list fits best: only products that share a
            # word with what was typed are still offered, after it ("tylenol": Tylenol with
            # Codeine), never one that is only alike ("dihydrocodeine" is not hydrocodone).
            products = {p: s for p, s in products.items() if s[0] >= WORDS}
        ranked, named_first = self._rank(products, typed, read_strength)
        ranked = ranked[:limit]
        first = ranked[0] if ranked else None
        strength = None
        if first is not None and typed.strength_text and not hint_conflicts(typed.hints, first):
            strength = _sold_strength(first, typed.strength_text, read_strength)
        # Named as typed, and in the form typed ("oxycodone patch" is no product: asked).
        is_exact = (
            first is not None
            and products[self.products.index(first)][0] >= SAME_NAME_FLOOR
            and not hint_conflicts(typed.hints, first)
            # Named as well as the first by name: the strength only chose between equals
            # ("methadone 10 mg/mL": the concentrate). "oxycodone 80 mg" is only sold as an
            # ER tablet: offered first, but asked, never taken for the patient.
            and products[self.products.index(first)][0]
            == products[self.products.index(named_first)][0]
        )
        medicine = best_known[0] if known_wins else None
        return Lookup(
            typed=text,
            products=tuple(ranked),
            strength=strength,
            strength_text=typed.strength_text,
            not_an_opioid=medicine if medicine and not medicine.is_opioid else None,
            unlisted_opioid=medicine if medicine and medicine.is_opioid else None,
            known_as=_as_named(self.entries[best_known[2]][3]) if medicine else "",
            # A misspelling is offered, not taken: the patient says which one it is.
            is_exact=is_exact and medicine is None and not typed.misspelt,
        )

    def _rank(self, products, typed, read_strength):
        """Best first: no clash with the typed form words; a drug named in what was typed; the
        typed strength sold (within the drug of the best match); how well the name fits.
        Also the product that is first by its name alone (None when nothing was found)."""
        typed_ingredients = set(typed.core.split()) & _INGREDIENT_WORDS

        def by_name(position):
            product = self.products[position]
            score, rank, _entry = products[position]
            missing = len(typed_ingredients - set(product.ingredients))
            return (
                missing + hint_conflicts(typed.hints, product),
                -score,
                rank,
                len(product.name),
                product.name,
            )

        order = sorted(products, key=by_name)
        if order and hint_conflicts(typed.hints, self.products[order[0]]):
            # The name fits only a form that was not typed ("metadone liquid" names the
            # tablet's misspelling): the same drug's other forms are offered too.
            ingredients = self.products[order[0]].ingredients
            for position, product in enumerate(self.products):
                if product.ingredients == ingredients and position not in products:
                    products[position] = (FUZZY, 2, None)
            order = sorted(products, key=by_name)
        if not order or not typed.strength_text:
            return [self.products[position] for position in order], self.products[
                order[0]
            ] if order else None
        leader = self.products[order[0]].opioid

        def by_strength(position):
            product = self.products[position]
            sold = _sold_strength(product, typed.strength_text, read_strength) is not None
            return (
                product.opioid != leader,
                by_name(position)[0],
                not sold,
                *by_name(position)[1:],
            )

        ranked = [self.products[position] for position in sorted(order, key=by_strength)]
        return ranked, self.products[order[0]]


_INGREDIENT_WORDS = frozenset(
    [
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
        "acetaminophen",
        "ibuprofen",
        "naloxone",
        "aspirin",
        "caffeine",
        "butalbital",
        "promethazine",
        "celecoxib",
    ]
)


def _as_named(name):
    """A name as written in a sentence: "gabapentin" is "Gabapentin", "Tylenol" stays."""
    return name[:1].upper() + name[1:]


def _sold_strength(product, strength_text, read_strength):
    reading = read_strength(product, strength_text)
    if reading.strength is None or reading.problems:
        return None
    return reading.strength


def _with_prefix(sorted_pairs, prefix):
    index = bisect_left(sorted_pairs, (prefix,))
    while index < len(sorted_pairs) and sorted_pairs[index][0].startswith(prefix):
        yield sorted_pairs[index][1]
        index += 1
