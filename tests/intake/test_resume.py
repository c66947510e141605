"""Coming back later: a code plus date of birth, or a private link."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import time_format

from intake.models import RESUME_CODE_LENGTH, Intake, ResumeAttempt
from tests.intake.journey import VALID_ANSWERS, post, start

pytestmark = pytest.mark.django_db
BIRTH = {"dob_day": "4", "dob_month": "2", "dob_year": "1971"}


@pytest.fixture
def saved(client):
    """A patient who filled in the first step, and the code and link they were shown."""
    start(client)
    post(client, "/intake/about-you/", VALID_ANSWERS["about-you"])
    session = client.session
    return session["intake_resume_code"], session["intake_resume_link"]


def test_the_code_and_link_are_stored_only_as_keyed_hashes(saved):
    code, link = saved
    intake = Intake.objects.get()
    assert len(code) == RESUME_CODE_LENGTH
    assert code not in (intake.resume_code_hash, intake.resume_link_hash)
    assert link not in (intake.resume_code_hash, intake.resume_link_hash)
    assert len(intake.resume_code_hash) == 64


def test_code_and_birth_date_resume_where_the_patient_left_off(saved):
    code, _ = saved
    other_device = Client()
    response = post(
        other_device, "/intake/resume/", {"code": f"{code[:5]}-{code[5:].lower()}", **BIRTH}
    )
    assert response.url == "/intake/medicines/"
    page = other_device.get("/intake/about-you/").content.decode()
    assert 'value="Rosa Parks-Díaz"' in page


def test_the_private_link_resumes_too(saved):
    _, link = saved
    response = Client().get(f"/intake/resume/{link}/")
    assert response.url == "/intake/medicines/"


def test_a_wrong_birth_date_does_not_resume_and_is_counted(saved):
    code, _ = saved
    response = post(Client(), "/intake/resume/", {"code": code, **BIRTH, "dob_year": "1972"})
    assert response.status_code == 200
    assert "We could not find a saved form" in response.content.decode()
    assert Intake.objects.get().failed_resume_attempts == 1
    assert ResumeAttempt.objects.count() == 1


def wrong_birth_dates(code, times):
    for _ in range(times):
        response = post(Client(), "/intake/resume/", {"code": code, **BIRTH, "dob_year": "1972"})
    return response


def test_a_code_pauses_after_five_wrong_birth_dates_and_says_until_when(saved, settings, clock):
    settings.RESUME_ATTEMPTS_PER_ADDRESS = 100
    code, _ = saved
    clock(0)
    assert "We could not find" in wrong_birth_dates(code, 4).content.decode()
    paused = wrong_birth_dates(code, 1).content.decode()
    ends_at = timezone.localtime(timezone.now() + datetime.timedelta(minutes=15))
    assert "so we have paused it" in paused
    # The clock time in the locale's own format (Django's TIME_FORMAT): 4:05 p.m.
    assert f"Try again after {time_format(ends_at)} (in 15 minutes)" in paused
    assert "(in 15 minutes)" in paused
    # Even the right birth date waits out the pause.
    clock(14)
    response = post(Client(), "/intake/resume/", {"code": code, **BIRTH})
    assert response.status_code == 200
    assert "(in 1 minute)" in response.content.decode()


def test_the_pause_lifts_and_the_right_birth_date_resumes_again(saved, settings, clock):
    settings.RESUME_ATTEMPTS_PER_ADDRESS = 100
    code, _ = saved
    clock(0)
    wrong_birth_dates(code, 5)
    clock(16)
    response = post(Client(), "/intake/resume/", {"code": code, **BIRTH})
    assert response.status_code == 302
    assert response.url == "/intake/medicines/"
    intake = Intake.objects.get()
    assert (intake.failed_resume_attempts, intake.resume_locked_until) == (0, None)


def test_after_a_pause_five_more_wrong_dates_pause_it_again(saved, settings, clock):
    settings.RESUME_ATTEMPTS_PER_ADDRESS = 100
    code, _ = saved
    clock(0)
    wrong_birth_dates(code, 5)
    clock(16)
    assert "We could not find" in wrong_birth_dates(code, 4).content.decode()
    assert "so we have paused it" in wrong_birth_dates(code, 1).content.decode()


def test_before_a_birth_date_is_saved_the_code_alone_does_not_open_the_form(client):
    start(client)
    code, link = client.session["intake_resume_code"], client.session["intake_resume_link"]
    response = post(Client(), "/intake/resume/", {"code": code, **BIRTH})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "We cannot open this form with the code yet, because no date of birth was saved in "
        "it. Use the private link we showed you, or start a new form."
    ]
    assert Client().get(f"/intake/resume/{link}/").url == "/intake/about-you/"


def test_one_address_is_slowed_after_ten_misses(client):
    for _ in range(10):
        post(client, "/intake/resume/", {"code": "AAAAA-AAAAA", **BIRTH})
    response = post(client, "/intake/resume/", {"code": "AAAAA-AAAAA", **BIRTH})
    assert response.status_code == 429
    assert "too many tries" in response.content.decode()


def test_a_malformed_code_gets_a_clear_message(client):
    response = post(client, "/intake/resume/", {"code": "abc", **BIRTH})
    assert response.context["form"].errors["code"] == [
        "Your code is 10 letters and numbers, like ABCDE-FGHJK."
    ]


def test_an_expired_form_cannot_be_resumed(saved):
    code, link = saved
    Intake.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert (
        "We could not find"
        in post(Client(), "/intake/resume/", {"code": code, **BIRTH}).content.decode()
    )
    assert Client().get(f"/intake/resume/{link}/").url == "/intake/resume/"


def test_an_expired_form_is_closed_in_the_session_too(client, saved):
    Intake.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get("/intake/medicines/").url == "/intake/resume/"


def test_each_saved_step_pushes_the_expiry_back(client, saved, settings):
    Intake.objects.update(expires_at=timezone.now() + datetime.timedelta(days=1))
    post(client, "/intake/opioid-use/", VALID_ANSWERS["opioid-use"])
    assert Intake.objects.get().expires_at > timezone.now() + datetime.timedelta(
        days=settings.INTAKE_EXPIRY_DAYS - 1
    )


def test_purging_removes_only_expired_unfinished_forms(client, saved):
    from intake.submission import purge_expired

    fresh = Intake.objects.get()
    stale = Intake(expires_at=timezone.now() - datetime.timedelta(days=1))
    stale.issue_resume_secrets()
    stale.save()
    assert purge_expired() == 1
    assert list(Intake.objects.all()) == [fresh]


def miss_from(address, forwarded_for=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return post(Client(), "/intake/resume/", {"code": "AAAAA-AAAAA", **BIRTH}, **headers)


def test_behind_a_proxy_one_client_s_misses_do_not_block_the_others(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(10):
        miss_from("10.0.0.1", "203.0.113.5")
    assert miss_from("10.0.0.1", "203.0.113.5").status_code == 429
    # Another patient behind the same balancer still gets their tries.
    assert miss_from("10.0.0.1", "198.51.100.7").status_code == 200


def test_without_a_proxy_a_forged_forwarded_header_does_not_reset_the_count(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(10):
        miss_from("203.0.113.5", f"198.51.100.{n}")
    assert miss_from("203.0.113.5", "192.0.2.99").status_code == 429
    assert miss_from("198.51.100.7").status_code == 200


def test_the_private_link_is_exchanged_for_a_session_and_a_clean_address(saved):
    """The token is in one request only: the redirect and every page after it are clean."""
    _, link = saved
    browser = Client()
    response = browser.get(f"/intake/resume/{link}/", follow=True)
    assert response.redirect_chain == [("/intake/medicines/", 302)]
    assert response.status_code == 200
    assert link not in response.content.decode()
    # The session now holds the form: the link is not needed again.
    assert browser.get("/intake/about-you/").status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
