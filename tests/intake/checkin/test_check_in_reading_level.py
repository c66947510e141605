"""Every check-in page a patient reads is at Flesch-Kincaid grade 8 or below."""

import pytest

from education.readability import PATIENT_GRADE_LIMIT
from intake.checkin.views import STEPS
from intake.review.follow_up import start_follow_up
from tests.intake.checkin.helpers import (
    PLAN_WITHOUT_DOSE_CHANGE,
    WITHDRAWAL_CHECK_IN,
    check_in,
    make_first_visit,
)
from tests.test_reading_level import grade_of

pytestmark = pytest.mark.django_db
PLAN = PLAN_WITHOUT_DOSE_CHANGE


@pytest.fixture
def link(clinician):
    _, token = start_follow_up(make_first_visit(), clinician, PLAN)
    return f"/intake/check-in/link/{token}/"


@pytest.mark.parametrize("slug", [step.slug for step in STEPS])
def test_each_check_in_page_reads_at_grade_8_or_below(client, link, slug):
    client.get(link)
    assert grade_of(client.get("/intake/check-in/")) <= PATIENT_GRADE_LIMIT
    client.post("/intake/check-in/")
    assert grade_of(client.get(f"/intake/check-in/{slug}/")) <= PATIENT_GRADE_LIMIT


def test_the_ended_and_thank_you_pages_read_at_grade_8_or_below(client, link, content):
    assert grade_of(client.get("/intake/check-in/")) <= PATIENT_GRADE_LIMIT
    check_in(client, link, WITHDRAWAL_CHECK_IN)
    assert grade_of(client.get("/intake/check-in/done/")) <= PATIENT_GRADE_LIMIT
