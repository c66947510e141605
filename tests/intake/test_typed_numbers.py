"""Numbers as patients type them: each read as meant, or refused with a reason."""

from decimal import Decimal

import pytest

from intake.journey.typed_numbers import (
    AMBIGUOUS_SEPARATOR,
    NOT_A_NUMBER,
    RANGE,
    WRONG_UNIT,
    read_number,
)

TIME = ("day", "week", "month", "year")
DOSE = ("mg", "mcg", "g", "mL", "tablet")


@pytest.mark.parametrize(
    ("typed", "units", "value", "unit"),
    [
        ("2", (), "2", None),
        ("2,5", (), "2.5", None),
        ("2.5", (), "2.5", None),
        ("0,5", (), "0.5", None),
        ("0.5", (), "0.5", None),
        (",5", (), "0.5", None),
        ("28,5", (), "28.5", None),
        ("0,125", (), "0.125", None),
        ("1/2", (), "0.5", None),
        ("1 / 2", (), "0.5", None),
        ("1 1/2", (), "1.5", None),
        ("1½", (), "1.5", None),
        ("½", (), "0.5", None),
        ("half", (), "0.5", None),
        ("a half", (), "0.5", None),
        ("Media", (), "0.5", None),
        ("medio", (), "0.5", None),
        ("la mitad", (), "0.5", None),
        ("one and a half", (), "1.5", None),
        ("1 and a half", (), "1.5", None),
        ("una y media", (), "1.5", None),
        ("dos y medio", (), "2.5", None),
        ("dos", (), "2", None),
        ("  3  ", (), "3", None),
        ("30 mg", DOSE, "30", "mg"),
        ("30mg", DOSE, "30", "mg"),
        ("5 mL", DOSE, "5", "mL"),
        ("5ml", DOSE, "5", "mL"),
        ("2,5 ml", DOSE, "2.5", "mL"),
        ("2 g", DOSE, "2", "g"),
        ("400 mcg", DOSE, "400", "mcg"),
        ("2 tablets", DOSE, "2", "tablet"),
        ("2 pastillas", DOSE, "2", "tablet"),
        ("1 cápsula", DOSE, "1", "tablet"),
        ("4 times", ("time",), "4", "time"),
        ("4 times a day", ("time",), "4", "time"),
        ("4 veces al día", ("time",), "4", "time"),
        ("x4", ("time",), "4", "time"),
        ("4x", ("time",), "4", "time"),
        ("6 weeks", TIME, "6", "week"),
        ("6 months", TIME, "6", "month"),
        ("6 meses", TIME, "6", "month"),
        ("hace 2 semanas", TIME, "2", "week"),
        ("about 10 days ago", TIME, "10", "day"),
        ("1 año", TIME, "1", "year"),
        ("a year", TIME, "1", "year"),
        ("un mes", TIME, "1", "month"),
        ("2,5 weeks", TIME, "2.5", "week"),
        ("-1", (), "-1", None),
        ("", (), None, None),
    ],
)
def test_it_reads_what_patients_type(typed, units, value, unit):
    reading = read_number(typed, units)
    assert reading.problem is None
    assert reading.value == (None if value is None else Decimal(value))
    assert reading.unit == unit


@pytest.mark.parametrize(
    ("typed", "units", "problem"),
    [
        ("lots", (), NOT_A_NUMBER),
        ("2,5,5", (), NOT_A_NUMBER),
        ("2..5", (), NOT_A_NUMBER),
        ("1/0", (), NOT_A_NUMBER),
        ("1 3/2", (), NOT_A_NUMBER),
        ("1e3", (), NOT_A_NUMBER),
        ("NaN", (), NOT_A_NUMBER),
        ("Infinity", (), NOT_A_NUMBER),
        ("5 bananas", DOSE, NOT_A_NUMBER),
        ("1,000", (), AMBIGUOUS_SEPARATOR),
        ("1.500", (), AMBIGUOUS_SEPARATOR),
        ("2-3", (), RANGE),
        ("2 or 3", (), RANGE),
        ("2 o 3", (), RANGE),
        ("6 months", ("week",), WRONG_UNIT),
        ("30 mg", ("tablet",), WRONG_UNIT),
        ("5 mL", ("tablet",), WRONG_UNIT),
        ("6 weeks", (), WRONG_UNIT),
    ],
)
def test_it_refuses_what_it_cannot_read_for_sure(typed, units, problem):
    reading = read_number(typed, units)
    assert (reading.value, reading.problem) == (None, problem)
