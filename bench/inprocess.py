"""Each scenario's requests run once in this process, against the bench database.

Queries per request are counted here, with Django's test client (CSRF checks enforced)
under `CaptureQueriesContext`: the SQL the ORM sends for one request, after one warm-up
request so that first-use work (templates, content types) is not counted. Not counted: the
`SELECT 1` that CONN_HEALTH_CHECKS sends on a reused connection, which bypasses Django's
cursor (one extra round trip per request that touches the database, on the live server).

The same helpers profile a path with cProfile for bench/README.md.
"""

import cProfile
import io
import pstats
import re
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.seed import LOADGEN_EMAIL_DOMAIN

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
HOST = "127.0.0.1"


def client(cookies=None):
    browser = Client(enforce_csrf_checks=True, HTTP_HOST=HOST)
    for name, value in (cookies or {}).items():
        browser.cookies[name] = value
    return browser


class Recorder:
    """Runs requests, counting each one's queries; optionally profiles those it is told to."""

    def __init__(self, profile_label=None, profiler=None):
        self.counts = {}
        self.queries = {}
        self.profile_label = profile_label
        self.profiler = profiler
        self.times = []

    def run(self, browser, label, method, path, data=None, expect=200):
        profiling = self.profiler is not None and label == self.profile_label
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            if profiling:
                self.profiler.enable()
            response = browser.get(path) if method == "GET" else browser.post(path, data or {})
            if profiling:
                self.profiler.disable()
                self.times.append(time.perf_counter() - started)
        if response.status_code != expect:
            raise AssertionError(f"{label}: {method} {path} answered {response.status_code}")
        self.counts.setdefault(label, []).append(len(captured.captured_queries))
        self.queries[label] = captured.captured_queries
        return response


def token(response, pattern=CSRF):
    return pattern.search(response.content.decode()).group(1)


def journey(recorder, number, medicines=1, identity=None):
    """One patient through every step, as bench/loadgen.py does, with fixed valid answers."""
    from tests.intake.journey import VALID_ANSWERS, VALID_MEDICINE

    browser = client()
    answers = {k: dict(v) for k, v in VALID_ANSWERS.items()}
    answers["about-you"]["email"] = f"inprocess{number}@{LOADGEN_EMAIL_DOMAIN}"
    answers["about-you"]["full_name"] = f"In Process {number}-{time.time_ns()}"
    if identity:
        year, month, day = identity["date_of_birth"].split("-")
        answers["about-you"].update(
            full_name=identity["full_name"], dob_day=day, dob_month=month, dob_year=year
        )

    def step(slug, data):
        page = recorder.run(browser, f"{slug} GET", "GET", f"/intake/{slug}/")
        sent = recorder.run(
            browser,
            f"{slug} POST",
            "POST",
            f"/intake/{slug}/",
            {**data, "csrfmiddlewaretoken": token(page)},
            302,
        )
        return sent["Location"]

    page = recorder.run(browser, "start GET", "GET", "/intake/")
    recorder.run(
        browser,
        "start POST",
        "POST",
        "/intake/",
        {"consent": "on", "csrfmiddlewaretoken": token(page)},
        302,
    )
    step("about-you", answers["about-you"])
    page = recorder.run(browser, "medicines GET", "GET", "/intake/medicines/")
    for _ in range(medicines):
        recorder.run(
            browser,
            "medicines POST add",
            "POST",
            "/intake/medicines/",
            {
                **VALID_MEDICINE,
                "form_token": token(page, FORM_TOKEN),
                "csrfmiddlewaretoken": token(page),
            },
            302,
        )
        page = recorder.run(browser, "medicines GET", "GET", "/intake/medicines/")
    recorder.run(
        browser,
        "medicines POST continue",
        "POST",
        "/intake/medicines/",
        {"action": "continue", "csrfmiddlewaretoken": token(page)},
        302,
    )
    # The question pages in the order the server sends the patient through them (a page
    # that does not apply to these answers is skipped), up to the check page.
    path = "/intake/opioid-use/"
    while path != "/intake/check/":
        slug = path.removeprefix("/intake/").strip("/")
        path = step(slug, answers[slug])
    page = recorder.run(browser, "check GET", "GET", "/intake/check/")
    recorder.run(
        browser,
        "check POST (submit)",
        "POST",
        "/intake/check/",
        {"csrfmiddlewaretoken": token(page)},
        302,
    )
    done = recorder.run(browser, "done GET", "GET", "/intake/done/")
    if b'id="intake-reference"' not in done.content:
        raise AssertionError("the in-process journey did not reach a submitted intake")


def query_counts(fixtures, cookies):
    """{scenario: {request: {"queries": [counts...], "constant": bool}}}."""
    counts = {}

    def measure(scenario, requests, browser_for=client):
        recorder = Recorder()
        for label, path in requests:
            browser = browser_for()
            recorder.run(browser, "warm-up", "GET", path)  # caches, templates, first use
            recorder.run(browser, label, "GET", path)
        recorder.counts.pop("warm-up", None)
        counts[scenario] = _shape(recorder.counts)
        return recorder

    measure("healthz", [("GET /healthz", "/healthz")])
    measure("article", [(f"GET {p}", p) for p in fixtures["article_paths"][:3]])
    measure("article_es", [(f"GET {p}", p) for p in fixtures["article_paths_es"][:3]])
    measure("index", [("GET /learn/", "/learn/")])
    measure("search", [(f"GET {p}", p) for p in fixtures["search_paths"][:4]])
    staff = lambda: client(cookies)  # noqa: E731
    measure(
        "queue",
        [(f"GET {p}", p) for p in fixtures["queue_variants"]],
        staff,
    )
    measure(
        "intake_page",
        [(f"GET intake with {n}", p) for n, p in fixtures["intake_page_variants"]],
        staff,
    )
    # The journey: a new patient with 1 and with 3 medicines, and a returning patient.
    recorder = Recorder()
    journey(recorder, 1, medicines=1)
    recorder.counts.clear()
    journey(recorder, 2, medicines=1)
    journey(recorder, 3, medicines=3)
    if fixtures["returning"]:
        journey(recorder, 4, medicines=2, identity=fixtures["returning"][0])
    counts["journey"] = _shape(recorder.counts)
    return counts


def _shape(by_label):
    return {
        label: {
            "queries": values if len(set(values)) > 1 else values[0],
            "constant": len(set(values)) == 1,
        }
        for label, values in by_label.items()
    }


def profile(target, fixtures, cookies, repeat=30, top=25):
    """cProfile of one request kind, repeated; returns text: hot functions and its SQL."""
    profiler = cProfile.Profile()
    kind, label = target["kind"], target["label"]
    recorder = Recorder(profile_label=label, profiler=profiler)
    if kind == "journey":
        for number in range(max(3, repeat // 3)):
            identity = (
                fixtures["returning"][number % len(fixtures["returning"])]
                if (fixtures["returning"] and number % 3 == 0)
                else None
            )
            journey(recorder, 100 + number, medicines=2, identity=identity)
    else:
        paths = target["paths"]
        browser = client(cookies if target.get("staff") else None)
        recorder.run(browser, "warm-up", "GET", paths[0])
        for i in range(repeat):
            recorder.run(browser, label, "GET", paths[i % len(paths)])
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    text = _trim(out.getvalue())
    per_request = sorted(recorder.times)
    sql = recorder.queries.get(label, [])
    explain = _explain_slowest(sql)
    return {
        "label": label,
        "requests_profiled": len(per_request),
        "median_ms_in_process_profiled": round(per_request[len(per_request) // 2] * 1000, 1)
        if per_request
        else None,
        "queries": [{"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"][:600]} for q in sql],
        "explain_slowest": explain,
        "cprofile": text,
    }


def _trim(text):
    lines = text.splitlines()
    keep = [
        line.replace("/work/main/.venv/lib/python3.11/site-packages/", "").replace(
            "/work/main/", ""
        )
        for line in lines
        if line.strip()
    ]
    return "\n".join(keep)


def _explain_slowest(captured):
    candidates = [q for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]
    if not candidates:
        return None
    slowest = max(candidates, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {"ms": round(float(slowest["time"]) * 1000, 2), "sql": slowest["sql"], "plan": plan}
