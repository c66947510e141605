"""A flag raised by a web-form submission reaches the clinician, and nobody else."""

import pytest
from django.test import Client
from django.urls import reverse

from intake.models import Intake
from tests.helpers import login_staff, make_staff
from tests.intake.journey import fill_all_steps, submit

pytestmark = pytest.mark.django_db


def test_a_flag_from_the_web_form_is_in_the_clinicians_queue_and_nowhere_else(content):
    patient = Client()
    fill_all_steps(patient)
    submit(patient)
    intake = Intake.objects.get()
    assert intake.screenings.get().level == "flag"

    clinician = login_staff(Client(), make_staff("clinician", "Clinicians"))
    queue = clinician.get(reverse("admin:intake_screening_changelist"))
    assert [s.intake.reference for s in queue.context["cl"].result_list] == [intake.reference]
    assert "Rosa Parks-Díaz" in queue.content.decode()

    editor = login_staff(Client(), make_staff("editor", "Content editors"))
    for url in (
        reverse("admin:index"),
        reverse("admin:education_article_changelist"),
        reverse("admin:intake_screening_changelist"),
        reverse("admin:intake_intake_change", args=[intake.pk]),
    ):
        page = editor.get(url).content.decode()
        assert "Rosa Parks" not in page and intake.reference not in page

    for path in ("/intake/done/", "/", "/learn/", "/learn/signs-of-oih/"):
        page = patient.get(path).content.decode().lower()
        assert "flag" not in page and "borderline" not in page
        assert "pain_worse_after_dose_increase" not in page and "mme" not in page
