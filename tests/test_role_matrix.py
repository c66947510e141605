"""Who gets what: every URL and every admin model, for every kind of visitor.

The tables are explicit on purpose: a new URL or admin model fails the
coverage tests until someone decides, here, who may reach it.
"""

import json

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import translation

from intake.exchange.imports import import_document
from intake.models import Intake, IntakeMedicine
from oih_site.language import address_in
from tests.helpers import in_language, login_staff, make_staff
from tests.intake.journey import add_medicine, fill_all_steps, start, submit

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "patient", "other_patient", "editor", "clinician", "superuser"]
OK, LOGIN, RESUME, DENIED, GONE, START, DONE = 200, "login", "resume", 403, 404, "start", "done"
# A check-in page without a follow-up's link in the session: "this link has ended".
ENDED, CHECK_IN = 410, "check-in"

# The patient pages, English at these addresses and Spanish under /es/ with Spanish words.
PATIENT_PAGES = ("/learn/", "/intake/")
# Site URLs: the status (or where it redirects) for each role.
SITE_URLS = {
    "/": dict.fromkeys(ROLES, OK),
    "/healthz": dict.fromkeys(ROLES, OK),
    "/readyz": dict.fromkeys(ROLES, OK),
    "/learn/": dict.fromkeys(ROLES, OK),
    "/learn/search/?q=pain": dict.fromkeys(ROLES, OK),
    "/learn/glossary/": dict.fromkeys(ROLES, OK),
    "/learn/what-is-oih/": dict.fromkeys(ROLES, OK),
    # A revision as it will look: for the staff who write and check articles.
    "/learn/what-is-oih/preview/1/": {
        **dict.fromkeys(ROLES, GONE),
        **dict.fromkeys(["editor", "clinician", "superuser"], OK),
    },
    "/intake/": dict.fromkeys(ROLES, OK),
    "/intake/resume/": dict.fromkeys(ROLES, OK),
    "/intake/resume/not-a-real-token/": dict.fromkeys(ROLES, RESUME),
    # Only a patient holding an unfinished intake reaches the steps; one who has sent
    # theirs is shown their thank-you page.
    "/intake/about-you/": {**dict.fromkeys(ROLES, RESUME), "patient": OK, "other_patient": DONE},
    "/intake/check/": {**dict.fromkeys(ROLES, RESUME), "patient": OK, "other_patient": DONE},
    "/intake/done/": {**dict.fromkeys(ROLES, START), "other_patient": OK},
    "/intake/done/answers/": {**dict.fromkeys(ROLES, START), "other_patient": OK},
    "/intake/save/": {**dict.fromkeys(ROLES, RESUME), "patient": OK, "other_patient": DONE},
    # The product list's search: public data, no answers in it.
    "/intake/medicines/search/": dict.fromkeys(ROLES, OK),
    # The language switcher: anyone, to the same page in the language chosen (English
    # here: the clients visit the other addresses after it, and keep its cookie).
    "/language/en/?next=/es/learn/": dict.fromkeys(ROLES, "/learn/"),
    # Check-ins open only through a follow-up's private link (tests/intake/checkin).
    "/intake/check-in/": dict.fromkeys(ROLES, ENDED),
    "/intake/check-in/link/not-a-real-token/": dict.fromkeys(ROLES, ENDED),
    "/intake/check-in/pain/": dict.fromkeys(ROLES, ENDED),
    "/intake/check-in/doses/medicine/": dict.fromkeys(ROLES, ENDED),
    "/intake/check-in/doses/medicine/1/": dict.fromkeys(ROLES, ENDED),
    "/intake/check-in/done/": dict.fromkeys(ROLES, ENDED),
}

# Admin models: the change list for each role (editors and clinicians are staff).
ADMIN_MODELS = {
    "accounts.user": {"editor": DENIED, "clinician": DENIED, "superuser": OK},
    "auth.group": {"editor": DENIED, "clinician": DENIED, "superuser": OK},
    "axes.accessattempt": {"editor": DENIED, "clinician": DENIED, "superuser": OK},
    "axes.accessfailurelog": {"editor": DENIED, "clinician": DENIED, "superuser": OK},
    "axes.accesslog": {"editor": DENIED, "clinician": DENIED, "superuser": OK},
    "otp_totp.totpdevice": {"editor": DENIED, "clinician": DENIED, "superuser": OK},
    # Clinicians read articles and sign revisions off; editors write them.
    "education.article": {"editor": OK, "clinician": OK, "superuser": OK},
    "education.articlerevision": {"editor": OK, "clinician": OK, "superuser": OK},
    "education.glossaryterm": {"editor": OK, "clinician": DENIED, "superuser": OK},
    "intake.patient": {"editor": DENIED, "clinician": OK, "superuser": OK},
    "intake.intake": {"editor": DENIED, "clinician": OK, "superuser": OK},
    "intake.screening": {"editor": DENIED, "clinician": OK, "superuser": OK},
    "intake.review": {"editor": DENIED, "clinician": OK, "superuser": OK},
    "intake.patientmatch": {"editor": DENIED, "clinician": OK, "superuser": OK},
    "intake.accesslog": {"editor": DENIED, "clinician": DENIED, "superuser": OK},
}


def site_url_patterns():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if pattern.app_name != "admin":
                    yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    # The language prefix reads the active language: a Spanish page fetched by an earlier test
    # leaves "es/" active in this thread.
    with translation.override("en"):
        return set(walk(get_resolver().url_patterns))


def test_the_site_table_covers_every_url_pattern():
    covered = {
        "",
        "healthz",
        "readyz",
        "language/<str:language>/",
        "learn/",
        "learn/search/",
        "learn/glossary/",
        "learn/<slug:slug>/",
        "learn/<slug:slug>/preview/<int:number>/",
        # Stored pictures, tested in tests/education.
        "learn/media/<path:name>",
        "intake/",
        "intake/resume/",
        "intake/resume/<str:token>/",
        "intake/<journey_step:slug>/",
        "intake/done/",
        "intake/done/answers/",
        "intake/save/",
        "intake/medicines/search/",
        # POST-only endpoints, tested below and in the intake tests.
        "intake/keepalive/",
        "intake/medicines/<int:medicine_id>/remove/",
        "intake/medicines/undo-remove/",
        "intake/check-in/",
        "intake/check-in/link/<str:token>/",
        "intake/check-in/<check_in_step:slug>/",
        "intake/check-in/doses/medicine/",
        "intake/check-in/doses/medicine/<int:medicine_id>/",
        "intake/check-in/done/",
    }
    assert site_url_patterns() == covered


def test_the_admin_table_covers_every_registered_model():
    assert {m._meta.label_lower for m in admin.site._registry} == set(ADMIN_MODELS)


@pytest.fixture
def clients(content):
    """A signed-in client per role; 'patient' holds an unfinished intake, 'other_patient'
    a submitted one."""
    patient, other_patient = Client(), Client()
    start(patient)
    fill_all_steps(other_patient)
    submit(other_patient)
    staff = {
        "editor": make_staff("editor", "Content editors"),
        "clinician": make_staff("clinician", "Clinicians"),
        "superuser": make_staff("boss", is_superuser=True),
    }
    result = {"anonymous": Client(), "patient": patient, "other_patient": other_patient}
    for role, user in staff.items():
        result[role] = login_staff(Client(), user)
    return result


def outcome(response):
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    for name, prefix in (
        ("login", "/admin/login/"),
        ("resume", "/intake/resume/"),
        ("done", "/intake/done/"),
        (CHECK_IN, "/intake/check-in/"),
        ("start", "/intake/"),
    ):
        if location.startswith(prefix):
            return name
    return location


def test_every_site_url_for_every_role(clients):
    results = {(url, role): outcome(clients[role].get(url)) for url in SITE_URLS for role in ROLES}
    expected = {(url, role): SITE_URLS[url][role] for url in SITE_URLS for role in ROLES}
    assert results == expected


def test_every_spanish_address_for_every_role_as_its_english_one(clients):
    """The same pages under /es/ with Spanish words: the same status, and a redirect to
    the Spanish address of the same page."""
    spanish = {url: in_language(url, "es") for url in SITE_URLS if url.startswith(PATIENT_PAGES)}
    results, expected = {}, {}
    for url, address in spanish.items():
        assert address.startswith(("/es/guias/", "/es/formulario/")), address
        for role in ROLES:
            response = clients[role].get(address)
            if response.status_code == 302:
                location = response["Location"]
                assert location.startswith("/es/"), (address, role, location)
                response["Location"] = address_in(location, "en")
            results[(url, role)] = outcome(response)
            expected[(url, role)] = SITE_URLS[url][role]
    assert results == expected


def test_every_admin_model_for_every_role(clients):
    results, expected = {}, {}
    for label, by_role in ADMIN_MODELS.items():
        url = reverse(f"admin:{label.replace('.', '_')}_changelist")
        for role in ROLES:
            results[(label, role)] = outcome(clients[role].get(url))
            expected[(label, role)] = by_role.get(role, LOGIN)
    assert results == expected


def test_admin_pages_of_one_patients_intake_by_role(clients):
    intake = Intake.objects.get(status=Intake.Status.SUBMITTED)
    url = reverse("admin:intake_intake_change", args=[intake.pk])
    assert {role: outcome(clients[role].get(url)) for role in ROLES} == {
        "anonymous": LOGIN,
        "patient": LOGIN,
        "other_patient": LOGIN,
        "editor": DENIED,
        "clinician": OK,
        "superuser": OK,
    }


@pytest.mark.parametrize(
    ("name", "clinician_may"),
    [("admin:intake_intake_summary", OK), ("admin:intake_intake_follow_up", OK)],
)
def test_the_summary_and_follow_up_pages_by_role(clients, name, clinician_may):
    intake = Intake.objects.get(status=Intake.Status.SUBMITTED)
    url = reverse(name, args=[intake.pk])
    assert {role: outcome(clients[role].get(url)) for role in ROLES} == {
        "anonymous": LOGIN,
        "patient": LOGIN,
        "other_patient": LOGIN,
        "editor": DENIED,
        "clinician": clinician_may,
        "superuser": OK,
    }


def test_a_patient_can_remove_only_their_own_medicines(clients):
    with open("tests/cases/pub-01-oih-hydrocodone.json") as case:
        imported = import_document(json.load(case))
    theirs = imported.medicines.get()
    add_medicine(clients["patient"])
    mine = IntakeMedicine.objects.exclude(intake=imported).get(intake__status="in_progress")
    clients["patient"].post(f"/intake/medicines/{theirs.pk}/remove/")
    clients["patient"].post(f"/intake/medicines/{mine.pk}/remove/")
    assert IntakeMedicine.objects.filter(pk=theirs.pk).exists()
    assert not IntakeMedicine.objects.filter(pk=mine.pk).exists()


def test_only_the_patient_who_removed_a_medicine_can_put_it_back(clients):
    before = set(IntakeMedicine.objects.values_list("pk", flat=True))
    add_medicine(clients["patient"])
    mine = IntakeMedicine.objects.exclude(pk__in=before).get()
    clients["patient"].post(f"/intake/medicines/{mine.pk}/remove/")
    clients["other_patient"].post("/intake/medicines/undo-remove/")
    clients["editor"].post("/intake/medicines/undo-remove/")
    assert set(IntakeMedicine.objects.values_list("pk", flat=True)) == before
    clients["patient"].post("/intake/medicines/undo-remove/")
    [back] = IntakeMedicine.objects.exclude(pk__in=before)
    assert (back.intake_id, back.daily_dose) == (mine.intake_id, mine.daily_dose)


def test_a_clinician_without_the_second_factor_sees_no_patient_data(client):
    clinician = make_staff("clinician", "Clinicians")
    client.force_login(clinician)  # password only
    response = client.get(reverse("admin:intake_screening_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get(response["Location"])["Location"].startswith("/admin/two-factor/")


def test_an_editor_needs_no_second_factor(client):
    client.force_login(make_staff("editor", "Content editors"))
    assert client.get(reverse("admin:education_article_changelist")).status_code == 200
