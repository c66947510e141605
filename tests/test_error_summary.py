"""A page's list of problems names them in the order the page asks them (GOV.UK's error
summary): the first link goes to the first box that needs an answer. The resume page listed
its birth date's three boxes first and the code last, above a page that asks the code first.
"""

import re

import pytest
from django.test import Client
from django.utils import translation

from intake.review.follow_up import start_follow_up
from tests.helpers import in_language
from tests.intake.checkin.helpers import PLAN_WITHOUT_DOSE_CHANGE, make_first_visit
from tests.intake.journey import VALID_MEDICINE, form_token, post, start

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "es"]


def summary_and_page_order(page):
    """The summary's targets as listed, and the same targets in the order the page shows
    their boxes."""
    begins = page.index('id="error-summary"')
    ends = page.index("</ul>", begins)
    summary, rest = page[begins:ends], page[ends:]
    targets = re.findall(r'<a href="#([^"]+)"', summary)
    place = {target: rest.find(f'id="{target}"') for target in targets}
    assert all(position >= 0 for position in place.values()), place
    return targets, sorted(targets, key=place.get)


def shown_with_errors(client, path, language, data=None):
    with translation.override(language):
        page = post(client, in_language(path, language), data or {})
    return page.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_resume_page_lists_the_code_first_as_it_asks_it(language):
    listed, on_the_page = summary_and_page_order(
        shown_with_errors(Client(), "/intake/resume/", language)
    )
    assert listed[0] == "id_code"
    assert listed == on_the_page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_about_you_page_lists_its_problems_in_its_order(client, language):
    start(client)
    listed, on_the_page = summary_and_page_order(
        shown_with_errors(client, "/intake/about-you/", language)
    )
    assert len(listed) >= 4
    assert listed == on_the_page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_check_ins_pages_list_their_problems_in_their_order(client, clinician, language):
    _, token = start_follow_up(make_first_visit(), clinician, PLAN_WITHOUT_DOSE_CHANGE)
    client.get(f"/intake/check-in/link/{token}/")
    post(client, "/intake/check-in/")
    listed, on_the_page = summary_and_page_order(
        shown_with_errors(client, "/intake/check-in/peg/", language)
    )
    assert len(listed) == 3
    assert listed == on_the_page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_medicine_page_lists_its_problems_in_its_order(client, language):
    start(client)
    token = form_token(client.get("/intake/medicines/"))
    empty = {"strength": "", "amount": "", "times_per_day": "", "purpose": ""}
    listed, on_the_page = summary_and_page_order(
        shown_with_errors(
            client,
            "/intake/medicines/",
            language,
            {**VALID_MEDICINE, **empty, "form_token": token},
        )
    )
    assert len(listed) >= 2
    assert listed == on_the_page
