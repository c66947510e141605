"""A patient going through the intake with the test client, step by step."""

import re

VALID_ANSWERS = {
    "about-you": {
        "full_name": "Rosa Parks-Díaz",
        "dob_day": "4",
        "dob_month": "2",
        "dob_year": "1971",
        "email": "",
        "phone": "",
        "clinic_reference": "",
    },
    "opioid-use": {"currently_taking_opioids": "True"},
    "time-on-opioids": {"years": "2", "months": "0"},
    "time-since-stopped": {"years": "1", "months": "0"},  # asked only if they stopped
    "dose-change": {"dose_change_last_6_months": "increased"},
    "dose-change-weeks": {"dose_change_ago": "12", "dose_change_ago_unit": "weeks"},
    "dose-changes": {"pain_when_dose_increased": "worse"},
    "dose-down": {"pain_when_dose_decreased": "not_tried"},
    "between-doses": {"pain_between_doses_or_missed_dose": "no_change"},
    "pain-map": {
        "current_pain_sites": ["lower_back", "neck", "left_upper_arm", "right_upper_arm"],
    },
    "pain-map-start": {"original_pain_sites": ["lower_back"]},
    "pain-details": {"pain_score_now": "8"},
    "pain-at-start": {"pain_score_at_start": "6"},
    "pain-past-week": {"peg_pain": "8", "peg_enjoyment": "7", "peg_activity": "8"},
    "new-pain": {"new_pain_qualities": ["burning", "allodynia"]},
    "new-injury": {"new_injury_or_disease_progression": "False", "new_injury_details": ""},
    "other-questions": {"signs_of_misuse": []},
    "oud": {"known_opioid_use_disorder": "False"},
    "other-medicines": {
        "other_medicines_ticked": ["none"],
        "other_medicines_typed": "",
        "naloxone_at_home": "yes",
    },
}
# The question pages after the medicines, in order (intake/journey/steps.py).
QUESTION_PAGES = [slug for slug in VALID_ANSWERS if slug != "about-you"]
# The whole medicine in one post, as the page sends it once the product is known: Norco
# 10 mg/325 mg, 1 tablet 6 times a day, is 60 mg of hydrocodone a day.
VALID_MEDICINE = {
    "action": "add",
    "medicine": "Norco",
    "strength": "10 mg/325 mg",
    "amount": "1",
    "times_per_day": "6",
    "purpose": "pain",
}


def form_token(response):
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def start(client):
    response = client.post("/intake/", {"consent": "on"})
    assert response.status_code == 302
    return response


def add_medicine(client, **overrides):
    token = form_token(client.get("/intake/medicines/"))
    return post(client, "/intake/medicines/", {**VALID_MEDICINE, "form_token": token, **overrides})


def fill_all_steps(client, answers=None):
    answers = {**VALID_ANSWERS, **(answers or {})}
    start(client)
    assert client.post("/intake/about-you/", answers["about-you"]).status_code == 302
    assert add_medicine(client).status_code == 302
    assert client.post("/intake/medicines/", {"action": "continue"}).status_code == 302
    for slug in QUESTION_PAGES:
        # A page that does not apply to these answers redirects its post unread; one that
        # refuses an answer redirects back to itself with the answers kept (state=).
        response = client.post(f"/intake/{slug}/", answers[slug])
        assert response.status_code == 302 and "state=" not in response.url, (
            slug,
            client.get(response.url).context["form"].errors,
        )


def submit(client):
    return client.post("/intake/check/")


def checked_values(page, name):
    """The values of the checked radios or boxes named `name` in a page."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs if " checked" in tag]


def post(client, path, data=None, **extra):
    """Posts as a browser does: a post that stays on its page answers with a redirect to that
    page (Post/Redirect/Get), which is followed here, so the page shown with its errors is
    returned; a post that moves on returns its redirect."""
    response = client.post(path, {} if data is None else data, **extra)
    if response.status_code == 302 and "state=" in response.url:
        shown = client.get(response.url, **extra)
        shown.posted_to = path
        return shown
    return response
