"""What the pages promise is true, and they say it in plain words: the form's and the
check-in's time (measured at 130 words a minute, see steps.MINUTES_TO_COMPLETE), every guide
ends with a way to the form, and no jargon ("Learn about OIH", "tests are still pending",
"Past week: pain, enjoyment, activity")."""

import pytest

from education.models import Article
from intake.check_ins import CHECK_IN_MINUTES
from intake.checkin.views import STEPS as CHECK_IN_PAGES
from intake.journey.steps import MINUTES_TO_COMPLETE
from intake.review.follow_up import start_follow_up
from tests.helpers import in_language
from tests.intake.checkin.helpers import PLAN_WITHOUT_DOSE_CHANGE, make_first_visit

pytestmark = pytest.mark.django_db


def test_the_home_and_start_pages_promise_the_measured_time(client):
    assert MINUTES_TO_COMPLETE == 25
    for path in ("/", "/intake/"):
        page = client.get(path).content.decode()
        assert "It takes about 25 minutes." in page, path
    assert "Toma unos 25 minutos." in client.get("/es/").content.decode()


def test_the_check_in_says_how_many_pages_and_minutes(client, clinician):
    _follow_up, token = start_follow_up(make_first_visit(), clinician, PLAN_WITHOUT_DOSE_CHANGE)
    client.get(f"/intake/check-in/link/{token}/")
    page = client.get("/intake/check-in/").content.decode()
    assert len(CHECK_IN_PAGES) == 6
    assert f"It takes about {CHECK_IN_MINUTES} minutes: six short pages" in page
    assert "about a minute" not in page


def test_every_guide_ends_with_a_way_to_the_form(client, content):
    for article in Article.objects.published():
        for language, words in (("en", "Fill in your form"), ("es", "Llene su formulario")):
            page = client.get(in_language(f"/learn/{article.slug}/", language)).content.decode()
            body_end = page.index('<footer class="mt-4')
            form = in_language("/intake/", language)
            assert f'href="{form}">{words}</a>' in page[:body_end], article.slug


def test_the_header_says_what_the_guides_are_about_in_plain_words(client, content):
    page = client.get("/").content.decode()
    assert "Learn about pain and opioids" in page
    assert "Learn about OIH" not in page
    assert "Aprenda sobre el dolor y los opioides" in client.get("/es/").content.decode()


def test_the_check_in_check_page_names_each_past_week_question(client, clinician):
    _follow_up, token = start_follow_up(make_first_visit(), clinician, PLAN_WITHOUT_DOSE_CHANGE)
    link = f"/intake/check-in/link/{token}/"
    client.get(link)
    client.post("/intake/check-in/")
    client.post("/intake/check-in/peg/", {"peg_pain": 7, "peg_enjoyment": 7, "peg_activity": 6})
    page = client.get("/intake/check-in/check/").content.decode()
    assert "Past week: pain, enjoyment, activity" not in page
    assert "Pain in the past week" in page
    assert "How pain got in the way of daily activities" in page
    assert "6 out of 10" in page
