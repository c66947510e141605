"""The answers as the patient and the clinician read them: plural forms in both languages."""

from decimal import Decimal

from django.utils import translation

from intake.models import Intake
from intake.summary import answer_sections


def last_dose_change(weeks):
    intake = Intake(weeks_since_last_dose_change=weeks)
    rows = dict(
        (str(label), value)
        for section in answer_sections(intake)
        if section["slug"] == "opioid-use"
        for label, value in section["rows"]
    )
    return str(rows["Last dose change"])


def test_one_week_is_singular_and_more_are_plural():
    assert last_dose_change(Decimal("1")) == "About 1 week ago"
    assert last_dose_change(Decimal("2")) == "About 2 weeks ago"
    assert last_dose_change(Decimal("1.5")) == "About 1.5 weeks ago"


def test_the_spanish_follows_the_same_rule():
    with translation.override("es"):
        intake = Intake(weeks_since_last_dose_change=Decimal("1"))
        [section] = [s for s in answer_sections(intake) if s["slug"] == "opioid-use"]
        texts = [str(value) for _label, value in section["rows"]]
    assert "Hace alrededor de 1 semana" in texts
