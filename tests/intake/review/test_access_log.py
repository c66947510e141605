"""The access log: every look at an intake is written down; only superusers read it."""

import getpass
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from intake.models import AccessLog
from intake.review.access_log import search_hash
from intake.review.recording import record_review
from tests.helpers import login_staff
from tests.intake.review.helpers import intake_url, screening_of

pytestmark = pytest.mark.django_db


def test_access_log_is_for_superusers_only(client, clinician, superuser, flagged):
    login_staff(client, clinician)
    client.get(intake_url(flagged))
    log = AccessLog.objects.get()
    urls = [
        reverse("admin:intake_accesslog_changelist"),
        reverse("admin:intake_accesslog_change", args=[log.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [403, 403]
    index = client.get(reverse("admin:index"))
    assert "accesslog" not in index.content.decode()

    login_staff(client, superuser)
    response = client.get(urls[0])
    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [log.pk]
    assert client.get(urls[1]).status_code == 200
    assert client.get(reverse("admin:intake_accesslog_add")).status_code == 403
    assert client.post(reverse("admin:intake_accesslog_delete", args=[log.pk])).status_code == 403
    assert AccessLog.objects.filter(pk=log.pk).exists()


def logged(**filters):
    return list(
        AccessLog.objects.filter(**filters)
        .order_by("pk")
        .values_list("user__username", "what", "subject", "intake", "patient", "path")
    )


@pytest.mark.parametrize(
    ("url_name", "subject"),
    [
        ("admin:intake_patient_changelist", "patients"),
        ("admin:intake_intake_changelist", "intakes"),
        ("admin:intake_screening_changelist", "screenings"),
        ("admin:intake_review_changelist", "reviews"),
    ],
)
def test_every_list_of_patients_is_logged_with_how_many_rows_it_showed(
    clinician_client, flagged, url_name, subject
):
    url = reverse(url_name)
    response = clinician_client.get(url)
    assert response.status_code == 200
    assert logged() == [("clinician", "list", subject, None, None, url)]
    assert AccessLog.objects.get().record_count == len(response.context["cl"].result_list)


def test_a_search_is_logged_by_its_keyed_hash_never_its_words(clinician_client, flagged):
    url = reverse("admin:intake_patient_changelist")
    response = clinician_client.get(url, {"q": "Grace  HOPPER"})
    assert [p.full_name for p in response.context["cl"].result_list] == ["Grace Hopper"]
    log = AccessLog.objects.get()
    assert (log.what, log.path, log.record_count) == ("search", url, 1)
    assert log.search_hash == search_hash("grace hopper")
    stored = " ".join(str(value) for value in AccessLog.objects.values_list().get())
    assert "grace" not in stored.casefold()


def test_the_patient_page_and_its_history_are_logged_as_that_patient(clinician_client, flagged):
    patient = flagged.patient
    record = reverse("admin:intake_patient_change", args=[patient.pk])
    history = reverse("admin:intake_patient_history", args=[patient.pk])
    assert clinician_client.get(record).status_code == 200
    assert clinician_client.get(history).status_code == 200
    assert logged() == [
        ("clinician", "record", "patient", None, patient.pk, record),
        ("clinician", "history", "patient", None, patient.pk, history),
    ]


def test_intake_screening_and_review_pages_are_logged_as_that_intake(
    clinician_client, clinician, flagged
):
    review = record_review(screening_of(flagged), clinician, "accept")
    urls = [
        reverse("admin:intake_intake_history", args=[flagged.pk]),
        reverse("admin:intake_screening_change", args=[screening_of(flagged).pk]),
        reverse("admin:intake_screening_history", args=[screening_of(flagged).pk]),
        reverse("admin:intake_review_change", args=[review.pk]),
    ]
    assert [clinician_client.get(url).status_code for url in urls] == [200] * 4
    assert [row[1:4] for row in logged()] == [
        ("history", "intake", flagged.pk),
        ("record", "screening", flagged.pk),
        ("history", "screening", flagged.pk),
        ("record", "review", flagged.pk),
    ]


def test_the_intake_page_logs_its_path_without_the_queue_s_search(clinician_client, flagged):
    url = intake_url(flagged)
    clinician_client.get(url, {"_changelist_filters": "q=Grace+Hopper"})
    assert logged() == [("clinician", "record", "intake", flagged.pk, None, url)]


def test_the_admin_autocomplete_is_logged_with_the_term_hashed(clinician_client, flagged):
    response = clinician_client.get(
        "/admin/autocomplete/",
        {"app_label": "intake", "model_name": "intake", "field_name": "patient", "term": "Grace"},
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Grace Hopper"]
    log = AccessLog.objects.get()
    assert (log.what, log.subject, log.path) == ("autocomplete", "patients", "/admin/autocomplete/")
    assert log.search_hash == search_hash("grace")


def test_pages_refused_or_missing_write_no_row(client, editor, clinician_client, flagged):
    clinician_client.get(reverse("admin:intake_patient_change", args=[999999]))
    login_staff(client, editor)
    for url in (
        reverse("admin:intake_patient_changelist"),
        reverse("admin:intake_patient_change", args=[flagged.patient.pk]),
    ):
        assert client.get(url).status_code == 403
    assert AccessLog.objects.count() == 0


def test_an_export_is_logged_with_the_operator_command_and_count(flagged):
    call_command("export_intakes", "--fhir", stdout=StringIO(), stderr=StringIO())
    log = AccessLog.objects.get()
    assert (log.user, log.operator, log.what, log.path, log.record_count) == (
        None,
        getpass.getuser(),
        "export",
        "manage.py export_intakes --fhir",
        2,
    )
