"""Finding a product from a few letters, a brand or generic name, or a misspelling."""

import pytest

from intake.medicines import find_by_name, look_up, search


def names(text, count=None):
    return [product.name for product in search(text)][:count]


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("oxycontin", "OxyContin"),
        ("OXYCONTIN", "OxyContin"),
        ("percoset", "Percocet"),
        ("PERCOCÉT", "Percocet"),
        ("hydrocodon", "Hydrocodone and acetaminophen"),
        ("oxycodine", "Oxycodone"),
        ("dilauded", "Dilaudid"),
        ("fentynal", "Fentanyl patch"),
        ("suboxen", "Suboxone"),
        ("norko", "Norco"),
        ("tylenol 3", "Tylenol with Codeine"),
        ("Tylenol #3", "Tylenol with Codeine"),
        ("subutex", "Buprenorphine tablet"),
        ("exalgo", "Hydromorphone ER"),
        ("opana er", "Oxymorphone ER"),
    ],
)
def test_brand_generic_and_common_misspellings_find_the_product(typed, first):
    assert names(typed)[0] == first


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        # Not in the alias list: found by fuzzy matching.
        ("hydrocodne", "Hydrocodone and acetaminophen"),
        ("fentenal", "Fentanyl patch"),
        ("hydromorfone", "Hydromorphone"),
        ("belbucca", "Belbuca"),
        ("oxycontn", "OxyContin"),
    ],
)
def test_a_misspelling_not_in_the_list_is_found_by_similarity(typed, first):
    assert names(typed)[0] == first


def test_a_few_letters_find_the_names_that_start_with_them():
    assert names("nor") == ["Norco"]
    # "oxy" is also what patients call oxycodone ("oxy IR"): it comes first.
    assert names("oxy", 4) == ["Oxycodone", "OxyContin", "Oxymorphone", "Oxycodone ER"]
    assert names("perc") == ["Percocet", "Percodan"]


def test_a_word_inside_a_name_finds_it():
    assert names("contin") == ["MS Contin", "OxyContin"]


def test_every_typed_word_must_fit_a_word_of_the_name():
    assert names("buprenorphine naloxone", 2) == [
        "Buprenorphine and naloxone film",
        "Buprenorphine and naloxone tablet",
    ]
    # "apap" is acetaminophen: the brands with that generic name follow.
    assert names("oxycodone apap", 3) == ["Oxycodone and acetaminophen", "Endocet", "Nalocet"]


def test_the_exact_name_comes_before_names_that_start_with_it():
    assert names("methadone", 2) == ["Methadone", "Dolophine"]
    assert names("morph", 3) == ["Morphine", "Morphine ER", "Morphine ER capsule"]


def test_nothing_typed_or_nothing_close_finds_nothing():
    assert search("") == []
    assert search("   ") == []
    assert search("zzzzzz") == []
    assert search("ibuprofen only") == []


def test_at_most_the_limit_is_returned():
    assert len(search("o", limit=3)) == 3
    assert len(search("o")) == 8


def test_find_by_name_takes_only_an_exact_name_or_alias():
    assert find_by_name("percoset").id == "percocet"
    assert find_by_name("  Norco ").id == "norco"
    assert find_by_name("Kadian").id == "kadian"
    assert find_by_name("Zorbex") is None
    assert find_by_name("perc").id == "percocet"
    assert find_by_name("perco") is None


@pytest.mark.parametrize(
    ("typed", "drug"),
    [
        ("oxymorphone hydrochloride", "oxymorphone"),
        ("oxymorphone", "oxymorphone"),
        ("dihydrocodeine", None),
        ("subsys", None),
        ("fentanyl spray", None),
        ("naloxone", None),
        ("tylenol", None),
        ("hydromorphone", "hydromorphone"),
        ("codeine", "codeine"),
        ("oxycodone", "oxycodone"),
    ],
)
def test_a_search_never_offers_a_different_drug_first(typed, drug):
    found = look_up(typed)

    first = found.products[0].opioid if found.products and found.is_exact else None
    assert first == drug


def test_an_opioid_the_list_does_not_convert_is_named_and_kept_as_typed():
    subsys = look_up("subsys")
    dihydrocodeine = look_up("dihydrocodeine")
    spray = look_up("fentanyl spray")

    assert (subsys.unlisted_opioid.name, subsys.products) == ("Subsys", ())
    assert (dihydrocodeine.unlisted_opioid.generic, dihydrocodeine.products) == (
        "dihydrocodeine",
        (),
    )
    assert spray.unlisted_opioid.generic == "fentanyl sublingual spray"
    assert find_by_name("subsys") is None


def test_a_medicine_that_is_not_an_opioid_is_said_so_before_any_product():
    tylenol = look_up("tylenol")
    naloxone = look_up("naloxone")

    assert tylenol.not_an_opioid.generic == "acetaminophen"
    assert [p.id for p in tylenol.products][:1] == ["tylenol-with-codeine"]
    assert naloxone.not_an_opioid.name == "Narcan"
    assert find_by_name("tylenol") is None
    assert find_by_name("naloxone") is None


@pytest.mark.parametrize(
    ("typed", "first", "is_exact"),
    [
        # Only the ER tablets come in 80 mg: offered first, but the patient chooses.
        ("oxycodone 80 mg", "oxycodone-er", False),
        ("hydrocodone 30 mg", "zohydro-er", False),
        ("oxycodone 5/325", "oxycodone-acetaminophen", False),
        # The strength only chose between products named alike: taken.
        ("methadone 10 mg/mL", "methadose-oral-concentrate", True),
        ("oxycodone 5 mg/5 mL", "oxycodone-oral-solution", True),
        # A form no product of that name has is asked about.
        ("oxycodone patch", "oxycodone", False),
    ],
)
def test_a_product_found_by_its_strength_alone_is_offered_not_taken(typed, first, is_exact):
    found = look_up(typed)

    assert (found.products[0].id, found.is_exact) == (first, is_exact)
