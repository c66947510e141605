"""On a 390 px phone, in English and in Spanish: Back and reload after every medicine state
and after an error land on a normal page with what was typed (every post answers with a
redirect), and a double tap 40 ms apart on a submit button ends on the right page, the form
stored once. Screenshots are left only when a test fails (tests/conftest.py)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from intake.models import Intake, IntakeMedicine, PatientEmail
from intake.review.follow_up import start_follow_up
from tests.helpers import axe_violations
from tests.intake.checkin.helpers import PLAN_WITHOUT_DOSE_CHANGE, make_first_visit
from tests.intake.journey import fill_all_steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = ["en", "es"]
DOUBLE_TAP = "b => { b.click(); setTimeout(() => b.click(), 40); }"


def double_tap(page, button, lands_on):
    """Two taps 40 ms apart; the page settles where `lands_on` says."""
    button.evaluate(DOUBLE_TAP)
    page.wait_for_timeout(100)
    # expect polls the address: the first tap's navigation is cut short by the second (as in
    # a real double tap), which page.wait_for_url reports as an error.
    expect(page).to_have_url(lands_on)
    page.wait_for_load_state("load")


def lands_on(language, name, *args):
    """The address of the page `name` in `language` ("/es/formulario/enviado/"), as a pattern
    the browser's address must end with."""
    with translation.override(language):
        return re.compile(re.escape(reverse(name, args=args)) + "$")


def words(language, english):
    with translation.override(language):
        return translation.gettext(english)


def prefix(language):
    return "" if language == "en" else f"/{language}"


PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True}


@pytest.fixture
def phone(open_page):
    return open_page(**PHONE)


def begin(page, live_server, language):
    page.goto(f"{live_server.url}{prefix(language)}/intake/")
    page.get_by_label(
        words(language, "I agree to share my answers with the pain clinic team.")
    ).check()
    with page.expect_navigation():
        page.get_by_role("button", name=words(language, "Start now")).tap()


def move(page, action):
    """A tap, a reload or Back: the page it lands on must be a normal GET page."""
    with page.expect_navigation() as navigation:
        action()
    response = navigation.value
    assert response is not None and response.status == 200, page.url
    assert response.request.method == "GET"
    return response


def same_after_reload_and_back(page, check):
    """`check` holds on the page, after reloading it, and after Back and Forward."""
    check()
    move(page, page.reload)
    check()
    move(page, page.go_back)
    move(page, page.go_forward)
    check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_back_and_reload_after_every_medicine_state_and_error(phone, live_server, language):
    page = phone
    begin(page, live_server, language)
    say = lambda english: words(language, english)  # noqa: E731

    # An error on a question page: the typed name is kept through reload and Back.
    page.goto(f"{live_server.url}{prefix(language)}/intake/about-you/")
    page.locator("input[name=full_name]").fill("Rosa Díaz")
    move(page, lambda: page.get_by_role("button", name=say("Continue"), exact=True).tap())
    same_after_reload_and_back(
        page,
        lambda: (
            expect(page.locator("#error-summary")).to_be_visible(),
            expect(page.locator("input[name=full_name]")).to_have_value("Rosa Díaz"),
        ),
    )
    assert axe_violations(page) == []

    # The medicine search without a suggestion: the names it may be.
    page.goto(f"{live_server.url}{prefix(language)}/intake/medicines/")
    box = page.locator("input[name=medicine]")
    box.fill("nrco")
    box.press("Escape")
    move(page, lambda: page.get_by_role("button", name=say("Find this medicine")).tap())
    choose = page.locator("input[name=product][value=norco]")
    same_after_reload_and_back(page, lambda: expect(choose).to_be_visible())
    assert axe_violations(page) == []

    # Norco chosen: its questions.
    choose.tap()
    move(page, lambda: page.get_by_role("button", name=say("Next")).tap())
    chosen = page.locator("#chosen-medicine")
    same_after_reload_and_back(page, lambda: expect(chosen).to_contain_text("Norco"))

    # Added without how many times a day: the error, with what was chosen kept.
    page.get_by_role("radio", name="10 mg/325 mg", exact=True).tap()
    page.locator("input[name=purpose][value=pain]").tap()
    move(page, lambda: page.get_by_role("button", name=say("Add this medicine")).tap())
    same_after_reload_and_back(
        page,
        lambda: (
            expect(page.locator("#id_times_per_day-error")).to_be_visible(),
            expect(page.get_by_role("radio", name="10 mg/325 mg", exact=True)).to_be_checked(),
        ),
    )
    assert axe_violations(page) == []

    # Added: reloading the list or going Back never adds it again nor says it is listed.
    page.locator("input[name=times_per_day]").fill("4")
    move(page, lambda: page.get_by_role("button", name=say("Add this medicine")).tap())
    expect(page.locator("#medicine-list")).to_contain_text("Norco")
    move(page, page.reload)
    move(page, page.go_back)
    expect(page.locator(".invalid-feedback")).to_have_count(1)  # the error state, as it was
    move(page, page.go_forward)
    expect(page.locator("#medicine-list")).to_contain_text("Norco")
    assert IntakeMedicine.objects.count() == 1


def _send_page(phone, live_server, language):
    """A phone holding a form with every answer given, at its check page."""
    client = Client()
    fill_all_steps(client)
    page = phone
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}{prefix(language)}/intake/check/")
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_double_tap_on_send_ends_on_the_thank_you_page_with_the_reference(
    phone, live_server, language
):
    page = _send_page(phone, live_server, language)
    send = page.get_by_role("button", name=words(language, "Send my answers"))
    double_tap(page, send, lands_on(language, "intake:done"))
    sent = Intake.objects.get()
    expect(page.locator("h1")).to_contain_text(words(language, "Thank you"))
    expect(page.locator("main")).to_contain_text(sent.reference)
    page.reload()
    expect(page.locator("main")).to_contain_text(sent.reference)
    assert Intake.objects.filter(status=Intake.Status.SUBMITTED).count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_double_tap_on_start_on_continue_and_on_add_moves_on_once(phone, live_server, language):
    page = phone
    say = lambda english: words(language, english)  # noqa: E731
    page.goto(f"{live_server.url}{prefix(language)}/intake/")
    page.get_by_label(say("I agree to share my answers with the pain clinic team.")).check()
    double_tap(
        page,
        page.get_by_role("button", name=say("Start now")),
        lands_on(language, "intake:step", "about-you"),
    )
    assert Intake.objects.count() == 1

    page.locator("input[name=full_name]").fill("Rosa Díaz")
    for name, value in {"dob_month": "2", "dob_day": "4", "dob_year": "1971"}.items():
        box = page.locator(f"[name={name}]")
        if box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(value)
        else:
            box.fill(value)
    double_tap(
        page,
        page.get_by_role("button", name=say("Continue"), exact=True),
        lands_on(language, "intake:step", "medicines"),
    )

    page.goto(f"{live_server.url}{prefix(language)}/intake/medicines/")
    box = page.locator("input[name=medicine]")
    box.fill("Norco")
    box.press("Escape")
    move(page, lambda: page.get_by_role("button", name=say("Find this medicine")).tap())
    page.get_by_role("radio", name="10 mg/325 mg", exact=True).tap()
    page.locator("input[name=times_per_day]").fill("4")
    page.locator("input[name=purpose][value=pain]").tap()
    double_tap(
        page,
        page.get_by_role("button", name=say("Add this medicine")),
        lands_on(language, "intake:step", "medicines"),
    )
    expect(page.locator("#medicine-list")).to_contain_text("Norco")
    assert IntakeMedicine.objects.count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_double_tap_on_send_my_check_in_ends_on_its_done_page(
    phone, live_server, clinician, language
):
    follow_up, token = start_follow_up(make_first_visit(), clinician, PLAN_WITHOUT_DOSE_CHANGE)
    page = phone
    base = f"{live_server.url}{prefix(language)}/intake/check-in"
    page.goto(f"{base}/link/{token}/")
    double_tap(
        page,
        page.get_by_role("button", name=words(language, "Start my check-in")),
        lands_on(language, "checkin:step", "pain"),
    )
    assert follow_up.check_ins.count() == 1
    client_answers = {
        "pain": {"pain_score_now": "6"},
        "peg": {"peg_pain": "6", "peg_enjoyment": "5", "peg_activity": "5"},
    }
    for slug, answers in client_answers.items():
        page.goto(f"{base}/{slug}/")
        for name, value in answers.items():
            page.locator(f"input[name={name}][value='{value}']").check()
        move(page, lambda: page.get_by_role("button", name=words(language, "Continue")).tap())
    # "Add an opioid I started since my last visit", twice: its page, once.
    page.goto(f"{base}/doses/")
    double_tap(
        page,
        page.get_by_role(
            "button", name=words(language, "Add an opioid I started since my last visit")
        ),
        lands_on_page(language, "checkin:add_medicine"),
    )
    for slug in ("doses", "withdrawal"):
        page.goto(f"{base}/{slug}/")
        move(page, lambda: page.get_by_role("button", name=words(language, "Continue")).tap())
    page.goto(f"{base}/anything-new/")
    page.locator("input[name=has_something_new][value=False]").check()
    move(page, lambda: page.get_by_role("button", name=words(language, "Continue")).tap())
    page.goto(f"{base}/check/")
    double_tap(
        page,
        page.get_by_role("button", name=words(language, "Send my check-in")),
        lands_on(language, "checkin:done"),
    )
    expect(page.locator("h1")).to_contain_text(
        words(language, "Thank you. Your check-in has been sent.")
    )
    assert follow_up.check_ins.count() == 1
    assert follow_up.check_ins.get().status == Intake.Status.SUBMITTED
    # "Send another check-in now", twice: one new check-in, on its first page.
    double_tap(
        page,
        page.get_by_role("button", name=words(language, "Send another check-in now")),
        lands_on(language, "checkin:step", "pain"),
    )
    assert follow_up.check_ins.filter(status=Intake.Status.IN_PROGRESS).count() == 1


def lands_on_page(language, name, *args):
    """As lands_on, with whatever query the page carries (a private ?state=, a ?from=)."""
    with translation.override(language):
        return re.compile(re.escape(reverse(name, args=args)) + r"(\?.*)?$")


def fill_dob(page, day="4", month="2", year="1971"):
    for name, value in {"dob_month": month, "dob_day": day, "dob_year": year}.items():
        box = page.locator(f"[name={name}]")
        if box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(value)
        else:
            box.fill(value)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_double_tap_on_every_other_form_button_ends_on_the_right_page(
    phone, open_page, live_server, smtp_server, language
):
    """Find, Next, Remove, Undo, Save and come back later, Email me the link and Carry on,
    each tapped twice 40 ms apart: the page one tap shows, what it stores stored once."""
    page = phone
    say = lambda english: words(language, english)  # noqa: E731
    begin(page, live_server, language)
    page.locator("input[name=full_name]").fill("Rosa Díaz")
    fill_dob(page)
    page.locator("input[name=email]").fill("rosa@example.org")
    move(page, lambda: page.get_by_role("button", name=say("Continue"), exact=True).tap())

    medicines = lands_on_page(language, "intake:step", "medicines")
    page.goto(f"{live_server.url}{prefix(language)}/intake/medicines/")
    box = page.locator("input[name=medicine]")
    box.fill("nrco")
    box.press("Escape")
    double_tap(page, page.get_by_role("button", name=say("Find this medicine")), medicines)
    choose = page.locator("input[name=product][value=norco]")
    expect(choose).to_be_visible()
    choose.tap()
    double_tap(page, page.get_by_role("button", name=say("Next")), medicines)
    expect(page.locator("#chosen-medicine")).to_contain_text("Norco")
    page.get_by_role("radio", name="10 mg/325 mg", exact=True).tap()
    page.locator("input[name=times_per_day]").fill("4")
    page.locator("input[name=purpose][value=pain]").tap()
    move(page, lambda: page.get_by_role("button", name=say("Add this medicine")).tap())
    assert IntakeMedicine.objects.count() == 1

    double_tap(page, page.locator("#medicine-list button[type=submit]").first, medicines)
    expect(page.get_by_role("button", name=re.compile("^" + say("Undo")))).to_be_visible()
    assert IntakeMedicine.objects.count() == 0
    # One removal, said at most once (the second tap removed nothing).
    assert page.get_by_text(say("Medicine removed.")).count() <= 1
    double_tap(page, page.get_by_role("button", name=re.compile("^" + say("Undo"))), medicines)
    expect(page.locator("#medicine-list")).to_contain_text("Norco")
    assert IntakeMedicine.objects.count() == 1

    # On a question page "Save and come back later" is a button (it keeps the answers).
    page.goto(f"{live_server.url}{prefix(language)}/intake/opioid-use/")
    double_tap(
        page,
        page.get_by_role("button", name=say("Save and come back later")),
        lands_on_page(language, "intake:save_later"),
    )
    code = page.locator("main").inner_text()
    code = re.search(r"\b[A-Z0-9]{5}-[A-Z0-9]{5}\b", code).group(0)
    email_link = page.get_by_role("button", name=say("Email me the link"))
    email_link.evaluate(DOUBLE_TAP)
    page.wait_for_timeout(100)
    expect(page.locator("main")).to_contain_text(
        say("We sent the link to %(email)s.") % {"email": "rosa@example.org"}
    )
    assert PatientEmail.objects.filter(kind=PatientEmail.Kind.RESUME_LINK).count() == 1

    # Another phone carries on with the code: a double tap opens the form, not an error.
    resumed = open_page(**PHONE)
    resumed.goto(f"{live_server.url}{prefix(language)}/intake/resume/")
    resumed.locator("input[name=code]").fill(code)
    fill_dob(resumed)
    with translation.override(language):
        resume_page = reverse("intake:resume")
    resumed.get_by_role("button", name=say("Carry on")).evaluate(DOUBLE_TAP)
    resumed.wait_for_timeout(100)
    # On a page of the form, wherever it was left: not back on the resume page.
    expect(resumed).not_to_have_url(re.compile(re.escape(resume_page)))
    resumed.wait_for_load_state("load")
    expect(resumed.locator(".invalid-feedback, #error-summary")).to_have_count(0)
