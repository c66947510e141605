"""Walk the standard intake journey in headless Chromium and count what a patient meets.

The standard journey: two medicines, four places on the body map, the usual answers
(taking opioids now, the dose went up, pain worse since). At 390 x 844 it counts:
  screens  pages the patient sees (every page load, including after adding a medicine);
  taps     clicks, ticks and taps into a text box (typing itself is not counted);
  scroll   the sum of each page's full height in CSS pixels (and over 844: phone screens),
           and what is scrolled: each page's height beyond its first 844 px.

It drives a running site, so it measures any version of the code the same way:
  python bench/journey_walk.py http://127.0.0.1:8150 [--shots DIR] [--json FILE]
It fills each page by the names of the inputs it finds, so it works before and after
the pages were split. Not a test: it reports numbers, it asserts nothing about them.
"""

import argparse
import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

WIDTH, HEIGHT = 390, 844
ANSWERS = {
    "full_name": "Rosa Parks-Diaz",
    "dob_day": "4",
    "dob_month": "2",
    "dob_year": "1971",
    "email": "rosa@example.com",
    "currently_taking_opioids": "True",
    "use_years": "2",  # before the pages were split
    "use_months": "0",
    "years": "2",  # after: "About how long have you taken opioids, in all?"
    "months": "0",
    "dose_change_last_6_months": "increased",
    "weeks_since_last_dose_change": "12",
    "pain_when_dose_increased": "worse",
    "pain_when_dose_decreased": "not_tried",
    "pain_between_doses_or_missed_dose": "no_change",
    "current_pain_sites": ["lower_back", "neck", "left_thigh", "right_thigh"],
    "original_pain_sites": ["lower_back"],
    "pain_score_now": "8",
    "pain_score_at_start": "6",
    "peg_pain": "8",
    "peg_enjoyment": "7",
    "peg_activity": "8",
    "new_pain_qualities": ["burning"],
    "new_injury_or_disease_progression": "False",
    "known_opioid_use_disorder": "False",
    "other_medicines_ticked": ["none"],
    "naloxone_at_home": "yes",
}
# The standard two medicines, entered as on the label: the name, then that product's
# strength and how it is taken. (The walk before the product list used a drop-down of
# ingredients and a strength number; its figures are in the closing notes.)
MEDICINES = [
    {
        "medicine": "Percocet",
        "strength": "5 mg/325 mg",
        "amount": "1",
        "times_per_day": "4",
        "purpose": "pain",
    },
    {
        "medicine": "OxyContin",
        "strength": "20 mg",
        "amount": "1",
        "times_per_day": "2",
        "purpose": "pain",
    },
]


class Walk:
    def __init__(self, page, shots):
        self.page = page
        self.shots = shots
        self.screens = []
        self.taps = 0
        self.typed = 0

    def arrived(self, name=None):
        self.page.wait_for_load_state("load")
        height = self.page.evaluate("document.documentElement.scrollHeight")
        words = len(self.page.locator("main").inner_text().split())
        path = self.page.url.split("/intake/")[-1].strip("/") or "start"
        label = name or path
        self.screens.append({"page": label, "height": height, "words": words})
        if self.shots:
            self.page.screenshot(
                path=f"{self.shots}/{len(self.screens):02d}-{label.replace('/', '_')}.png",
                full_page=True,
            )

    def tap(self, locator):
        locator.first.click()
        self.taps += 1

    def fill(self, locator, value):
        locator.first.click()
        self.taps += 1
        locator.first.fill(value)
        self.typed += len(value)

    def choose(self, name, value):
        """Answer one input by name, whatever kind it is; False if the page has no such input."""
        inputs = self.page.locator(f"[name='{name}']")
        if (
            inputs.count() == 0
            or not inputs.first.is_visible()
            and inputs.first.get_attribute("type") not in ("checkbox", "radio")
        ):
            return False
        kind = inputs.first.get_attribute("type") or inputs.first.evaluate(
            "e => e.tagName.toLowerCase()"
        )
        if kind in ("radio", "checkbox"):
            for one in value if isinstance(value, list) else [value]:
                box = self.page.locator(f"[name='{name}'][value='{one}']")
                if box.count() == 0 and inputs.count() == 1:
                    box = inputs  # a lone box without a value, like the consent tick
                if box.count() and not box.first.is_checked():
                    box.first.click()
                    self.taps += 1
            return True
        if kind == "select":
            inputs.first.select_option(value)
            self.taps += 2
            return True
        current = inputs.first.input_value()
        if current != value:
            self.fill(inputs, value)
        return True

    def press_continue(self):
        self.tap(self.page.get_by_role("button", name="Continue", exact=True))
        self.arrived()


def walk(base_url, shots=None):
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, has_touch=True)
        w = Walk(page, shots)
        page.goto(base_url + "/")
        w.arrived("home")
        w.tap(
            page.get_by_role("link", name="Fill in your form")
            .or_(page.get_by_role("link", name="Start"))
            .first
        )
        w.arrived()
        w.choose("consent", "on")
        w.tap(page.get_by_role("button", name="Start now"))
        w.arrived()
        for _ in range(40):
            url = page.url
            if "/done/" in url:
                break
            if url.rstrip("/").endswith("/medicines"):
                if page.locator("#medicine-list li").count() < len(MEDICINES):
                    for medicine in MEDICINES[page.locator("#medicine-list li").count() :]:
                        w.choose("medicine", medicine["medicine"])
                        w.tap(page.get_by_role("button", name="Find this medicine"))
                        w.arrived("medicines-questions")
                        for name in ("strength", "amount", "times_per_day", "purpose"):
                            w.choose(name, medicine[name])
                        w.tap(page.get_by_role("button", name="Add this medicine"))
                        w.arrived("medicines")
                w.press_continue()
                continue
            if url.rstrip("/").endswith("/check"):
                w.tap(page.get_by_role("button", name="Send my answers"))
                w.arrived()
                continue
            for name, value in ANSWERS.items():
                w.choose(name, value)
            w.press_continue()
            if page.locator("#error-summary").count():
                raise SystemExit(f"The walk stopped at an error on {page.url}")
        browser.close()
    total = sum(s["height"] for s in w.screens)
    # What the thumb scrolls: each page's height beyond the first screenful.
    scrolled = sum(max(0, s["height"] - HEIGHT) for s in w.screens)
    # A rough time for the form (the home page is not part of it): reading each page once
    # at 200 words a minute, 3 seconds a tap to find and press it, 1 second a character.
    seen, words = {"home"}, 0
    for screen in w.screens:
        if screen["page"] not in seen:
            seen.add(screen["page"])
            words += screen["words"]
    seconds = words / 200 * 60 + w.taps * 3 + w.typed

    return {
        "viewport": f"{WIDTH}x{HEIGHT}",
        "screens": len(w.screens),
        "taps": w.taps,
        "scroll_height_px": total,
        "phone_screens_of_page": round(total / HEIGHT, 1),
        "scrolled_px": scrolled,
        "typed_characters": w.typed,
        "words_read": words,
        "minutes_estimate": round(seconds / 60, 1),
        "pages": w.screens,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("--shots")
    parser.add_argument("--json")
    args = parser.parse_args()
    if args.shots:
        Path(args.shots).mkdir(parents=True, exist_ok=True)
    result = walk(args.base_url.rstrip("/"), args.shots)
    text = json.dumps(result, indent=2)
    if args.json:
        Path(args.json).write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
