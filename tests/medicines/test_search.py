"""Finding a product from a few letters, a brand or generic name, or a misspelling."""

import pytest

from intake.medicines import find_by_name, search


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
    assert names("oxy", 4) == ["OxyContin", "Oxycodone", "Oxymorphone", "Oxycodone ER"]
    assert names("perc") == ["Percocet"]


def test_a_word_inside_a_name_finds_it():
    assert names("contin") == ["MS Contin", "OxyContin"]


def test_every_typed_word_must_fit_a_word_of_the_name():
    assert names("buprenorphine naloxone", 2) == [
        "Buprenorphine and naloxone film",
        "Buprenorphine and naloxone tablet",
    ]
    assert names("oxycodone apap") == ["Oxycodone and acetaminophen"]


def test_the_exact_name_comes_before_names_that_start_with_it():
    assert names("methadone", 2) == ["Methadone", "Dolophine"]
    assert names("morph", 3) == ["Morphine", "Morphine ER", "Morphine oral solution"]


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
    assert find_by_name("Kadian") is None
    assert find_by_name("perc").id == "percocet"
    assert find_by_name("perco") is None
