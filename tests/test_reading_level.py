"""Every page a patient reads is at Flesch-Kincaid grade 8 or below, measured on its text."""

import re
from html import unescape

import pytest

from education.readability import PATIENT_GRADE_LIMIT
from intake.journey.steps import STEPS
from tests.intake.journey import fill_all_steps, start, submit

pytestmark = pytest.mark.django_db
_MAIN = re.compile(r"<main[^>]*>(.*)</main>", re.DOTALL)
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|dt|dd|legend|label|summary|button|a|div|option)>")


def page_text(response):
    """The visible words of <main>, a line per block, as the reading measure expects."""
    main = _MAIN.search(response.content.decode()).group(1)
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.DOTALL)
    main = _BLOCK_END.sub("\n", main)
    text = unescape(re.sub(r"<[^>]+>", " ", main))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def grade_of(response):
    from education.readability import reading_grade

    return reading_grade(page_text(response))


INTAKE_STEPS = [step.slug for step in STEPS]


@pytest.mark.parametrize(
    "path",
    ["/", "/learn/", "/learn/glossary/", "/learn/search/?q=taper", "/intake/", "/intake/resume/"],
)
def test_public_pages_read_at_grade_8_or_below(client, content, path):
    assert grade_of(client.get(path)) <= PATIENT_GRADE_LIMIT


@pytest.mark.parametrize("slug", INTAKE_STEPS)
def test_each_intake_step_reads_at_grade_8_or_below(client, slug):
    start(client)
    if slug == "time-since-stopped":  # asked only of someone who stopped
        client.post("/intake/opioid-use/", {"currently_taking_opioids": "False"})
    assert grade_of(client.get(f"/intake/{slug}/")) <= PATIENT_GRADE_LIMIT


def test_the_thank_you_page_reads_at_grade_8_or_below(client, content):
    fill_all_steps(client)
    submit(client)
    assert grade_of(client.get("/intake/done/")) <= PATIENT_GRADE_LIMIT
