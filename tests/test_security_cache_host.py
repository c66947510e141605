"""What one anonymous visitor sends never shapes the page every reader gets, and a Host
header naming another port is refused (issue 23, finding 8).
"""

import pytest
from django.core.cache import cache
from django.test import Client

from education import page_cache
from tests.test_gunicorn import get
from tests.test_security_logs import server  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    page_cache.forget_local()
    yield
    page_cache.forget_local()


@pytest.mark.parametrize(
    ("planted", "clean"),
    [
        ("/learn/?utm_source=evil.example&x=%3Cb%3E", "/learn/"),
        ("/learn/what-is-oih/?ref=evil.example", "/learn/what-is-oih/"),
        ("/learn/search/?q=PAIN&from=evil.example", "/learn/search/?q=pain"),
        ("/learn/glossary/?evil.example=1", "/learn/glossary/"),
        ("/es/guias/?utm_source=evil.example", "/es/guias/"),
    ],
)
def test_a_visitors_query_is_not_baked_into_the_cached_page(planted, clean):
    assert Client().get(planted).status_code == 200
    page = Client().get(clean).content.decode()
    assert "evil.example" not in page
    assert "%3Cb%3E" not in page and "utm_source" not in page


def test_the_language_link_keeps_the_search_words():
    page = Client().get("/learn/search/?q=pain").content.decode()
    assert "/language/es/?next=%2Flearn%2Fsearch%2F%3Fq%3Dpain" in page


@pytest.mark.parametrize("host", ["testserver:6666", "localhost:1"])
def test_a_host_header_with_another_port_is_refused(settings, host):
    settings.ALLOWED_HOST_PORTS = ["80", "443"]
    assert Client().get("/learn/", HTTP_HOST=host).status_code == 400


def test_the_usual_ports_and_the_health_checks_are_answered(settings):
    settings.ALLOWED_HOST_PORTS = ["80", "443"]
    assert Client().get("/learn/", HTTP_HOST="testserver:443").status_code == 200
    assert Client().get("/healthz", HTTP_HOST="testserver:8000").status_code == 200


def test_gunicorn_as_deployed_refuses_another_port(server):  # noqa: F811
    port, _ = server
    headers = {"X-Forwarded-Proto": "https"}
    assert get(port, "/learn/", headers={**headers, "Host": "127.0.0.1:6666"})[0] == 400
    assert get(port, "/learn/", headers={**headers, "Host": "127.0.0.1"})[0] == 200
