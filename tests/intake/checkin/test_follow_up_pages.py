"""The clinician's side of follow-up: starting one, the chart and its sentence, the summary."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import AccessLog, FollowUp, keyed_hash
from intake.review.visit_chart import visit_chart
from tests.helpers import login_staff
from tests.intake.checkin.changes import day
from tests.intake.checkin.helpers import (
    BEST_CHECK_IN,
    BETTER_CHECK_IN,
    STEADY_CHECK_IN,
    WITHDRAWAL_CHECK_IN,
    follow_up_with_check_ins,
    make_first_visit,
)
from tests.intake.review.helpers import (
    INTAKE_PAGE_QUERIES as PLAIN_INTAKE_PAGE_QUERIES,
)

pytestmark = pytest.mark.django_db
# The intake page as pinned for plain visits, plus the chart's one query for the visits and
# check-ins with their MME, however many check-ins it shows.
INTAKE_PAGE_QUERIES = PLAIN_INTAKE_PAGE_QUERIES + 1
FOUR = [WITHDRAWAL_CHECK_IN, STEADY_CHECK_IN, BETTER_CHECK_IN, BEST_CHECK_IN]


@pytest.fixture
def clinician_client(client, clinician):
    return login_staff(client, clinician)


def follow_up_url(intake):
    return reverse("admin:intake_intake_follow_up", args=[intake.pk])


def test_a_clinician_starts_a_follow_up_and_sees_the_link_once(clinician_client, clinician):
    first = make_first_visit()
    on = datetime.date.today() + datetime.timedelta(days=7)
    response = clinician_client.post(
        follow_up_url(first),
        {
            "every_weeks": "2",
            "for_weeks": "12",
            "planned_dose_change": "decrease",
            "planned_dose_change_on": on.isoformat(),
        },
    )
    assert response.status_code == 200
    follow_up = FollowUp.objects.get()
    token = response.context["link"].rsplit("/", 2)[-2]
    assert follow_up.link_hash == keyed_hash(token)
    assert (follow_up.patient, follow_up.started_by, follow_up.planned_dose_change_on) == (
        first.patient,
        clinician,
        on,
    )
    assert [d - datetime.date.today() for d in follow_up.due_dates()] == [
        datetime.timedelta(weeks=w) for w in (2, 4, 6, 8, 10, 12)
    ]
    assert follow_up.email_link_to == ""
    assert AccessLog.objects.filter(intake=first, user=clinician).count() == 1


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"every_weeks": "2", "for_weeks": "12", "planned_dose_change": "decrease"},
            {"planned_dose_change_on": ["Give the day the new dose starts."]},
        ),
        (
            {
                "every_weeks": "4",
                "for_weeks": "4",
                "planned_dose_change": "decrease",
                "planned_dose_change_on": "2001-01-01",
            },
            {
                "planned_dose_change_on": [
                    "That is more than 4 weeks ago. Give the start of the change to come."
                ]
            },
        ),
        (
            {"every_weeks": "9", "for_weeks": "12"},
            {"every_weeks": ["Select a valid choice. 9 is not one of the available choices."]},
        ),
    ],
)
def test_a_bad_follow_up_form_starts_nothing(clinician_client, data, errors):
    first = make_first_visit()
    response = clinician_client.post(follow_up_url(first), data)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert FollowUp.objects.count() == 0


def test_the_link_is_emailed_only_when_the_patient_agreed(clinician_client):
    from procrastinate.contrib.django.models import ProcrastinateJob

    first = make_first_visit()
    base = {"every_weeks": "2", "for_weeks": "12", "planned_dose_change": ""}
    clinician_client.post(follow_up_url(first), base)
    assert ProcrastinateJob.objects.count() == 0
    response = clinician_client.post(follow_up_url(first), {**base, "send_email": "on"})
    job = ProcrastinateJob.objects.get()
    assert job.args["to"] == ["mary@example.org"]
    assert response.context["link"] in job.args["body"]
    assert FollowUp.objects.filter(email_link_to="mary@example.org").count() == 1


def test_the_chart_sentence_reads_the_improvement_after_the_window(clinician):
    first = make_first_visit()
    _, _, sent = follow_up_with_check_ins(clinician, first, FOUR)
    chart = visit_chart(sent[-1])
    assert [
        (row["kind"], row["pain"], row["peg"], row["mme"], row["in_window"])
        for row in chart["rows"]
    ] == [
        ("Visit", 8, 7.7, 120, False),
        ("Check-in", 9, 8.7, 80, True),
        ("Check-in", 8, 7.7, 80, True),
        ("Check-in", 6, 5.7, 80, False),
        ("Check-in", 5, 4.3, 80, False),
    ]
    cut_on = datetime.date.today() - datetime.timedelta(days=49)
    assert chart["sentence"] == (
        "The dose went down from 120 to 80 MME/day (morphine 120 mg/day to morphine 80 mg/day) "
        f"on {day(cut_on)}. Pain fell from 8 to 5, 7 weeks after the change: outside the "
        f"withdrawal window, which ended {day(cut_on + datetime.timedelta(weeks=4))}."
    )
    assert len(chart["chart"]["windows"]) == 1
    assert [change["label"] for change in chart["chart"]["changes"]] == ["120→80"]
    # Inside the window the same change is named as such.
    sent[1].refresh_from_db()
    assert visit_chart(sent[1])["sentence"] == (
        "The dose went down from 120 to 80 MME/day (morphine 120 mg/day to morphine 80 mg/day) "
        f"on {day(cut_on)}. Pain stayed at 8, 3 weeks after the change: inside the withdrawal "
        f"window, which ends {day(cut_on + datetime.timedelta(weeks=4))}."
    )


def test_the_intake_page_shows_the_chart_table_and_sentence(clinician_client, clinician):
    first = make_first_visit()
    _, _, sent = follow_up_with_check_ins(clinician, first, FOUR)
    page = clinician_client.get(reverse("admin:intake_intake_change", args=[sent[-1].pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="visit-chart-table"' in html
    assert "Pain fell from 8 to 5, 7 weeks after the change" in html
    assert "Printable summary" in html


def test_the_intake_page_with_twelve_check_ins_stays_at_a_fixed_number_of_queries(
    clinician_client, clinician
):
    first = make_first_visit()
    _, _, sent = follow_up_with_check_ins(clinician, first, [STEADY_CHECK_IN] * 2, every_days=7)
    url = reverse("admin:intake_intake_change", args=[sent[-1].pk])
    with CaptureQueriesContext(connection) as few:
        assert clinician_client.get(url).status_code == 200
    _, _, more = follow_up_with_check_ins(clinician, first, [STEADY_CHECK_IN] * 10, every_days=7)
    url = reverse("admin:intake_intake_change", args=[more[-1].pk])
    with CaptureQueriesContext(connection) as many:
        assert clinician_client.get(url).status_code == 200
    assert len(many) == len(few) == INTAKE_PAGE_QUERIES


def test_the_printable_summary_is_logged_as_a_print(clinician_client, clinician):
    first = make_first_visit()
    _, _, sent = follow_up_with_check_ins(clinician, first, FOUR)
    response = clinician_client.get(reverse("admin:intake_intake_summary", args=[sent[-1].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "print_summary.css" in html
    assert "Pain fell from 8 to 5" in html
    assert "Total MME/day" in html
    assert list(AccessLog.objects.filter(intake=sent[-1]).values_list("action", flat=True)) == [
        "print"
    ]
