"""Follow-up ruling F5: new pain sites reported at a check-in are recorded as sites (m1), not
only as "something new"; and the "anything new" answer is kept as the patient gave it: a yes
says what is new, a no drops nothing the patient wrote."""

import pytest
from django.test import Client

from intake.models import Intake
from tests.helpers import login_staff
from tests.intake.checkin.changes import send
from tests.intake.checkin.helpers import make_first_visit, start_follow_up, travel
from tests.intake.journey import post

pytestmark = pytest.mark.django_db
NO_PLAN = {"planned_dose_change": "", "planned_dose_change_on": ""}
ANYTHING_NEW = "/intake/check-in/anything-new/"
# The first visit's pain: lower back (where it began), upper back and both thighs.
FIRST_SITES = ["upper_back", "lower_back", "left_thigh", "right_thigh"]


@pytest.fixture
def link(clinician):
    first = make_first_visit()
    link = start_follow_up(login_staff(Client(), clinician), first, **NO_PLAN)
    travel(first.patient, 14)
    return link


@pytest.mark.parametrize(
    ("ticked", "sites_now", "new_regions"),
    [
        ([], FIRST_SITES, None),
        (
            ["left_knee"],
            [*FIRST_SITES[:2], "left_thigh", "right_thigh", "left_knee"],
            ["left_knee"],
        ),
        (
            ["neck", "right_foot"],
            ["neck", *FIRST_SITES, "right_foot"],
            ["neck", "right_foot"],
        ),
        # A place already listed is not new.
        (["lower_back"], FIRST_SITES, None),
    ],
)
def test_new_places_of_pain_are_kept_as_places_and_counted_as_spread(
    client, link, ticked, sites_now, new_regions
):
    something_new = {"has_something_new": "True", "details": "", "new_pain_sites": ticked}
    if not ticked:
        something_new["details"] = "I had a fall"

    check_in = send(client, link, pain=8, doses={"morphine": "120"}, something_new=something_new)

    assert check_in.current_pain_sites == sites_now
    assert check_in.has_something_new is True
    reasons = check_in.screenings.get().result["oih"]["reasons"]
    [spread] = [reason for reason in reasons if reason["code"] == "pain_spread"]
    assert spread["evidence"].get("new_regions_since_last_visit") == new_regions


def test_a_yes_with_nothing_said_is_asked_about_at_its_field(client, link):
    send_until_anything_new(client, link)

    response = post(client, ANYTHING_NEW, {"has_something_new": "True", "details": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "details": ["Tell us a little about what is new, or tick where the new pain is."]
    }
    check_in = Intake.objects.get(kind=Intake.Kind.CHECK_IN)
    assert ("anything-new" in check_in.completed_steps, check_in.has_something_new) == (
        False,
        None,
    )


@pytest.mark.parametrize(
    "posted",
    [
        {"has_something_new": "False", "details": "A new pain in my knee"},
        {"has_something_new": "False", "details": "", "new_pain_sites": ["left_knee"]},
    ],
)
def test_a_no_never_drops_what_the_patient_wrote_or_ticked(client, link, posted):
    send_until_anything_new(client, link)

    response = post(client, ANYTHING_NEW, posted)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "has_something_new": [
            "You told us about something new. Choose yes, or clear what you added."
        ]
    }


@pytest.mark.parametrize(
    ("posted", "shown"),
    [
        (
            {"has_something_new": "True", "details": "I fell on the stairs"},
            "Yes; I fell on the stairs",
        ),
        (
            {"has_something_new": "True", "details": "", "new_pain_sites": ["left_knee"]},
            "Yes; New pain in: Left knee",
        ),
        ({"has_something_new": "False", "details": ""}, "Nothing new"),
    ],
)
def test_the_check_page_shows_the_answer_as_given(client, link, posted, shown):
    send_until_anything_new(client, link)
    assert post(client, ANYTHING_NEW, posted).status_code == 302

    page = client.get("/intake/check-in/check/")

    [row] = [row for row in page.context["rows"] if row["step"] == "anything-new"]
    assert row["value"] == shown
    # Back on the page, the answer is there as given.
    again = client.get(ANYTHING_NEW).context["form"]
    assert again.initial["has_something_new"] is (posted["has_something_new"] == "True")


def test_no_after_a_visit_still_waiting_for_tests_shows_nothing_new(client, clinician):
    first = make_first_visit(
        new_injury_or_disease_progression={"present": None, "details": "MRI next week"}
    )
    link = start_follow_up(login_staff(Client(), clinician), first, **NO_PLAN)
    send_until_anything_new(client, link)
    post(client, ANYTHING_NEW, {"has_something_new": "False", "details": ""})

    page = client.get("/intake/check-in/check/")

    [row] = [row for row in page.context["rows"] if row["step"] == "anything-new"]
    assert row["value"] == "Nothing new"


def send_until_anything_new(client, link):
    client.get(link.removeprefix("http://testserver"))
    post(client, "/intake/check-in/")
    post(client, "/intake/check-in/pain/", {"pain_score_now": "7"})
    post(client, "/intake/check-in/peg/", {"peg_pain": 7, "peg_enjoyment": 6, "peg_activity": 6})
    post(client, "/intake/check-in/doses/", {"action": "continue"})
    post(client, "/intake/check-in/withdrawal/", {})
