"""Simulated patients: the intake and the follow-up check-in, page by page, as a browser goes.

A flow is a generator: it yields each request, `(label, method, path, data, expect, to)`, and
is sent back `(body, location)`, from which it reads what a browser would (the medicine
form's token, the doses filled in, the next page). The load generator below and
bench/inprocess.py (the test client, queries counted) drive the same flows; both add the
last page's CSRF token to every POST.

The load generator: one asyncio process, N patients at once, each starting again when done,
for a fixed time and at most a fixed number of flows, measured after a warm-up; with
--links, check-ins (one follow-up link each), else new intakes (some by returning patients).
Loopback only. Every intake's e-mail is at EMAIL_DOMAIN, by which the next run removes it.

    python bench/patients.py --base http://127.0.0.1:8765 --patients 32 --seconds 30 \
        [--think 1] [--returning people.json | --links links.json] --out out.json
"""

import argparse
import asyncio
import json
import random
import re
import resource
import time
from collections import defaultdict
from urllib.parse import urlsplit

import aiohttp

EMAIL_DOMAIN = "loadgen.invalid"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
DOSE_INPUT = re.compile(r'<input[^>]*name="(dose_\d+)"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
REGIONS = (  # noqa: SIM905
    "head neck left_shoulder right_shoulder chest upper_back left_upper_arm right_upper_arm "
    "abdomen lower_back left_forearm right_forearm left_hand right_hand pelvis_groin left_hip "
    "right_hip buttocks left_thigh right_thigh left_knee right_knee left_lower_leg "
    "right_lower_leg left_foot right_foot"
).split()
# What patients type on the medicines step (found on the product list), then that product's
# strength on the label and how it is taken; and one name not on the list, kept as typed.
MEDICINES = [
    {"medicine": "Percocet", "product": "percocet", "strength": "5 mg/325 mg", "times": "4"},
    {"medicine": "oxycontin", "product": "oxycontin", "strength": "20 mg", "times": "2"},
    {"medicine": "Norco", "product": "norco", "strength": "10 mg/325 mg", "times": "4"},
    {"medicine": "Duragesic", "product": "duragesic", "strength": "25 mcg/hr", "patch_days": "3"},
    {"medicine": "tramadol", "product": "tramadol", "strength": "50 mg", "times": "3"},
    {"medicine": "MS Contin", "product": "ms-contin", "strength": "30 mg", "times": "2"},
    {"medicine": "Suboxone", "product": "suboxone", "strength": "8 mg/2 mg", "times": "1"},
    {"medicine": "Zorbex", "product": "unlisted", "strength_typed": "5 mg", "times": "2"},
]
FIRST = "Ana Ben Chen Dara Eva Farah Hugo Imani Jack Kofi Lina Maya Noah Omar Priya".split()  # noqa: SIM905
LAST = "Baker Chen Diaz Evans Garcia Khan Kim Lopez Nguyen Okafor Patel Rossi Silva".split()  # noqa: SIM905
SYMPTOMS = ["sweating", "restlessness", "yawning", "anxiety", "insomnia"]
PEG = ("pain", "enjoyment", "activity")
CHECK_IN = "/intake/check-in/"


class Rejected(Exception):
    """The server answered, but not as a patient's browser expects."""


def page(path, label, answers, to=None, post_label=None):
    """Read a page, answer it; where the server sends the patient next."""
    yield (f"{label} GET", "GET", path, None, 200, None)
    _, location = yield (post_label or f"{label} POST", "POST", path, answers, 302, to)
    return location


def intake_flow(rng, number, identity=None, medicines=None):
    """A new intake from the consent page to "done"; `identity` a returning patient's."""
    medicines = medicines or rng.sample(MEDICINES, rng.choice([1, 1, 2, 2, 3]))
    yield from page("/intake/", "start", [("consent", "on")], "/intake/about-you/")
    yield from page("/intake/about-you/", "about-you", about_you(rng, number, identity))
    where = "/intake/medicines/"
    body, _ = yield ("medicines GET", "GET", where, None, 200, None)
    for medicine in medicines:
        token = ("form_token", FORM_TOKEN.search(body).group(1))
        # The name first: the page comes back with that product's questions.
        find = [("action", "find"), ("medicine", medicine["medicine"]), token]
        yield ("medicines POST find", "POST", where, find, 200, None)
        add = [
            ("action", "add"),
            ("medicine", medicine["medicine"]),
            ("product", medicine["product"]),
            ("strength", medicine.get("strength", "")),
            ("strength_typed", medicine.get("strength_typed", "")),
            ("amount", "" if "patch_days" in medicine else "1"),
            ("times_per_day", medicine.get("times", "")),
            ("change_every_days", medicine.get("patch_days", "")),
            ("purpose", "oud_treatment" if medicine["product"] == "suboxone" else "pain"),
            token,
        ]
        yield ("medicines POST add", "POST", where, add, 302, where)
        body, _ = yield ("medicines GET", "GET", where, None, 200, None)
    continuing = [("action", "continue")]
    yield ("medicines POST continue", "POST", where, continuing, 302, "/intake/opioid-use/")
    # One question a page: the server says which comes next (a page that does not apply to
    # the answers given is skipped), up to the check page.
    answers, path = question_answers(rng), "/intake/opioid-use/"
    for _ in answers:
        if path == "/intake/check/":
            break
        slug = path.removeprefix("/intake/").strip("/")
        if slug not in answers:
            raise Rejected(f"unexpected page {path}")
        path = yield from page(path, slug, answers[slug]())
    yield from page("/intake/check/", "check", [], "/intake/done/", "check POST (submit)")
    body, _ = yield ("done GET", "GET", "/intake/done/", None, 200, None)
    if 'id="intake-reference"' not in body:
        raise Rejected("the done page shows no reference")


def check_in_flow(rng, link, cut=False, symptoms=(), new=False):
    """A follow-up check-in from its private link to "done"; `cut` lowers each dose by a
    quarter (the doses page is filled in with the last visit's)."""
    base = CHECK_IN
    yield ("link GET", "GET", link, None, 302, base)
    yield from page(base, "start", [], f"{base}pain/")
    yield from page(f"{base}pain/", "pain", [("pain_score_now", str(rng.randint(2, 10)))])
    yield from page(f"{base}peg/", "peg", [(f"peg_{i}", str(rng.randint(0, 10))) for i in PEG])
    body, _ = yield ("doses GET", "GET", f"{base}doses/", None, 200, None)
    doses = []
    for tag in DOSE_INPUT.finditer(body):
        value = VALUE.search(tag.group(0))
        dose = float(value.group(1)) if value and value.group(1) else 10.0
        doses.append((tag.group(1), f"{dose * 0.75:g}" if cut else f"{dose:g}"))
    yield ("doses POST", "POST", f"{base}doses/", doses, 302, f"{base}withdrawal/")
    said = [("withdrawal_symptoms_between_doses", s) for s in symptoms]
    yield from page(f"{base}withdrawal/", "withdrawal", said, f"{base}anything-new/")
    details = "I fell on the stairs last week." if new else ""
    anything = [("has_something_new", str(new)), ("details", details)]
    yield from page(f"{base}anything-new/", "anything-new", anything, f"{base}check/")
    yield from page(f"{base}check/", "check", [], f"{base}done/", "check POST (submit)")
    yield ("done GET", "GET", f"{base}done/", None, 200, None)


def about_you(rng, number, identity):
    if identity:
        name = identity["full_name"]
        year, month, day = identity["date_of_birth"].split("-")
    else:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}-{rng.randint(1, 10**6)}"
        year, month, day = rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28)
    return [
        ("full_name", name),
        ("dob_day", str(int(day))),
        ("dob_month", str(int(month))),
        ("dob_year", str(year)),
        ("email", f"patient{number}@{EMAIL_DOMAIN}"),
        ("phone", rng.choice(["", "07700 900123", "+44 20 7946 0000"])),
        ("clinic_reference", ""),
    ]


def question_answers(rng):
    """Each question page's answers (intake/journey/steps.py), random but plausible; drawn
    when the page is reached, so the same seed gives the same answers."""
    taking = rng.random() < 0.85
    responses = ["better", "worse", "unchanged", "not_tried"]
    between = rng.choice(["worse", "no_change", "not_applicable"])
    current = rng.sample(REGIONS, rng.randint(1, 5))
    injury = rng.random() < 0.2
    signs = rng.sample(["early_refill_requests", "craving"], 1) if rng.random() < 0.1 else []
    symptoms = rng.sample(["yawning", "sweating", "anxiety", "insomnia"], 2)
    change = rng.choice(["increased", "decreased", "stable", "unknown"])
    qualities = ["burning", "allodynia", "stabbing", "numbness"]
    return {
        "opioid-use": lambda: [("currently_taking_opioids", str(taking))],
        "time-on-opioids": lambda: [
            ("years", str(rng.randint(0, 12))),
            ("months", str(rng.randint(1, 11))),
        ],
        "time-since-stopped": lambda: [("years", "0"), ("months", str(rng.randint(1, 8)))],
        "dose-change": lambda: [("dose_change_last_6_months", change)],
        "dose-change-weeks": lambda: [
            ("weeks_since_last_dose_change", rng.choice(["", "3", "8", "12"]))
        ],
        "dose-changes": lambda: [("pain_when_dose_increased", rng.choice(responses))],
        "dose-down": lambda: [("pain_when_dose_decreased", rng.choice(responses))],
        "between-doses": lambda: [
            ("pain_between_doses_or_missed_dose", between),
            *[("withdrawal_symptoms_between_doses", s) for s in symptoms if between == "worse"],
        ],
        "pain-map": lambda: [("current_pain_sites", r) for r in current],
        "pain-map-start": lambda: [
            ("original_pain_sites", r) for r in rng.sample(current, rng.randint(1, len(current)))
        ],
        "pain-details": lambda: [("pain_score_now", str(rng.randint(2, 10)))],
        "pain-at-start": lambda: [("pain_score_at_start", str(rng.randint(2, 10)))],
        "pain-past-week": lambda: [(f"peg_{i}", str(rng.randint(0, 10))) for i in PEG],
        "new-pain": lambda: [
            ("new_pain_qualities", q) for q in rng.sample(qualities, rng.randint(0, 2))
        ],
        "new-injury": lambda: [
            ("new_injury_or_disease_progression", str(injury)),
            ("new_injury_details", "A fall last spring." if injury else ""),
        ],
        "other-questions": lambda: [("signs_of_misuse", s) for s in signs],
        "oud": lambda: [("known_opioid_use_disorder", rng.choice(["False", "False", "True"]))],
        "other-medicines": lambda: [
            ("other_medicines_ticked", rng.choice(["none", "alprazolam", "gabapentin"])),
            ("naloxone_at_home", rng.choice(["yes", "no", "not_sure"])),
        ],
    }


def expected(response_status, location, expect, to):
    """Why a response is not what the flow expects, or None."""
    if response_status != expect or (to is not None and urlsplit(location).path != to):
        return f"HTTP {response_status} to {location or '-'}, expected {expect} {to or ''}"
    return None


# The load generator ---------------------------------------------------------------------


class Browser:
    """One patient's browser over a shared aiohttp session: its cookies, the last CSRF token."""

    def __init__(self, http, base, stats, rng, think):
        self.http, self.base, self.stats, self.rng, self.think = http, base, stats, rng, think
        self.cookies, self.token = {}, None

    async def run(self, flow):
        reply = None
        while True:
            try:
                request = flow.send(reply)
            except StopIteration:
                return
            except Rejected as error:
                self.stats.error("flow", str(error), time.perf_counter())
                raise
            reply = await self.send(*request)

    async def send(self, label, method, path, data, expect, to):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            data = [*data, ("csrfmiddlewaretoken", self.token)]
            headers["Referer"] = self.base + path
        started = time.perf_counter()
        try:
            async with self.http.request(
                method, self.base + path, data=data, headers=headers, allow_redirects=False
            ) as response:
                body = await response.text()
                elapsed = time.perf_counter() - started
                for value in response.headers.getall("Set-Cookie", []):
                    self.remember(value)
                location = response.headers.get("Location", "")
        except (TimeoutError, aiohttp.ClientError) as error:
            self.stats.error(label, f"{type(error).__name__}: {error}"[:200], started)
            raise Rejected from error
        self.stats.timing(label, started, elapsed)
        if why := expected(response.status, location, expect, to):
            self.stats.error(label, why, started)
            raise Rejected(why)
        if match := CSRF.search(body):
            self.token = match.group(1)
        if self.think:  # reading and filling in the page: 0.5 to 1.5 times the mean
            await asyncio.sleep(self.think * self.rng.uniform(0.5, 1.5))
        return body, urlsplit(location).path

    def remember(self, header):
        pair, _, attributes = header.partition(";")
        name, _, value = pair.strip().partition("=")
        if "max-age=0" in attributes.lower() or "1970" in attributes:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value.strip('"')


class Stats:
    """Latencies by request label, errors, completed flows: only inside the window."""

    def __init__(self):
        self.window = (float("inf"), float("inf"))
        self.latencies = defaultdict(list)
        self.errors = defaultdict(int)
        self.error_samples = []
        self.completed = self.abandoned = self.started = 0

    def counts(self, started):
        return self.window[0] <= started < self.window[1]

    def timing(self, label, started, elapsed):
        if self.counts(started):
            self.latencies[label].append(elapsed)

    def error(self, label, why, started):
        if self.counts(started):
            self.errors[label] += 1
            if len(self.error_samples) < 10:
                self.error_samples.append(f"{label}: {why}")


def percentiles(values):
    ordered = sorted(values)
    if not ordered:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}

    def at(p):
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return round(ordered[rank] * 1000, 1)

    return {f"p{p}_ms": at(p) for p in (50, 95, 99)}


def summarise(stats, seconds, cpu_seconds, args):
    labels = {}
    for label, values in stats.latencies.items():
        labels[label] = {
            "requests": len(values),
            "errors": stats.errors.get(label, 0),
            **percentiles(values),
            "max_ms": round(max(values) * 1000, 1),
        }
    for label, count in stats.errors.items():
        labels.setdefault(label, {"requests": 0, "errors": count})
    every = [v for values in stats.latencies.values() for v in values]
    return {
        "patients": args.patients,
        "think_seconds": args.think,
        "seconds": round(seconds, 1),
        "started": stats.started,
        "completed": stats.completed,
        "completed_per_minute": round(stats.completed / seconds * 60, 1),
        "requests": len(every),
        "requests_per_second": round(len(every) / seconds, 1),
        "errors": sum(stats.errors.values()),
        "error_samples": stats.error_samples,
        **percentiles(every),
        "client_cpu_share": round(cpu_seconds / seconds, 3),
        "by_request": labels,
    }


async def run(args):
    rng = random.Random(args.seed)
    stats = Stats()
    if args.links:  # one check-in a follow-up link, until they run out
        with open(args.links) as file:
            work = iter(json.load(file))
    else:
        work = iter(range(1, args.max_flows + 1))
    returning = []
    if args.returning:
        with open(args.returning) as file:
            returning = json.load(file)

    def flow(item, own):
        if args.links:
            symptoms = own.sample(SYMPTOMS, own.choice([0, 0, 0, 1, 2]))
            return check_in_flow(own, item, own.random() < 0.4, symptoms, own.random() < 0.15)
        identity = own.choice(returning) if returning and own.random() < 0.3 else None
        return intake_flow(own, item, identity)

    connector = aiohttp.TCPConnector(limit=args.patients, force_close=True)
    async with aiohttp.ClientSession(
        connector=connector,  # a fresh connection a request, as a crowd of phones opens
        timeout=aiohttp.ClientTimeout(total=15),
        cookie_jar=aiohttp.DummyCookieJar(),  # each patient keeps its own cookies
    ) as http:

        async def patient(delay):
            # Check-in patients arrive spread over the warm-up, so the window sees them at
            # every step (steady state); new intakes start at once.
            await asyncio.sleep(delay)
            while time.perf_counter() < stats.window[1] and (item := next(work, None)):
                stats.started += 1
                own = random.Random(rng.random())
                try:
                    await Browser(http, args.base, stats, own, args.think).run(flow(item, own))
                except Rejected:
                    stats.abandoned += 1
                    continue
                if stats.counts(time.perf_counter()):
                    stats.completed += 1

        begin = time.perf_counter()
        stats.window = (begin + args.warmup, begin + args.warmup + args.seconds)
        spread = args.warmup if args.links else 0
        tasks = [asyncio.create_task(patient(rng.uniform(0, spread))) for _ in range(args.patients)]
        await asyncio.sleep(args.warmup)
        cpu_start = resource.getrusage(resource.RUSAGE_SELF)
        # Past the window, patients still under way are dropped where they are.
        done, pending = await asyncio.wait(tasks, timeout=stats.window[1] - time.perf_counter())
        cpu_end = resource.getrusage(resource.RUSAGE_SELF)
        window_end = min(time.perf_counter(), stats.window[1])
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in done:
            if task.exception():
                raise task.exception()
    cpu = sum(getattr(cpu_end, f) - getattr(cpu_start, f) for f in ("ru_utime", "ru_stime"))
    return summarise(stats, window_end - stats.window[0], cpu, args)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--patients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=3, help="seconds before the window")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds on each page")
    parser.add_argument("--max-flows", type=int, default=20_000)
    parser.add_argument("--returning", help="JSON list of {full_name, date_of_birth}")
    parser.add_argument("--links", help="JSON list of check-in link paths: check-ins")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", required=True, help="write the summary here as JSON")
    args = parser.parse_args(argv)
    if urlsplit(args.base).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--base must be a loopback address")
    summary = asyncio.run(run(args))
    with open(args.out, "w") as file:
        json.dump(summary, file, indent=2)


if __name__ == "__main__":
    main()
