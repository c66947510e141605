"""Simulated patients going through the whole intake, as a browser would.

Each patient GETs every page, reads the CSRF token (and the medicine form's form_token) from
it, POSTs the answers with the csrftoken cookie, follows each redirect itself (so that every
request is timed on its own) and ends on the "done" page. N patients run at once, each
starting a new intake as soon as one is sent, for a fixed time and at most a fixed number
of intakes; the run stops by itself. One asyncio process (aiohttp) plays every patient, so
the client costs little of the 2 cores the server needs; its CPU use is reported.

    python bench/loadgen.py --base http://127.0.0.1:8765 --patients 32 --seconds 40 \
        --returning returning.json --out journey.json

Only loopback addresses are accepted. Answers vary at random (seeded); a share of patients
give the name and birth date of a seeded patient, so that their submission finds the
previous visit. Every intake carries an e-mail at LOADGEN_EMAIL_DOMAIN, by which bench/run.py
removes them before the next run.
"""

import argparse
import asyncio
import json
import random
import re
import resource
import sys
import time
from collections import defaultdict
from urllib.parse import urlsplit

import aiohttp

LOADGEN_EMAIL_DOMAIN = "loadgen.invalid"  # the same as bench/seed.py
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
REGIONS = (  # noqa: SIM905
    "head neck left_shoulder right_shoulder chest upper_back left_upper_arm right_upper_arm "
    "abdomen lower_back left_forearm right_forearm left_hand right_hand pelvis_groin left_hip "
    "right_hip buttocks left_thigh right_thigh left_knee right_knee left_lower_leg "
    "right_lower_leg left_foot right_foot"
).split()
# What patients type and then answer on the medicines step: the name (found on the product
# list), then that product's strength on the label and how it is taken; and one name that
# is not on the list, kept as typed.
MEDICINES = [
    {"medicine": "Percocet", "product": "percocet", "strength": "5 mg/325 mg", "times": "4"},
    {"medicine": "oxycontin", "product": "oxycontin", "strength": "20 mg", "times": "2"},
    {"medicine": "Norco", "product": "norco", "strength": "10 mg/325 mg", "times": "4"},
    {"medicine": "Duragesic", "product": "duragesic", "strength": "25 mcg/hr", "patch_days": "3"},
    {"medicine": "tramadol", "product": "tramadol", "strength": "50 mg", "times": "3"},
    {"medicine": "MS Contin", "product": "ms-contin", "strength": "30 mg", "times": "2"},
    {
        "medicine": "Suboxone",
        "product": "suboxone",
        "strength": "8 mg/2 mg",
        "times": "1",
        "purpose": "oud_treatment",
    },
    {"medicine": "Zorbex", "product": "unlisted", "strength_typed": "5 mg", "times": "2"},
]
FIRST = "Ana Ben Chen Dara Eva Farah Hugo Imani Jack Kofi Lina Maya Noah Omar Priya Rosa".split()  # noqa: SIM905
LAST = "Baker Chen Diaz Evans Garcia Khan Kim Lopez Nguyen Okafor Patel Rossi Silva Smith".split()  # noqa: SIM905


class Rejected(Exception):
    """The server answered, but not as a patient's browser expects."""


class Patient:
    """One browser: its cookies, the CSRF token of the last page, its answers."""

    PAGES = "/intake/"  # where its pages are; a check-in's are under their own address

    def __init__(self, http, base, rng, stats, number, returning, think=0.0):
        self.http, self.base, self.rng, self.stats = http, base, rng, stats
        self.think = think
        self.cookies = {}
        self.token = None
        self.number = number
        self.identity = rng.choice(returning) if returning and rng.random() < 0.3 else None

    async def request(self, label, method, path, data=None, expect=200, to=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if data is not None:
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
                    self._remember(value)
                location = response.headers.get("Location", "")
        except (TimeoutError, aiohttp.ClientError) as error:
            self.stats.error(label, f"{type(error).__name__}: {error}"[:200], started)
            raise Rejected from error
        self.stats.timing(label, started, elapsed)
        self.location = urlsplit(location).path
        if response.status != expect or (to is not None and urlsplit(location).path != to):
            why = f"HTTP {response.status} to {location or '-'}, expected {expect} {to or ''}"
            self.stats.error(label, why, started)
            raise Rejected(why)
        match = CSRF.search(body)
        if match:
            self.token = match.group(1)
        if self.think:
            # Reading and filling in the page: 0.5 to 1.5 times the mean think time.
            await asyncio.sleep(self.think * self.rng.uniform(0.5, 1.5))
        return body

    def _remember(self, header):
        pair, _, attributes = header.partition(";")
        name, _, value = pair.strip().partition("=")
        gone = "max-age=0" in attributes.lower() or "1970" in attributes
        if gone:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value.strip('"')

    async def step(self, slug, answers, next_slug):
        """One page: read it, answer it, and be sent on to `next_slug`."""
        page, following = f"{self.PAGES}{slug}/", f"{self.PAGES}{next_slug}/"
        await self.request(f"{slug} GET", "GET", page)
        await self.request(f"{slug} POST", "POST", page, answers, 302, following)

    async def journey(self):
        rng = self.rng
        await self.request("start GET", "GET", "/intake/")
        await self.request(
            "start POST", "POST", "/intake/", [("consent", "on")], 302, "/intake/about-you/"
        )
        await self.step("about-you", self.about_you(), "medicines")
        page = await self.request("medicines GET", "GET", "/intake/medicines/")
        for medicine in rng.sample(MEDICINES, rng.choice([1, 1, 2, 2, 3])):
            token = FORM_TOKEN.search(page).group(1)
            # The name first: the page comes back with that product's questions.
            page = await self.request(
                "medicines POST find",
                "POST",
                "/intake/medicines/",
                [("action", "find"), ("medicine", medicine["medicine"]), ("form_token", token)],
            )
            await self.request(
                "medicines POST add",
                "POST",
                "/intake/medicines/",
                [
                    ("action", "add"),
                    ("medicine", medicine["medicine"]),
                    ("product", medicine["product"]),
                    ("strength", medicine.get("strength", "")),
                    ("strength_typed", medicine.get("strength_typed", "")),
                    ("amount", "" if "patch_days" in medicine else "1"),
                    ("times_per_day", medicine.get("times", "")),
                    ("change_every_days", medicine.get("patch_days", "")),
                    ("purpose", medicine.get("purpose", "pain")),
                    ("form_token", token),
                ],
                302,
                "/intake/medicines/",
            )
            page = await self.request("medicines GET", "GET", "/intake/medicines/")
        await self.request(
            "medicines POST continue",
            "POST",
            "/intake/medicines/",
            [("action", "continue")],
            302,
            "/intake/opioid-use/",
        )
        # The question pages, one question each: the server says which comes next (a page
        # that does not apply to the answers given is skipped), up to the check page.
        answers = self.question_answers()
        path, pages = "/intake/opioid-use/", 0
        while path != "/intake/check/" and pages < len(answers):
            slug = path.removeprefix("/intake/").strip("/")
            if slug not in answers:
                self.stats.error(f"{slug} GET", f"unexpected page {path}", time.perf_counter())
                raise Rejected(f"unexpected page {path}")
            await self.request(f"{slug} GET", "GET", path)
            await self.request(f"{slug} POST", "POST", path, answers[slug](), 302)
            path, pages = self.location, pages + 1
        await self.request("check GET", "GET", "/intake/check/")
        await self.request(
            "check POST (submit)", "POST", "/intake/check/", [], 302, "/intake/done/"
        )
        await self.request("done GET", "GET", "/intake/done/")

    # Answers ---------------------------------------------------------------------------

    def about_you(self):
        rng = self.rng
        if self.identity:
            name, born = self.identity["full_name"], self.identity["date_of_birth"]
            year, month, day = born.split("-")
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}-{rng.randint(1, 10**6)}"
            year, month, day = rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28)
        return [
            ("full_name", name),
            ("dob_day", str(int(day))),
            ("dob_month", str(int(month))),
            ("dob_year", str(year)),
            ("email", f"patient{self.number}@{LOADGEN_EMAIL_DOMAIN}"),
            ("phone", rng.choice(["", "07700 900123", "+44 20 7946 0000"])),
            ("clinic_reference", ""),
        ]

    def question_answers(self):
        """Each question page's answers (intake/journey/steps.py), random but plausible."""
        rng = self.rng
        taking = rng.random() < 0.85
        responses = ["better", "worse", "unchanged", "not_tried"]
        between = rng.choice(["worse", "no_change", "not_applicable"])
        current = rng.sample(REGIONS, rng.randint(1, 5))
        injury = rng.random() < 0.2
        signs = rng.sample(["early_refill_requests", "craving"], 1) if rng.random() < 0.1 else []
        symptoms = rng.sample(["yawning", "sweating", "anxiety", "insomnia"], 2)
        change = rng.choice(["increased", "decreased", "stable", "unknown"])
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
                *[
                    ("withdrawal_symptoms_between_doses", s)
                    for s in (symptoms if between == "worse" else [])
                ],
            ],
            "pain-map": lambda: [("current_pain_sites", r) for r in current],
            "pain-map-start": lambda: [
                ("original_pain_sites", r)
                for r in rng.sample(current, rng.randint(1, len(current)))
            ],
            "pain-details": lambda: [("pain_score_now", str(rng.randint(2, 10)))],
            "pain-at-start": lambda: [("pain_score_at_start", str(rng.randint(2, 10)))],
            "pain-past-week": lambda: [
                (f"peg_{item}", str(rng.randint(0, 10)))
                for item in ("pain", "enjoyment", "activity")
            ],
            "new-pain": lambda: [
                ("new_pain_qualities", q)
                for q in rng.sample(
                    ["burning", "allodynia", "stabbing", "numbness"], rng.randint(0, 2)
                )
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


class Stats:
    """Latencies by request label, errors, completed intakes: only inside the window."""

    def __init__(self):
        self.window = (float("inf"), float("inf"))
        self.latencies = defaultdict(list)
        self.errors = defaultdict(int)
        self.error_samples = []
        self.completed = 0
        self.abandoned = 0

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


def percentile(ordered, p):
    if not ordered:
        return None
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summarise(stats, seconds, cpu_seconds, args):
    labels = {}
    for label, values in stats.latencies.items():
        ordered = sorted(values)
        labels[label] = {
            "requests": len(ordered),
            "errors": stats.errors.get(label, 0),
            **{f"p{p}_ms": round(percentile(ordered, p) * 1000, 1) for p in (50, 95, 99)},
            "max_ms": round(ordered[-1] * 1000, 1),
            "mean_ms": round(sum(ordered) / len(ordered) * 1000, 1),
        }
    for label, count in stats.errors.items():
        labels.setdefault(label, {"requests": 0, "errors": count})
    every = sorted(v for values in stats.latencies.values() for v in values)
    requests = len(every)
    return {
        "patients": args.patients,
        "think_seconds": args.think,
        "seconds": round(seconds, 1),
        "completed": stats.completed,
        "completed_per_minute": round(stats.completed / seconds * 60, 1),
        "requests": requests,
        "requests_per_second": round(requests / seconds, 1),
        "errors": sum(stats.errors.values()),
        "error_samples": stats.error_samples,
        "p50_ms": round(percentile(every, 50) * 1000, 1) if every else None,
        "p95_ms": round(percentile(every, 95) * 1000, 1) if every else None,
        "p99_ms": round(percentile(every, 99) * 1000, 1) if every else None,
        "client_cpu_seconds": round(cpu_seconds, 2),
        "client_cpu_share": round(cpu_seconds / seconds, 3),
        "by_request": labels,
    }


async def run(args):
    rng = random.Random(args.seed)
    returning = []
    if args.returning:
        with open(args.returning) as file:
            returning = json.load(file)
    stats = Stats()
    started_journeys = 0

    async with client_session(args) as http:

        async def patient_loop(index):
            nonlocal started_journeys
            while time.perf_counter() < stats.window[1] and started_journeys < args.max_journeys:
                started_journeys += 1
                patient = Patient(
                    http,
                    args.base,
                    random.Random(rng.random()),
                    stats,
                    started_journeys,
                    returning,
                    args.think,
                )
                try:
                    await patient.journey()
                except Rejected:
                    stats.abandoned += 1
                    continue
                if stats.counts(time.perf_counter()):
                    stats.completed += 1

        loops = [patient_loop(i) for i in range(args.patients)]
        seconds, cpu = await measured_window(stats, args, loops)
    return summarise(stats, seconds, cpu, args)


def client_session(args):
    """One HTTP client for every simulated patient: a fresh connection a request, as a crowd
    of phones would open, and each patient's own cookies (kept by the patient, not here)."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=args.patients, force_close=True),
        timeout=aiohttp.ClientTimeout(total=args.request_timeout),
        cookie_jar=aiohttp.DummyCookieJar(),
    )


async def measured_window(stats, args, loops):
    """Run the patients' loops through the warm-up and the measured window; return the
    window's seconds and this process's CPU seconds in it."""
    begin = time.perf_counter()
    stats.window = (begin + args.warmup, begin + args.warmup + args.seconds)
    tasks = [asyncio.create_task(loop) for loop in loops]
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
    cpu = (cpu_end.ru_utime - cpu_start.ru_utime) + (cpu_end.ru_stime - cpu_start.ru_stime)
    return window_end - stats.window[0], cpu


def run_and_report(parser, args, run):
    """Refuse a non-loopback address, run, and write the summary as JSON (--out or stdout)."""
    if urlsplit(args.base).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--base must be a loopback address")
    summary = asyncio.run(run(args))
    text = json.dumps(summary, indent=2)
    if args.out:
        with open(args.out, "w") as file:
            file.write(text)
    else:
        sys.stdout.write(text + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--patients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--max-journeys", type=int, default=20_000)
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean seconds a patient spends on each page"
    )
    parser.add_argument("--request-timeout", type=float, default=15)
    parser.add_argument("--returning", help="JSON list of {full_name, date_of_birth}")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", help="write the summary here as JSON (else stdout)")
    args = parser.parse_args(argv)
    run_and_report(parser, args, run)


if __name__ == "__main__":
    main()
