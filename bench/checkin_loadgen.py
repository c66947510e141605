"""Simulated patients sending follow-up check-ins, as a browser would (bench/loadgen.py's style).

Each patient opens a follow-up's private link (which becomes a session and a redirect to the
clean address), starts the check-in and goes through its pages: pain now, the past week
(PEG), the doses (pre-filled from the last visit: kept, or cut by a quarter), withdrawal
symptoms, anything new, then check and send, and the "done" page. Every request is timed on
its own; redirects are followed by hand. N patients, arriving spread over the warm-up and
each taking the next unused link when a check-in is sent, until the time is up or the links
run out; only the window after the warm-up is measured.

    python bench/checkin_loadgen.py --base http://127.0.0.1:8765 --patients 32 --think 1 \
        --seconds 30 --links links.json --out check-ins.json

Only loopback addresses are accepted. The links (one per follow-up, from bench/checkins.py)
are the bench's own; bench/seed.py removes the check-ins and follow-ups before each run.
"""

import argparse
import asyncio
import json
import random
import re
import time

from loadgen import (
    Patient,
    Rejected,
    Stats,
    client_session,
    measured_window,
    run_and_report,
    summarise,
)

DOSE_INPUT = re.compile(r'<input[^>]*name="(dose_\d+)"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
SYMPTOMS = ["sweating", "restlessness", "yawning", "anxiety", "insomnia"]
BASE = "/intake/check-in/"


class CheckInPatient(Patient):
    """One browser with one private link: the check-in's pages in order."""

    PAGES = BASE

    def __init__(self, http, base, rng, stats, number, link, think=0.0):
        super().__init__(http, base, rng, stats, number, [], think)
        self.link = link

    async def check_in(self):
        rng = self.rng
        await self.request("link GET", "GET", self.link, expect=302, to=BASE)
        await self.request("start GET", "GET", BASE)
        await self.request("start POST", "POST", BASE, [], 302, f"{BASE}pain/")
        await self.step("pain", [("pain_score_now", str(rng.randint(2, 10)))], "peg")
        await self.step(
            "peg",
            [
                (f"peg_{item}", str(rng.randint(0, 10)))
                for item in ("pain", "enjoyment", "activity")
            ],
            "doses",
        )
        page = await self.request("doses GET", "GET", f"{BASE}doses/")
        cut = rng.random() < 0.4
        doses = []
        for tag in DOSE_INPUT.finditer(page):
            value = VALUE.search(tag.group(0))
            dose = float(value.group(1)) if value and value.group(1) else 10.0
            doses.append((tag.group(1), f"{dose * 0.75:g}" if cut else f"{dose:g}"))
        await self.request("doses POST", "POST", f"{BASE}doses/", doses, 302, f"{BASE}withdrawal/")
        symptoms = rng.sample(SYMPTOMS, rng.choice([0, 0, 0, 1, 2]))
        await self.step(
            "withdrawal",
            [("withdrawal_symptoms_between_doses", s) for s in symptoms],
            "anything-new",
        )
        new = rng.random() < 0.15
        await self.step(
            "anything-new",
            [
                ("has_something_new", str(new)),
                ("details", "I fell on the stairs last week." if new else ""),
            ],
            "check",
        )
        await self.request("check GET", "GET", f"{BASE}check/")
        await self.request("check POST (submit)", "POST", f"{BASE}check/", [], 302, f"{BASE}done/")
        await self.request("done GET", "GET", f"{BASE}done/")


async def run(args):
    rng = random.Random(args.seed)
    with open(args.links) as file:
        links = iter(json.load(file))
    stats = Stats()
    started = 0

    async with client_session(args) as http:

        async def patient_loop(delay):
            nonlocal started
            # Patients arrive spread over the first check-in's length, not all at once, so
            # that the measured window sees them at every step (steady state).
            await asyncio.sleep(delay)
            while time.perf_counter() < stats.window[1]:
                link = next(links, None)
                if link is None:
                    return  # every follow-up has had its check-in
                started += 1
                patient = CheckInPatient(
                    http, args.base, random.Random(rng.random()), stats, started, link, args.think
                )
                try:
                    await patient.check_in()
                except Rejected:
                    stats.abandoned += 1
                    continue
                if stats.counts(time.perf_counter()):
                    stats.completed += 1

        loops = [patient_loop(rng.uniform(0, args.warmup)) for _ in range(args.patients)]
        seconds, cpu = await measured_window(stats, args, loops)
    summary = summarise(stats, seconds, cpu, args)
    summary["links_used"] = started
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--patients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--warmup",
        type=float,
        default=16,
        help="seconds before the measured window, over which the patients arrive "
        "(about one check-in: 16 pages at the think time)",
    )
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--request-timeout", type=float, default=15)
    parser.add_argument("--links", required=True, help="JSON list of check-in link paths")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--out", help="write the summary here as JSON (else stdout)")
    args = parser.parse_args(argv)
    run_and_report(parser, args, run)


if __name__ == "__main__":
    main()
