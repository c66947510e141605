import datetime
import json
import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone, translation

from accounts.roles import CLINICIANS, CONTENT_EDITORS
from education.content_loader import load_content
from tests.database import record_starting_point, without_shipped_content

# Re-exported for the test modules that still import them from here.
from tests.helpers import (  # noqa: F401
    DESKTOP_VIEWPORT,
    PHONE_VIEWPORT,
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
    # A request in Spanish leaves Spanish active in the thread that served it, the test's own
    # with the test client: each test starts in the site's default language, whatever ran before.
    translation.activate(settings.LANGUAGE_CODE)
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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with the shipped articles and glossary, loaded once per session.

    Every test starts from this point: a `db` test by its rollback, a `transactional_db` test
    by tests/database.py's reset, which puts these rows back instead of flushing them away.
    """
    with django_db_blocker.unblock():
        # A test database is thrown away: its commits need not wait for the disk. Each
        # connection opened from here on (the live server's, the job worker's) does the same.
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
                "SET synchronous_commit TO off"
            )
        connection.close()
        load_content()
        record_starting_point(connection)
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        # The live server answers each browser connection in a thread of its own, which
        # keeps its database connection while the browser keeps the socket open; those
        # threads outlive the server, and their connections would stop the test database
        # being dropped at the end of the run.
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def content(db):
    """The articles and glossary that ship with the code: in the database from the start of
    every test (see django_db_setup); a test names this fixture to say it relies on them."""


@pytest.fixture
def empty_site(db):
    """No articles or glossary terms: for tests that build the education content they need."""
    without_shipped_content(connection)


# Browser tests -------------------------------------------------------------


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests first: they are the longest, so the workers start on them and finish
    together, instead of one worker running a long journey alone at the end. The order is
    free: every test starts from the same database (tests/database.py)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test leaves a full-page screenshot of every page it had open, in a
    temporary folder named in the report; a passing one leaves none."""
    report = yield
    browser = getattr(item, "funcargs", {}).get("browser")
    if report.when == "call" and report.failed and browser is not None:
        folder = item.config._tmp_path_factory.mktemp("failed-" + item.name[:40])
        pages = [p for c in browser.contexts for p in c.pages if p.url != "about:blank"]
        for number, page in enumerate(pages):
            path = folder / f"page-{number}.png"
            try:
                page.screenshot(path=path, full_page=True)
            except Exception:  # a page that crashed or closed: the report still stands
                continue
            report.sections.append(("screenshot", f"{page.url}\n{path}"))
    return report


@pytest.fixture(scope="session", autouse=True)
def static_files_kept_by_the_browser():
    """The live server's static files may be kept an hour, as the deployed site's may (their
    names are hashed there, and kept a year): without it the browser asked the test server
    for the stylesheet and scripts again at almost every page, each an answer from Python."""
    from django.contrib.staticfiles import handlers

    class KeptStaticFilesHandler(handlers.StaticFilesHandler):
        def serve(self, request):
            response = super().serve(request)
            response.headers["Cache-Control"] = "max-age=3600"
            return response

    original = handlers.StaticFilesHandler
    handlers.StaticFilesHandler = KeptStaticFilesHandler  # read by pytest-django's live_server
    yield
    handlers.StaticFilesHandler = original


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip("No Chromium found: install Debian's chromium to run the browser tests.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def kept_contexts(browser):
    """Browser contexts free for the next test, by the options they were made with."""
    return {}


@pytest.fixture
def open_page(browser, kept_contexts):
    """`open_page(viewport=..., has_touch=True)`: a new page in a browser context of its own
    for this test, as `browser.new_context(**options).new_page()` gives, but in a context an
    earlier test used with the same options, its cookies cleared. A new context costs
    Chromium about half a second of work; a new page in a kept one, beside a blank page kept
    open so that its renderer stays running, almost nothing. The test's pages close when it
    ends, so a test starts with no history, no event handlers and no cookies, only the
    browser's cache of the static files and the axe script (the patient pages keep nothing
    in local storage). Two calls in one test give two contexts: two people, two devices."""
    in_use = []

    def open_page(**options):
        key = json.dumps(options, sort_keys=True)
        free = kept_contexts.setdefault(key, [])
        if free:
            context, kept_open = free.pop()
        else:
            context = browser.new_context(**options)
            kept_open = context.new_page()
        context.clear_cookies()
        in_use.append((key, context, kept_open))
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for key, context, kept_open in in_use:
        for page in context.pages:
            if page != kept_open:
                page.close()
        kept_contexts[key].append((context, kept_open))


@pytest.fixture
def page(open_page):
    return open_page(viewport=PHONE_VIEWPORT)


@pytest.fixture
def desktop_page(open_page):
    return open_page(viewport=DESKTOP_VIEWPORT)
