"""A product's generic name in the patient's language.

The product list (intake/medicines/products.toml) names each product's generic in English,
such as "hydrocodone and acetaminophen". A Spanish page says it in Spanish ("hidrocodona y
acetaminofén"), from the international nonproprietary names in Spanish; a generic with a word
not known here stays in English, marked as English, rather than half translated.
"""

from django.utils import translation

SPANISH_INGREDIENTS = {
    "acetaminophen": "acetaminofén",
    "buprenorphine": "buprenorfina",
    "codeine": "codeína",
    "fentanyl": "fentanilo",
    "hydrocodone": "hidrocodona",
    "hydromorphone": "hidromorfona",
    "ibuprofen": "ibuprofeno",
    "methadone": "metadona",
    "morphine": "morfina",
    "naloxone": "naloxona",
    "oxycodone": "oxicodona",
    "oxymorphone": "oximorfona",
    "tapentadol": "tapentadol",
    "tramadol": "tramadol",
}
# What follows the ingredients in the English, and how Spanish says it after them.
SPANISH_FORMS = {
    "extended-release": "de liberación prolongada",
    "sublingual film": "en película sublingual",
    "sublingual tablet": "en tableta sublingual",
    "buccal film": "en película bucal",
    "patch": "en parche",
}
SALTS = {"sulfate": "sulfato"}


def in_spanish(generic):
    """The generic name in Spanish, or None when a word of it is not known here."""
    words = generic.lower().split()
    salt = None
    if words and words[-1] in SALTS:
        salt = SALTS[words.pop()]
    form = None
    for english, spanish in SPANISH_FORMS.items():
        ending = english.split()
        if words[-len(ending) :] == ending and len(words) > len(ending):
            form, words = spanish, words[: -len(ending)]
            break
    names = [word for word in words if word != "and"]
    if not names or any(name not in SPANISH_INGREDIENTS for name in names):
        return None
    spanish = " y ".join(
        [", ".join(SPANISH_INGREDIENTS[n] for n in names[:-1]), SPANISH_INGREDIENTS[names[-1]]]
        if len(names) > 1
        else [SPANISH_INGREDIENTS[names[0]]]
    )
    if salt:
        spanish = f"{salt} de {spanish}"
    return f"{spanish} {form}" if form else spanish


def product_name(product):
    """(text, language) of a product's name on the page being shown: a brand as printed on
    the bottle, a name that describes the medicine (`name_es` in the product list) in the
    page's language."""
    language = translation.get_language()
    if language == "es" and product.name_es:
        return product.name_es, "es"
    return product.name, "en"


def shown(generic):
    """(text, language) of the generic name on the page being shown."""
    if translation.get_language() == "es" and (spanish := in_spanish(generic)):
        return spanish, "es"
    return generic, "en"
