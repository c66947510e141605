import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import User
from accounts.roles import CLINICIANS, CONTENT_EDITORS, sync_role_groups
from education.content_loader import load_content

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}
TEST_PASSWORD = "a-test-password-for-staff-1"


@pytest.fixture(autouse=True)
def test_settings(settings):
    # A real hash costs most of a second here; tests need identity, not strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test starts with an empty cache of its own.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }
    from django.core.cache import cache

    from education.page_cache import forget_local

    cache.clear()
    forget_local()
    # Tests do not run collectstatic, so static names are not hashed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_staff(username, group_name=None, **extra):
    # A transactional test's flush empties the groups the migrations made.
    sync_role_groups(Group, Permission)
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


@pytest.fixture
def editor(db):
    return make_staff("editor", CONTENT_EDITORS)


@pytest.fixture
def clinician(db):
    return make_staff("clinician", CLINICIANS)


@pytest.fixture
def superuser(db):
    return make_staff("boss", is_superuser=True)


@pytest.fixture
def editor_client(client, editor):
    return login_staff(client, editor)


@pytest.fixture
def content(db):
    """The articles and glossary that ship with the code."""
    load_content()


# Browser tests -------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip("No Chromium found: install Debian's chromium to run the browser tests.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=PHONE_VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page):
    """axe-core's WCAG 2.2 A/AA violations on the page, as (rule id, node count) pairs."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
            }
        },
    )
    return [(v["id"], len(v["nodes"])) for v in results.response["violations"]]
