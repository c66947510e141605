"""An intake with only the urgent alert, submitted through the web form, is the first item
in the worklist and reaches the clinicians on duty by email (issue 10, "done means")."""

import pytest

from tests.helpers import login_staff
from tests.intake.review.helpers import (
    FLAG_CASE,
    HIGH_DOSE_ONLY,
    MISUSE_CASE,
    NO_DOSE_RESPONSE_CASE,
    QUEUE,
    make_alert_only,
    make_intake,
    queue_rows,
)
from tests.intake.test_urgent_alerts import SITE_URL, submit_urgent_through_the_web_form
from tests.smtp import run_jobs

ON_DUTY = ["on-duty@clinic.example.org"]


@pytest.mark.django_db(transaction=True)
def test_an_urgent_only_intake_from_the_web_form_is_first_and_emailed(
    client, settings, smtp_server, empty_job_queue, clinician
):
    settings.URGENT_ALERT_EMAILS = ON_DUTY
    settings.SITE_URL = SITE_URL
    urgent = submit_urgent_through_the_web_form(client)
    screening = urgent.screenings.get(is_current=True)
    assert (screening.level, screening.alert_codes) == ("none", ["withdrawal_after_dose_cut"])
    # Waiting longer, one of every other kind.
    make_intake(FLAG_CASE, reference="flag", days_ago=20)
    make_alert_only(HIGH_DOSE_ONLY, reference="warning", days_ago=21)
    make_intake(MISUSE_CASE, reference="borderline-misuse", days_ago=22)
    make_intake(NO_DOSE_RESPONSE_CASE, reference="borderline", days_ago=23)

    login_staff(client, clinician)
    response = client.get(QUEUE)
    rows = [(s.intake_id, s.priority) for s in response.context["cl"].result_list]
    assert rows[0] == (urgent.pk, 0)
    assert queue_rows(response) == [
        ("", ["Withdrawal after a dose cut, stop or switch: urgent"]),
        ("flag", ["OIH pattern: review the flag"]),
        # A borderline result with a warning alert ranks as a warning; older first.
        (
            "borderline-misuse",
            ["Misuse signals: OUD assessment", "Partial OIH pattern: borderline"],
        ),
        ("warning", ["MME 120/day: 90 or more, avoid or justify"]),
        ("borderline", ["Partial OIH pattern: borderline"]),
    ]

    run_jobs()

    [message] = smtp_server.messages
    assert smtp_server.recipients == [ON_DUTY]
    assert message["Subject"] == "Urgent item waiting for review"
    assert f"{SITE_URL}/admin/intake/intake/{urgent.pk}/change/" in message.get_content()
