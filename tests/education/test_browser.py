"""Readers, editors and anonymous visitors, driven in headless Chromium."""

import pytest
from playwright.sync_api import expect

from education.models import Article
from tests.conftest import TEST_PASSWORD, axe_violations, make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def site(live_server, content):
    return live_server.url


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/learn/",
        "/learn/what-is-oih/",
        "/learn/managing-oih/",
        "/learn/search/?q=tolerance",
        "/learn/glossary/",
        "/learn/no-such-page/",
    ],
)
def test_patient_pages_have_no_axe_violations(page, site, path):
    page.goto(site + path)
    assert axe_violations(page) == []


def test_a_reader_follows_the_guides_in_order_and_searches(page, site):
    page.goto(site + "/")
    page.get_by_role("link", name="Read the guides").click()
    page.get_by_role("link", name="What is opioid-induced hyperalgesia?").click()
    assert page.locator("h1").inner_text() == "What is opioid-induced hyperalgesia?"
    expect(
        page.get_by_text("Do not stop or change your opioid dose on your own.").first
    ).to_be_visible()
    page.locator(".article-nav li", has_text="Next:").get_by_role("link").click()
    assert "/learn/how-oih-develops/" in page.url
    page.get_by_role("link", name="glutamate").first.click()
    assert page.url.endswith("/learn/glossary/#glutamate")
    page.goto(site + "/learn/")
    page.get_by_label("Search the guides").fill("burning pain")
    page.get_by_role("button", name="Search").click()
    assert page.locator("mark").count() > 0
    first_result = page.locator("main ol li a").first.inner_text()
    assert first_result


def test_skip_link_moves_focus_to_the_main_content(page, site):
    page.goto(site + "/learn/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_pages_reflow_at_200_percent_zoom_without_sideways_scrolling(page, site):
    # A 390 px phone at 200% zoom is a 195 CSS px viewport.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/learn/", "/learn/what-is-oih/", "/learn/glossary/"]:
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_an_anonymous_visitor_cannot_reach_drafts_or_the_admin(page, site):
    Article.objects.filter(slug="getting-help").update(status=Article.Status.DRAFT)
    response = page.goto(site + "/learn/getting-help/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "We cannot find that page"
    page.goto(site + "/admin/education/article/")
    assert "/admin/login/" in page.url


def test_an_editor_edits_previews_and_publishes_an_article(desktop_page, site):
    page = desktop_page
    make_staff("editor", "Content editors")
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Articles").first.click()
    page.get_by_role("link", name="What is opioid-induced hyperalgesia?").click()

    body = page.locator("#id_body")
    body.fill(
        "Pharmacological neuroadaptation precipitates paradoxical hyperalgesic "
        "sensitisation notwithstanding interindividual heterogeneity."
    )
    live_grade = page.locator("#live-reading-grade")
    live_grade.get_by_text("above grade 8").wait_for()
    body.fill("Opioids can make pain worse. Talk to your care team.")
    live_grade.get_by_text("(good)").wait_for()

    page.locator("#id_status").select_option("draft")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    preview = page.context.new_page()
    preview.goto(site + "/learn/what-is-oih/")
    expect(preview.get_by_text("Draft preview.")).to_be_visible()
    expect(preview.get_by_text("Talk to your care team.")).to_be_visible()
    preview.close()

    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_text("editor").first).to_be_visible()
    assert Article.objects.get(slug="what-is-oih").history.count() >= 3


def test_the_editors_admin_pages_have_no_axe_violations(desktop_page, site):
    page = desktop_page
    make_staff("editor", "Content editors")
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    found = {}
    article = Article.objects.get(slug="what-is-oih")
    for path in (
        "/admin/",
        "/admin/education/article/",
        "/admin/education/glossaryterm/",
        f"/admin/education/article/{article.pk}/change/",
    ):
        page.goto(site + path)
        found[path] = axe_violations(page)
    assert found == dict.fromkeys(found, [])
