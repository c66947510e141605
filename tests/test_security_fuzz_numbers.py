"""Generated numbers, huge, tiny and malformed, in the medicine step and the check-in's dose
boxes (issue 23, finding 5): each answer is a page with a message or the next page, never a
server error, and every stored dose still fits its column and is above 0.

`make test` sends a small fixed set; `make fuzz` (or OIH_FUZZ_EXAMPLES=n) sends more
(tests/fuzzing.py). Each test prints how many inputs it sent (`pytest -s`).
"""

import re
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from intake.models import IntakeMedicine
from tests.fuzzing import EXAMPLES_PER_FORM, FUZZ
from tests.helpers import login_staff
from tests.intake.checkin.helpers import make_first_visit, start_follow_up
from tests.intake.journey import VALID_MEDICINE, form_token, start
from tests.intake.test_fuzz import assert_handled

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

NUMBER = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats(min_value=1e-12, max_value=0.01).map(repr),
    st.floats().map(repr),
    st.sampled_from(
        [
            "99999999999",
            "5000000",
            "10000",
            "24",
            "0.001",
            "0.005",
            "0.004",
            "1e-9",
            "1E+30",
            "1e400",
            "-0",
            "-5",
            "NaN",
            "sNaN",
            "Infinity",
            "1,5",
            "1/2",
            "½",
            "١٠",
            "0x10",
            " 7 ",
            "1_000",
            "9" * 40,
            "0." + "0" * 40 + "1",
            "",
        ]
    ),
)
UNIT = st.sampled_from(["", " mg", "mg", " mcg/h", " mcg/hr", " mg/mL", " mL", " mg/5 mL"])
STRENGTH = st.one_of(NUMBER, st.builds(lambda n, u: n + u, NUMBER, UNIT))
MEDICINE = st.fixed_dictionaries(
    {
        "medicine": st.sampled_from(["Mysteryopioid", "Norco", "Duragesic", "MS Contin"]),
        "product": st.sampled_from(["unlisted", ""]),
        "strength_typed": STRENGTH,
        # Often a usable amount and count, so that the strength's number reaches the dose.
        "amount": st.one_of(st.sampled_from(["1", "2", "10000"]), NUMBER),
        "times_per_day": st.one_of(st.sampled_from(["1", "4", "24"]), NUMBER),
    },
    optional={
        "up_to_per_day": NUMBER,
        "change_every_days": NUMBER,
        "confirmed": st.just("strength_not_sold,above_label_maximum"),
    },
)


def report(name, count):
    print(f"\nFUZZ {name}: {count} inputs")


def assert_every_dose_fits():
    for medicine in IntakeMedicine.objects.all():
        assert medicine.daily_dose > 0
        assert medicine.daily_dose < Decimal(10) ** 10
        assert medicine.strength is None or medicine.strength > 0


def test_generated_numbers_never_break_the_medicine_step():
    client, count = Client(), [0]
    start(client)
    token = form_token(client.get("/intake/medicines/"))

    @FUZZ
    @given(data=MEDICINE)
    def post(data):
        count[0] += 1
        posted = {**VALID_MEDICINE, "action": "add", "purpose": "pain", **data}
        # A new form each time, so every valid one is stored and checked.
        posted["form_token"] = token[:-4] + f"{count[0] % 10000:04x}"
        assert_handled(client.post("/intake/medicines/", posted))

    post()
    report("medicine step numbers", count[0])
    assert count[0] >= EXAMPLES_PER_FORM // 2
    assert_every_dose_fits()


@pytest.fixture
def check_in_client(clinician):
    first = make_first_visit()
    link = start_follow_up(login_staff(Client(), clinician), first)
    client = Client()
    client.get(link)
    client.post("/intake/check-in/")
    return client


def test_generated_numbers_never_break_the_check_in_doses(check_in_client):
    client, count = check_in_client, [0]
    page = client.get("/intake/check-in/doses/").content.decode()
    [field] = re.findall(r'name="(dose_\d+)"', page)

    @FUZZ
    @given(dose=NUMBER)
    def post(dose):
        count[0] += 1
        response = client.post("/intake/check-in/doses/", {field: dose})
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert "There is a problem" in response.content.decode()

    post()
    report("check-in dose numbers", count[0])
    assert count[0] >= EXAMPLES_PER_FORM // 2
    assert_every_dose_fits()
