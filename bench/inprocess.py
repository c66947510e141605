"""Queries per request, counted in this process against the bench database.

Each request runs with Django's test client (CSRF checks on) under `CaptureQueriesContext`,
after one warm-up request so that first-use work (templates, content types) is not counted.
Not counted: the `SELECT 1` that CONN_HEALTH_CHECKS sends on a reused connection, which
bypasses Django's cursor. The patients' pages run the same flows as the load
(bench/patients.py). Here too the follow-ups whose links the simulated patients open.
"""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import HOST
from bench.patients import CSRF, MEDICINES, check_in_flow, expected, intake_flow
from bench.seed import clinicians

STAFF_USERNAME = "bench-admin"
LINK = "/intake/check-in/link/{token}/"
# A follow-up as a clinician starts it: every 2 weeks for 12, half with a dose cut last week
# (so that check-ins with withdrawal symptoms fall in its window and raise the urgent alert).
MANY_CHECK_INS = 12
# The in-process check-ins and intake pages take the first POOL_IN_PROCESS visits of
# `last_visits`, the load the rest: no patient has two follow-ups.
POOL_IN_PROCESS = 100


def staff_session():
    """The cookies of a fresh, fully signed-in superuser session: Django's auth keys and the
    key a verified second factor (django-otp) leaves. The one place to adapt if sign-in
    changes."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    user, _ = User.objects.get_or_create(username=STAFF_USERNAME)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_unusable_password()
    user.save()
    store = SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, name="bench")
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return {settings.SESSION_COOKIE_NAME: store.session_key}


def client(cookies=None):
    browser = Client(enforce_csrf_checks=True, HTTP_HOST=HOST)
    for name, value in (cookies or {}).items():
        browser.cookies[name] = value
    return browser


class Recorder:
    """Runs requests, keeping each label's query counts."""

    def __init__(self):
        self.counts = defaultdict(list)

    def run(self, browser, label, method, path, data=None, expect=200, to=None):
        with CaptureQueriesContext(connection) as captured:
            response = browser.get(path) if method == "GET" else browser.post(path, data)
        if why := expected(response.status_code, response.get("Location", ""), expect, to):
            raise AssertionError(f"{label}: {method} {path}: {why}")
        self.counts[label].append(len(captured.captured_queries))
        return response

    def pages(self, requests, cookies=None):
        """Each (label, path) after a warm-up request of its own."""
        for label, path in requests:
            browser = client(cookies)
            self.run(browser, "warm-up", "GET", path)
            self.run(browser, label, "GET", path)
        self.counts.pop("warm-up", None)
        return self

    def flow(self, flow):
        """A patient's flow (bench/patients.py) through the test client."""
        browser, token, reply = client(), None, None
        while True:
            try:
                label, method, path, data, expect, to = flow.send(reply)
            except StopIteration:
                return
            form = defaultdict(list)
            for name, value in [*(data or []), ("csrfmiddlewaretoken", token)]:
                form[name].append(value)
            response = self.run(browser, label, method, path, dict(form), expect, to)
            body = response.content.decode()
            token = match.group(1) if (match := CSRF.search(body)) else token
            reply = (body, response.get("Location", ""))

    def shape(self):
        """{label: {"queries": a count, or every count where they differ, "constant"}}."""
        return {
            label: {
                "queries": values[0] if len(set(values)) == 1 else values,
                "constant": len(set(values)) == 1,
            }
            for label, values in self.counts.items()
        }


def query_counts(paths, cookies):
    """{scenario: {request: {"queries", "constant"}}}: the pages each scenario requests, and
    the intake as a new patient with 1 and 3 medicines and as a returning one, each with the
    same answers (after one journey as warm-up)."""

    def gets(key, count=None):
        return [(f"GET {p}", p) for p in paths[key][:count]]

    counts = {
        "healthz": Recorder().pages([("GET /healthz", "/healthz")]).shape(),
        "article": Recorder().pages(gets("article_paths", 3)).shape(),
        "article_es": Recorder().pages(gets("article_paths_es", 3)).shape(),
        "index": Recorder().pages([("GET /learn/", "/learn/")]).shape(),
        "search": Recorder().pages(gets("search_paths", 4)).shape(),
        "queue": Recorder().pages(gets("queue_variants"), cookies).shape(),
        "intake_page": Recorder()
        .pages([(f"GET intake with {n}", p) for n, p in paths["intake_page_variants"]], cookies)
        .shape(),
    }
    recorder = Recorder()
    returning = paths["returning"][0] if paths["returning"] else None
    for number, medicines, identity in [(1, 1, None), (2, 1, None), (3, 3, None)] + (
        [(4, 2, returning)] if returning else []
    ):
        recorder.flow(
            intake_flow(random.Random(1), f"inprocess{number}", identity, MEDICINES[:medicines])
        )
        if number == 1:
            recorder.counts.clear()
    counts["journey"] = recorder.shape()
    return counts


def plan(cut):
    """A follow-up's plan as a clinician makes it: every 2 weeks for 12; `cut` a dose cut
    a week ago."""
    return {
        "every_weeks": 2,
        "for_weeks": 12,
        "planned_dose_change": "decrease" if cut else "",
        "planned_dose_change_on": timezone.localdate() - datetime.timedelta(days=7)
        if cut
        else None,
    }


def last_visits(count):
    """Seeded patients' latest visits, older than a follow-up's span, where a clinician would
    start a follow-up; each with `m`, its number of medicines. The same list on every call."""
    from django.db.models import Count, Exists, OuterRef

    from intake.models import Intake

    visits = (
        Intake.objects.submitted()
        .filter(
            kind=Intake.Kind.VISIT,
            source=Intake.Source.WEB,
            currently_taking_opioids=True,
            patient__isnull=False,
            submitted_at__lt=timezone.now() - datetime.timedelta(days=200),
        )
        .exclude(full_name="")
        .filter(~Exists(Intake.objects.filter(previous_intake=OuterRef("pk"))))
        .annotate(m=Count("medicines"))
        .filter(m__gte=1)
        .order_by("pk")
    )
    return list(visits[:count])


def follow_up_link(visit, cut):
    from intake.review.follow_up import start_follow_up

    _, token = start_follow_up(visit, clinicians()[0], plan(cut))
    return LINK.format(token=token)


def links(count):
    """`count` follow-ups on different seeded patients, half with a dose cut last week: their
    private links, one check-in each, for the load."""
    pool = last_visits(POOL_IN_PROCESS + count)[POOL_IN_PROCESS:]
    return [follow_up_link(visit, cut=number % 2 == 0) for number, visit in enumerate(pool)]


def check_in_query_counts():
    """Queries per check-in page: a warm-up check-in, then patients with 1 and with 3
    medicines, each without and with a dose cut. A page's count is constant when the number
    of medicines does not change it (a cut writes more than no change, so the two are
    compared apart; "queries" lists every count)."""
    pool = last_visits(POOL_IN_PROCESS)
    # pool[0] and pool[1] are the intake page's; pool[2] the warm-up, not counted.
    with_one = [v for v in pool[3:] if v.m == 1]
    with_three = [v for v in pool[3:] if v.m == 3]
    Recorder().flow(check_in_flow(random.Random(1), follow_up_link(pool[2], cut=False)))
    by_answers = {False: Recorder(), True: Recorder()}
    for visit, cut in [(with_one[0], False), (with_three[0], False), (with_one[1], True)] + [
        (with_three[1], True)
    ]:
        symptoms = ["sweating"] if cut else []
        link = follow_up_link(visit, cut)
        by_answers[cut].flow(check_in_flow(random.Random(1), link, cut, symptoms))
    shapes = [recorder.shape() for recorder in by_answers.values()]
    counts = {}
    for label in shapes[0]:
        seen = set()
        for shape in shapes:
            queries = shape[label]["queries"]
            seen.update(queries if isinstance(queries, list) else [queries])
        counts[label] = {
            "queries": seen.pop() if len(seen) == 1 else sorted(seen),
            "constant": all(shape[label]["constant"] for shape in shapes),
        }
    return counts


def send_check_ins(visit, count):
    """A follow-up from `visit` and `count` check-ins through the pages' write path, two weeks
    apart (each back-dated once sent, so the next one compares with it); the latest."""
    from intake import check_ins
    from intake.models import Intake, Screening
    from intake.review.follow_up import start_follow_up

    follow_up, _ = start_follow_up(visit, clinicians()[0], plan(cut=True))
    when, sent = visit.submitted_at, None
    for number in range(count):
        check_in = check_ins.start_check_in(follow_up)
        check_in.pain_score_now = 8 - number % 4
        check_in.peg_pain, check_in.peg_enjoyment, check_in.peg_activity = 7, 6, 6
        check_in.withdrawal_symptoms_between_doses = ["sweating"] if number == 1 else []
        check_in.save()
        if number == 1:
            for medicine in check_in.medicines.all():
                medicine.daily_dose = (medicine.daily_dose * Decimal("0.75")).quantize(
                    Decimal("0.01")
                )
                medicine.save(update_fields=["daily_dose"])
        sent = check_ins.submit_check_in(check_in)
        when += datetime.timedelta(days=14)
        Intake.objects.filter(pk=sent.pk).update(submitted_at=when, started_at=when)
        Screening.objects.filter(intake=sent).update(intake_submitted_at=when)
    return sent


def intake_page_counts(cookies):
    """The clinician's intake page of the visit a follow-up started from and of its latest
    check-in, for a patient with 1 check-in and one with 12: fixed if 12 costs what 1 does."""
    one, many = last_visits(2)
    requests = []
    for visit, count in ((one, 1), (many, MANY_CHECK_INS)):
        latest = send_check_ins(visit, count)
        for page, pk in (("visit page", visit.pk), ("latest check-in page", latest.pk)):
            requests.append((f"{page}, {count} check-in(s)", f"/admin/intake/intake/{pk}/change/"))
    counts = Recorder().pages(requests, cookies).shape()
    fixed = all(
        counts[f"{page}, 1 check-in(s)"]["queries"]
        == counts[f"{page}, {MANY_CHECK_INS} check-in(s)"]["queries"]
        for page in ("visit page", "latest check-in page")
    )
    return {"pages": counts, "fixed": fixed}
