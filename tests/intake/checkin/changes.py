"""A patient sending check-ins through the real pages, with the opioids changed as they would
change them: a dose typed in, a medicine stopped, a new one added with its own questions."""

import datetime
import re

from django.urls import reverse

from intake.models import Intake
from tests.intake.journey import form_token

DOSES = "/intake/check-in/doses/"
ADD = "/intake/check-in/doses/medicine/"
# New medicines as a patient adds them on the medicine page (intake/medicines/products.toml).
BUPRENORPHINE_16_SL = {
    "medicine": "Buprenorphine tablet",
    "product": "buprenorphine-tablet",
    "strength": "8 mg",
    "amount": "2",
    "times_per_day": "1",
    "purpose": "pain",
}
METHADONE_20 = {
    "medicine": "Methadone",
    "product": "methadone",
    "strength": "10 mg",
    "amount": "1",
    "times_per_day": "2",
    "purpose": "pain",
}
BUTRANS_10 = {
    "medicine": "Butrans",
    "product": "butrans",
    "strength": "10 mcg/hr",
    "patches": "1",
    "change_every_days": "7",
    "purpose": "pain",
}


def day(date):
    """A date as the clinician's pages write it: "8 May 2026"."""
    return f"{date.day} {date:%b %Y}"


def days_ago(days):
    return datetime.date.today() - datetime.timedelta(days=days)


def send(
    client,
    link,
    *,
    pain,
    peg=(5, 5, 5),
    doses=None,
    stopped=(),
    add=(),
    symptoms=(),
    something_new=None,
):
    """Send one check-in through every page; returns the submitted check-in.

    `doses`: a generic name (morphine) to its new daily dose; `stopped`: generic names ticked
    "I no longer take"; `add`: new medicines' posts; `something_new`: the "anything new"
    page's answers (default: no)."""
    response = client.get(re.sub(r"^https?://[^/]+", "", link))
    assert response.status_code == 302, response
    assert client.post("/intake/check-in/").status_code == 302
    assert client.post("/intake/check-in/pain/", {"pain_score_now": pain}).status_code == 302
    peg_pain, enjoyment, activity = peg
    posted = {"peg_pain": peg_pain, "peg_enjoyment": enjoyment, "peg_activity": activity}
    assert client.post("/intake/check-in/peg/", posted).status_code == 302
    check_in = Intake.objects.get(kind=Intake.Kind.CHECK_IN, status=Intake.Status.IN_PROGRESS)
    page = {}
    for medicine in check_in.medicines.all():
        if medicine.name in stopped:
            page[f"stopped_{medicine.pk}"] = "on"
        elif not (medicine.product or medicine.strength_label):
            page[f"dose_{medicine.pk}"] = (doses or {}).get(medicine.name, medicine.daily_dose)
    for medicine in add:
        assert client.post(DOSES, {**page, "action": "add_medicine"}).url == ADD
        token = form_token(client.get(ADD))
        saved = client.post(ADD, {**medicine, "form_token": token, "action": "add"})
        assert saved.status_code == 302, saved.content.decode()[:3000]
    assert client.post(DOSES, {**page, "action": "continue"}).status_code == 302
    withdrawal = {"withdrawal_symptoms_between_doses": list(symptoms)}
    assert client.post("/intake/check-in/withdrawal/", withdrawal).status_code == 302
    new = something_new or {"has_something_new": "False", "details": ""}
    assert client.post("/intake/check-in/anything-new/", new).status_code == 302
    response = client.post("/intake/check-in/check/")
    assert response.status_code == 302 and response.url == "/intake/check-in/done/", response
    check_in.refresh_from_db()
    assert check_in.is_submitted
    return check_in


def seen_by_clinician(clinician_client, check_in):
    """What the clinician's pages say of a check-in: (level, alert codes, chart sentence)."""
    screening = check_in.screenings.get(is_current=True)
    page = clinician_client.get(reverse("admin:intake_intake_change", args=[check_in.pk]))
    assert page.status_code == 200
    chart = page.context["visit_chart"]
    return screening.level, screening.alert_codes, chart["sentence"] if chart else None
