import datetime
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.roles import CLINICIANS, CONTENT_EDITORS
from education.content_loader import load_content

# Re-exported for the test modules that still import them from here.
from tests.helpers import (  # noqa: F401
    TEST_PASSWORD,
    axe_violations,
    current_totp,
    login_staff,
    make_staff,
)

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


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """The Spanish pages need the .mo files, which are built, never kept in git."""
    from oih_site.management.commands.compile_catalogues import compile_catalogues

    compile_catalogues()


@pytest.fixture
def clock(monkeypatch):
    """Moves Django's clock (sessions, expiries, idle timers, locks) forward at will."""
    start = timezone.now()
    elapsed = {"minutes": 0}
    monkeypatch.setattr(
        "django.utils.timezone.now",
        lambda: start + datetime.timedelta(minutes=elapsed["minutes"]),
    )

    def at(minutes):
        elapsed["minutes"] = minutes

    return at


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
