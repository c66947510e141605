"""Issue 22's "What was seen", typed as patients type them, in English and in Spanish, through
the real patient pages (the test client, without JavaScript): each is stored as meant or
refused at its field with a message, never changed silently.

The medicine is named as on the bottle, found, and its questions answered with what the page
itself filled in (the strength typed with the name, one patch, one tablet), as a browser sends
the form. The parsers have their own tables (test_typed_numbers.py, test_time_ago.py,
medicines/test_search_table.py); this one proves the pages put them together.
"""

from decimal import Decimal
from html.parser import HTMLParser

import pytest

from intake.models import Intake, IntakeMedicine
from tests.helpers import in_language
from tests.intake.journey import QUESTION_PAGES, VALID_ANSWERS, post, start, submit

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "es"]


class MedicineFormFields(HTMLParser):
    """What a browser would send from the page's medicine form: its text and hidden boxes,
    and its checked radios and boxes."""

    def __init__(self):
        super().__init__()
        self.forms, self.in_form = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({})
            self.in_form = True
        elif tag == "input" and self.in_form and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            if kind in ("submit", "button"):
                return
            self.forms[-1][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


def sent_by_the_page(response):
    parser = MedicineFormFields()
    parser.feed(response.content.decode())
    [fields] = [form for form in parser.forms if "form_token" in form]
    return fields


def enter_medicine(client, language, typed, answers, keep_as_typed=False):
    """Name it as on the bottle, find it (keep it as typed if asked), then answer its
    questions: the page's response to Add."""
    page = in_language("/intake/medicines/", language)
    fields = sent_by_the_page(client.get(page))
    found = post(client, page, {**fields, "action": "find", "medicine": typed})
    if keep_as_typed:
        assert found.context["form"].stage == "choose"
        fields = sent_by_the_page(found)
        found = post(client, page, {**fields, "action": "find", "product": "unlisted"})
    form = found.context["form"]
    if form.stage != "details":
        return found
    fields = sent_by_the_page(found)
    return post(client, page, {**fields, "action": "add", "purpose": "pain", **answers})


def stored():
    return [
        (m.product, m.strength_label, m.daily_dose, m.unit)
        for m in IntakeMedicine.objects.order_by("pk")
    ]


def field_errors(response):
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


@pytest.fixture
def patient(client):
    start(client)
    return client


# Typed name, typed answers (by language where the words differ), what is stored.
STORED_AS_MEANT = {
    "percocet 10/325, 4 a day": (
        {"en": "percocet 10/325", "es": "percocet 10/325"},
        {"times_per_day": "4"},
        ("percocet", "10 mg/325 mg", Decimal("40.00"), "mg/day"),
    ),
    "Norco 5-325, half a tablet 4 times": (
        {"en": "Norco 5-325", "es": "Norco 5-325"},
        {"amount": "0,5", "times_per_day": "4"},
        ("norco", "5 mg/325 mg", Decimal("10.00"), "mg/day"),
    ),
    "fentanyl 25 mcg/hr patch, every 3 days": (
        {"en": "fentanyl 25 mcg/hr patch", "es": "parche de fentanilo 25 mcg/h"},
        {"change_every_days": "3"},
        ("fentanyl-patch", "25 mcg/hr", Decimal("25.00"), "mcg/hr"),
    ),
    "two 50 mcg/hr patches at a time": (
        {"en": "fentanyl 50 mcg/hr patch", "es": "parche de fentanilo 50 mcg/h"},
        {"patches": "2", "change_every_days": "3"},
        ("fentanyl-patch", "50 mcg/hr", Decimal("100.00"), "mcg/hr"),
    ),
    "methadone 10 mg/mL, 0,5 mL twice a day": (
        {"en": "methadone 10 mg/mL", "es": "metadona 10 mg/mL"},
        {"amount": "0,5", "times_per_day": "2"},
        ("methadose-oral-concentrate", "10 mg/mL", Decimal("10.00"), "mg/day"),
    ),
    "5 mL as needed, up to 4 times, of 5 mg/5 mL": (
        {"en": "oxycodone 5 mg/5 mL", "es": "oxicodona 5 mg/5 mL"},
        {"amount": "5 mL", "times_per_day": "", "most_times_per_day": "4"},
        ("oxycodone-oral-solution", "5 mg/5 mL", Decimal("20.00"), "mg/day"),
    ),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", list(STORED_AS_MEANT))
def test_a_medicine_named_as_on_the_bottle_is_stored_as_meant(patient, language, case):
    typed, answers, expected = STORED_AS_MEANT[case]

    response = enter_medicine(patient, language, typed[language], answers)

    assert response.status_code == 302, field_errors(response)
    assert stored() == [expected]


@pytest.mark.parametrize(
    ("language", "listed"),
    [
        ("en", "Fentanyl patch 25 mcg/hr, changed every 3 days"),
        ("es", "Parche de fentanilo 25 mcg/hr, se cambia cada 3 días"),
    ],
)
def test_a_patch_named_patch_does_not_say_patch_twice(patient, language, listed):
    response = enter_medicine(
        patient, language, "fentanyl 25 mcg/hr patch", {"change_every_days": "3"}
    )

    assert response.status_code == 302, field_errors(response)
    assert IntakeMedicine.objects.get().entered_as == (
        "Fentanyl patch 25 mcg/hr, changed every 3 days"
    )
    assert listed in patient.get(in_language("/intake/medicines/", language)).content.decode()


@pytest.mark.parametrize(
    ("language", "typed", "times"), [("en", "kratom 2 g", "3"), ("es", "kratom 2 g", "3 veces")]
)
def test_kratom_2_g_three_times_a_day_is_kept_as_6_g_a_day_never_mg(
    patient, language, typed, times
):
    response = enter_medicine(
        patient, language, typed, {"strength_typed": "2 g", "times_per_day": times}, True
    )

    assert response.status_code == 302, field_errors(response)
    assert stored() == [("", "2 g", Decimal("6.00"), "g/day")]
    shown = patient.get(in_language("/intake/medicines/", language)).content.decode()
    assert "6 mg" not in shown


@pytest.mark.parametrize(
    ("language", "listed"),
    [
        ("en", "kratom 2 g, 1 at a time, 3 times a day"),
        ("es", "kratom 2 g, 1 cada vez, 3 veces al día"),
    ],
)
def test_the_strength_typed_with_a_name_kept_as_typed_is_kept_not_asked_again(
    patient, language, listed
):
    """ "kratom 2 g": the strength box is filled in with 2 g, and the name is not followed
    by the same strength twice."""
    response = enter_medicine(patient, language, "kratom 2 g", {"times_per_day": "3"}, True)

    assert response.status_code == 302, field_errors(response)
    assert stored() == [("", "2 g", Decimal("6.00"), "g/day")]
    assert IntakeMedicine.objects.get().entered_as == "kratom 2 g, 1 at a time, 3 times a day"
    shown = patient.get(in_language("/intake/medicines/", language)).content.decode()
    assert listed in shown


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("en", "gabapentin 300", "“gabapentin 300” is not an opioid"),
        ("es", "gabapentina 300", "“gabapentina 300” no es un opioide"),
    ],
)
def test_gabapentin_is_said_not_to_be_an_opioid_and_never_stored_as_one(
    patient, language, typed, said
):
    response = enter_medicine(patient, language, typed, {"times_per_day": "3"})

    assert response.context["form"].stage == "choose"
    assert said in response.content.decode()
    assert 'value="unlisted"' not in response.content.decode()
    assert stored() == []


@pytest.mark.parametrize(
    ("language", "asked"),
    [("en", "You have already added Percocet."), ("es", "Ya agregó Percocet.")],
)
def test_the_same_medicine_added_twice_gets_a_question(patient, language, asked):
    first = enter_medicine(patient, language, "percocet 10/325", {"times_per_day": "4"})
    assert first.status_code == 302

    again = enter_medicine(patient, language, "Percocet 10 mg/325 mg", {"times_per_day": "4"})

    assert again.status_code == 200
    assert asked in field_errors(again)["also_take"][0]
    assert len(stored()) == 1


# ------------------------------------------------------------ the time since the dose changed

# A cut, pain worse since, withdrawal symptoms: with the time typed as below.
CUT_WITH_WITHDRAWAL = {
    "dose-change": {"dose_change_last_6_months": "decreased"},
    "dose-changes": {"pain_when_dose_increased": "not_tried"},
    "dose-down": {"pain_when_dose_decreased": "worse"},
    "between-doses": {
        "pain_between_doses_or_missed_dose": "no_change",
        "withdrawal_symptoms_between_doses": ["sweating", "diarrhoea"],
    },
}


def send_a_cut(client, language, typed, unit):
    """The whole intake through the pages in `language`, the cut `typed` `unit` ago."""
    answers = {
        **VALID_ANSWERS,
        **CUT_WITH_WITHDRAWAL,
        "dose-change-weeks": {"dose_change_ago": typed, "dose_change_ago_unit": unit},
    }
    start(client)

    def at(path):
        return in_language(path, language)

    assert client.post(at("/intake/about-you/"), answers["about-you"]).status_code == 302
    added = enter_medicine(client, language, "Norco 5-325", {"times_per_day": "4"})
    assert added.status_code == 302
    assert client.post(at("/intake/medicines/"), {"action": "continue"}).status_code == 302
    for slug in QUESTION_PAGES:
        response = post(client, at(f"/intake/{slug}/"), answers[slug])
        if response.status_code != 302:
            return response
    assert submit(client).status_code == 302
    return None


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("typed", "weeks"), [("2,5", "2.5"), ("28,5", "28.5")])
def test_a_decimal_comma_in_weeks_is_stored_as_meant_and_a_recent_cut_is_urgent(
    client, language, typed, weeks
):
    assert send_a_cut(client, language, typed, "weeks") is None

    intake = Intake.objects.get()
    assert intake.weeks_since_last_dose_change == Decimal(weeks)
    assert (intake.dose_change_ago, intake.dose_change_ago_unit) == (Decimal(weeks), "weeks")
    alerts = intake.screenings.get(is_current=True).alert_codes
    # Inside the 4-week window the cut is urgent; 28.5 weeks ago it is not.
    assert ("withdrawal_after_dose_cut" in alerts) is (weeks == "2.5")


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("en", "6 months", "You typed months but chose weeks. Please check which is right."),
        ("es", "6 meses", "Escribió meses pero eligió semanas. Revise cuál está bien."),
    ],
)
def test_months_typed_in_a_weeks_box_are_asked_about_at_the_field(client, language, typed, message):
    refused = send_a_cut(client, language, typed, "weeks")

    assert refused.context["form"].errors["dose_change_ago"] == [message]
    intake = Intake.objects.get()
    assert (intake.dose_change_ago, intake.weeks_since_last_dose_change) == (None, None)
    assert intake.submitted_at is None
