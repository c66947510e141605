"""Dates and times in each language's own format, from Django's locale formats: US in English
("February 4, 1971", "Thursday, December 3"), Spanish in Spanish ("4 de febrero de 1971",
"jueves, 3 de diciembre"), on the pages and in the emails."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from intake.models import Intake
from intake.review.follow_up import start_follow_up
from tests.helpers import in_language
from tests.intake.checkin.helpers import PLAN_WITHOUT_DOSE_CHANGE, make_first_visit
from tests.intake.journey import VALID_ANSWERS, fill_all_steps, post, start
from tests.smtp import run_jobs

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "February 4, 1971"), ("es", "4 de febrero de 1971")]
)
def test_the_check_page_gives_the_birth_date_in_the_language_s_format(client, language, shown):
    fill_all_steps(client)
    page = client.get(in_language("/intake/check/", language)).content.decode()
    assert shown in page
    assert "4 February 1971" not in page


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_check_in_start_page_gives_the_due_day_in_the_language_s_format(
    client, clinician, language
):
    follow_up, token = start_follow_up(make_first_visit(), clinician, PLAN_WITHOUT_DOSE_CHANGE)
    client.get(in_language(f"/intake/check-in/link/{token}/", language))
    page = client.get(in_language("/intake/check-in/", language)).content.decode()
    due = follow_up.next_check_in_due()
    with translation.override(language):
        day = f"{date_format(due, 'l')}, {date_format(due, 'MONTH_DAY_FORMAT')}"
    expected = {
        "en": f"{due:%A}, {due:%B} {due.day}",
        "es": day,
    }[language]
    assert day == expected
    assert expected in page
    if language == "es":
        assert " de " in day and day.split(",")[0] in {
            "lunes",
            "martes",
            "miércoles",
            "jueves",
            "viernes",
            "sábado",
            "domingo",
        }


def test_the_save_later_email_gives_the_last_day_in_words(client, smtp_server, empty_job_queue):
    start(client)
    post(
        client,
        "/es/formulario/sobre-usted/",
        {**VALID_ANSWERS["about-you"], "email": "r@example.com"},
    )
    post(client, "/es/formulario/guardar/?from=medicines", {"action": "email_link"})
    run_jobs()
    [email] = smtp_server.messages
    message = email.get_content()
    last_day = timezone.localdate(Intake.objects.get().expires_at)
    with translation.override("es"):
        assert date_format(last_day, "DATE_FORMAT") in message
    assert last_day.isoformat() not in message


def test_the_check_in_link_email_is_in_the_patient_s_language(
    clinician, smtp_server, empty_job_queue
):
    first = make_first_visit()
    Intake.objects.filter(pk=first.pk).update(language="es")
    first.refresh_from_db()
    follow_up, _token = start_follow_up(
        first, clinician, {**PLAN_WITHOUT_DOSE_CHANGE, "every_weeks": 4}, email_to=first.email
    )
    run_jobs()
    [email] = smtp_server.messages
    message = email.get_content()
    ends = timezone.localtime(follow_up.ends_at)
    with translation.override("es"):
        assert f"Funciona hasta el {date_format(ends, 'DATE_FORMAT')}." in message
    assert "cada 4 semanas" in message
    assert "week(s)" not in message


def test_english_dates_are_us_dates():
    with translation.override("en"):
        assert date_format(datetime.date(1968, 5, 14), "DATE_FORMAT") == "May 14, 1968"
        assert date_format(datetime.date(1971, 2, 4), "DATE_FORMAT") == "February 4, 1971"
    with translation.override("es"):
        assert date_format(datetime.date(1968, 5, 14), "DATE_FORMAT") == "14 de mayo de 1968"
