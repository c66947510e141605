"""Helpers shared by the tests: staff users signed in with their second factor, and axe-core.

Fixtures stay in conftest.py; what a test imports lives here.
"""

import re
import weakref

from django.contrib.auth.models import Group

from accounts.models import User
from intake.models import RESUME_CODE_ALPHABET, RESUME_CODE_LENGTH

TEST_PASSWORD = "a-test-password-for-staff-1"
# The sizes the browser tests open pages at: a patient's phone, a clinician's desktop.
PHONE_VIEWPORT = {"width": 390, "height": 844}
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}


def make_staff(username, group_name=None, **extra):
    # The role groups are the migrations' rows, in the database at the start of every test
    # (tests/database.py puts them back after a test that commits).
    user = User.objects.create_user(
        username=username, password=TEST_PASSWORD, is_staff=True, **extra
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def login_staff(client, user):
    """Sign a member of staff in, with the second factor where their role needs one."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.has_perm("intake.view_intake"):
        device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def current_totp(user):
    """The code the user's authenticator app would show now."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).latest("pk")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


AXE_RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    # Only the violations come back in full: the passes' every node is not needed here.
    "resultTypes": ["violations"],
}


# The browser contexts that load axe-core into each of their pages as the page opens.
_contexts_with_axe = weakref.WeakSet()
RUN_AXE = """rules => typeof window.axe !== 'object' ? null : axe.run(document, rules)
    .then(results => results.violations.map(v => [v.id, v.nodes.length]))"""


def axe_violations(page):
    """axe-core's WCAG 2.2 A/AA violations on the page, as (rule id, node count) pairs.

    axe-core (shipped with axe-playwright-python) is sent to the browser once per context, as
    a script every later page of that context runs as it opens (kept compiled by the browser),
    instead of 550 kB sent and compiled again at each check; the check itself is one call, and
    only the rule ids and counts come back."""
    from axe_playwright_python.base import AXE_SCRIPT

    found = page.evaluate(RUN_AXE, AXE_RULES)
    if found is None:  # the first check in this context: the page opened before the script
        if page.context not in _contexts_with_axe:
            page.context.add_init_script(AXE_SCRIPT)
            _contexts_with_axe.add(page.context)
        page.evaluate(AXE_SCRIPT)
        found = page.evaluate(RUN_AXE, AXE_RULES)
    return [tuple(pair) for pair in found]


def database_url_for_a_subprocess():
    """This test run's own database as a DATABASE_URL, for a command or server a test starts.

    Built from the open connection, so it names the test database on either server: the one
    DATABASE_URL names, or the embedded one, whose host is a socket directory (percent-encoded
    in the URL, as dj-database-url reads it).
    """
    from urllib.parse import quote

    from django.db import connection

    if not connection.settings_dict["HOST"]:
        connection.ensure_connection()  # the embedded server's address is known once connected
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{quote(db['HOST'], safe='')}{port}"
        f"/{db['NAME']}"
    )


def confirm_returning_patient(intake, user=None):
    """A clinician confirms the intake's suggested match (as the admin's action does), so it
    joins the earlier record and is compared with its visits; returns the intake re-read."""
    from intake.models import PatientMatch
    from intake.patient_matching import confirm_match

    match = PatientMatch.objects.filter(
        patient=intake.patient, status=PatientMatch.Status.SUGGESTED
    ).earliest("pk")
    confirm_match(match, user)
    intake.refresh_from_db()
    return intake


def in_language(path, language):
    """The same page's address in `language`: in_language("/intake/about-you/", "es") is
    "/es/formulario/sobre-usted/" (Spanish pages have Spanish words)."""
    from oih_site.language import address_in

    return path if language == "en" else address_in(path, language)


def spanish(path):
    return in_language(path, "es")


# A patient's reference (OIH- and 8 characters), their code to come back (10 characters) and
# their link to come back, shown on their pages, are drawn at random: "OIH-WS6MP8WE" holds "WE",
# a link's token can hold "is". They are not words, so a search of a page for English leaves
# them out.
_CODE = f"[{re.escape(RESUME_CODE_ALPHABET)}]"
PATIENT_CODES = re.compile(
    rf"\bOIH-{_CODE}{{8}}\b|\b{_CODE}{{{RESUME_CODE_LENGTH}}}\b|https?://\S+"
)


def without_patient_codes(text):
    return PATIENT_CODES.sub(" ", text)


def words_shown(page):
    """What a reader of an HTML page (or an email) meets: its text, without tags, so without
    the random tokens in their attributes ("...QgMME" in a form's token is not "MME"), without
    scripts and styles, and without the patient's codes and links."""
    from html import unescape

    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    return without_patient_codes(unescape(re.sub(r"<[^>]+>", " ", text)))


def mentions(text, word):
    """Whether `text` has `word` at the start of one of its words, in any case ("MME/day",
    "Flagged"), not inside a longer string of letters."""
    return re.search(rf"\b{re.escape(word)}", text, re.IGNORECASE) is not None


def list_overflow(page):
    """How many px each admin list's box would scroll sideways: [0] when every column of the
    one list on the page is on the screen."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#changelist .results')]
            .map(box => box.scrollWidth - box.clientWidth)"""
    )
