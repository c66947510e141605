"""Follow-up check-ins for the bench: the private links the simulated patients open, the
queries of each check-in page, and the clinician's intake page with 1 and with 12 check-ins.

Follow-ups are started on seeded patients through the app's own `start_follow_up` (as the
intake page does), and check-ins sent through `check_ins` (as the pages do). All of them are
the bench's own: bench/seed.py removes every check-in and follow-up before each run (the
seed has none).
"""

import datetime
import re

from django.utils import timezone

from bench import inprocess

LINK = "/intake/check-in/link/{token}/"
BASE = "/intake/check-in/"
DOSE_INPUT = re.compile(r'<input[^>]*name="(dose_\d+)"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
# A follow-up as a clinician starts it: every 2 weeks for 12, half with a dose cut last week
# (so that check-ins with withdrawal symptoms fall in its window and raise the urgent alert).
EVERY_WEEKS, FOR_WEEKS = 2, 12
MANY_CHECK_INS = 12


def _clinician():
    from bench.seed import _clinicians

    return _clinicians()[0]


def _plan(cut):
    today = timezone.localdate()
    return {
        "every_weeks": EVERY_WEEKS,
        "for_weeks": FOR_WEEKS,
        "planned_dose_change": "decrease" if cut else "",
        "planned_dose_change_on": today - datetime.timedelta(days=7) if cut else None,
    }


def last_visits(count):
    """Seeded patients' latest visits, older than a follow-up's span: where a clinician would
    start a follow-up; each with `m`, its number of medicines. The same list on every call."""
    from django.db.models import Count, Exists, OuterRef

    from intake.models import Intake

    later = Intake.objects.filter(previous_intake=OuterRef("pk"))
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
        .filter(~Exists(later))
        .annotate(m=Count("medicines"))
        .filter(m__gte=1)
        .order_by("pk")
    )
    return list(visits[:count])


# Who is used for what, so that no patient has two follow-ups: the in-process check-ins and
# intake pages take the first POOL_IN_PROCESS visits, the load the rest.
POOL_IN_PROCESS = 100


def links(count):
    """`count` follow-ups on different seeded patients, half with a dose cut last week; their
    private link paths, one check-in each."""
    from intake.review.follow_up import start_follow_up

    clinician = _clinician()
    paths = []
    pool = last_visits(POOL_IN_PROCESS + count)[POOL_IN_PROCESS:]
    for number, visit in enumerate(pool):
        _, token = start_follow_up(visit, clinician, _plan(cut=number % 2 == 0))
        paths.append(LINK.format(token=token))
    return paths


def check_in_pages(recorder, link, cut=False):
    """One check-in through its pages in process, each request's queries counted."""
    browser = inprocess.client()

    def step(slug, data):
        page = recorder.run(browser, f"{slug} GET", "GET", f"{BASE}{slug}/")
        recorder.run(
            browser,
            f"{slug} POST",
            "POST",
            f"{BASE}{slug}/",
            {**data, "csrfmiddlewaretoken": inprocess.token(page)},
            302,
        )
        return page

    recorder.run(browser, "link GET", "GET", link, expect=302)
    page = recorder.run(browser, "start GET", "GET", BASE)
    recorder.run(
        browser, "start POST", "POST", BASE, {"csrfmiddlewaretoken": inprocess.token(page)}, 302
    )
    step("pain", {"pain_score_now": "6"})
    step("peg", {"peg_pain": "6", "peg_enjoyment": "5", "peg_activity": "5"})
    page = recorder.run(browser, "doses GET", "GET", f"{BASE}doses/")
    doses = {}
    for tag in DOSE_INPUT.finditer(page.content.decode()):
        value = float(VALUE.search(tag.group(0)).group(1))
        doses[tag.group(1)] = f"{value * 0.75:g}" if cut else f"{value:g}"
    recorder.run(
        browser,
        "doses POST",
        "POST",
        f"{BASE}doses/",
        {**doses, "csrfmiddlewaretoken": inprocess.token(page)},
        302,
    )
    step("withdrawal", {"withdrawal_symptoms_between_doses": ["sweating"] if cut else []})
    step("anything-new", {"has_something_new": "False", "details": ""})
    page = recorder.run(browser, "check GET", "GET", f"{BASE}check/")
    recorder.run(
        browser,
        "check POST (submit)",
        "POST",
        f"{BASE}check/",
        {"csrfmiddlewaretoken": inprocess.token(page)},
        302,
    )
    recorder.run(browser, "done GET", "GET", f"{BASE}done/")


def query_counts():
    """Queries per check-in page: a warm-up check-in, then patients with 1 and with 3
    medicines, each without and with a dose cut. {label: {"queries", "constant"}}: a page's
    count is constant when the number of medicines does not change it (a cut writes more
    than no change, so the two are compared apart; "queries" lists every count)."""
    from intake.review.follow_up import start_follow_up

    pool = last_visits(POOL_IN_PROCESS)
    # pool[0] and pool[1] are the intake page's; pool[2] the warm-up, not counted.
    with_one = [v for v in pool[3:] if v.m == 1]
    with_three = [v for v in pool[3:] if v.m == 3]
    chosen = [(with_one[0], False), (with_three[0], False), (with_one[1], True)]
    chosen += [(with_three[1], True)]
    _, token = start_follow_up(pool[2], _clinician(), _plan(cut=False))
    check_in_pages(inprocess.Recorder(), LINK.format(token=token))
    by_answers = {}
    for visit, cut in chosen:
        recorder = by_answers.setdefault(cut, inprocess.Recorder())
        _, token = start_follow_up(visit, _clinician(), _plan(cut=cut))
        check_in_pages(recorder, LINK.format(token=token), cut=cut)
    shapes = [inprocess._shape(recorder.counts) for recorder in by_answers.values()]
    counts = {}
    for label in shapes[0]:
        seen = sorted({n for shape in shapes for n in _listed(shape[label]["queries"])})
        counts[label] = {
            "queries": seen[0] if len(seen) == 1 else seen,
            "constant": all(shape[label]["constant"] for shape in shapes),
        }
    return counts


def _listed(queries):
    return queries if isinstance(queries, list) else [queries]


def send_check_ins(visit, count):
    """A follow-up from `visit` and `count` check-ins through the same write path as the pages,
    two weeks apart (each back-dated once sent, so the next one compares with it)."""
    from decimal import Decimal

    from intake import check_ins
    from intake.models import Intake, Screening
    from intake.review.follow_up import start_follow_up

    follow_up, _ = start_follow_up(visit, _clinician(), _plan(cut=True))
    when = visit.submitted_at
    sent = None
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
    return follow_up, sent


def intake_page_counts(cookies):
    """The clinician's intake page, of the visit a follow-up started from and of its latest
    check-in, for a patient with 1 check-in and one with 12: fixed if 12 costs what 1 does."""
    one, many = last_visits(2)
    requests = []
    for visit, count in ((one, 1), (many, MANY_CHECK_INS)):
        _, latest = send_check_ins(visit, count)
        requests += [("visit page", count, visit.pk), ("latest check-in page", count, latest.pk)]
    recorder = inprocess.Recorder()
    for page, count, pk in requests:
        browser = inprocess.client(cookies)
        path = f"/admin/intake/intake/{pk}/change/"
        recorder.run(browser, "warm-up", "GET", path)
        recorder.run(browser, f"{page}, {count} check-in(s)", "GET", path)
    recorder.counts.pop("warm-up", None)
    counts = inprocess._shape(recorder.counts)
    fixed = all(
        counts[f"{page}, 1 check-in(s)"]["queries"]
        == counts[f"{page}, {MANY_CHECK_INS} check-in(s)"]["queries"]
        for page in ("visit page", "latest check-in page")
    )
    return {
        "pages": counts,
        "fixed": fixed,
        "paths": [f"/admin/intake/intake/{pk}/change/" for _, _, pk in requests],
    }
