import json

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from intake.exchange.imports import import_document
from intake.models import Intake
from intake.review.recording import record_review
from oih_site.backups import database_url
from tests.helpers import make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_database(worker_id):
    # One name per xdist worker ("master" without xdist), so parallel runs never share it.
    restore_db = f"oih_restore_check_{worker_id}"
    admin_url = database_url(name="postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {restore_db} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {restore_db}")
    yield database_url(name=restore_db)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {restore_db} WITH (FORCE)")


def test_a_backup_restores_into_a_fresh_database_with_every_intake_and_review(
    tmp_path, fresh_database
):
    clinician = make_staff("clinician", "Clinicians")
    for name in ("pub-01-oih-hydrocodone", "pub-06-oih-with-misuse", "pub-08-no-dose-response"):
        with open(f"tests/cases/{name}.json") as case:
            import_document(json.load(case))
    flagged = Intake.objects.get(clinic_reference="pub-01-oih-hydrocodone").screenings.get()
    record_review(flagged, clinician, "accept")
    dump = tmp_path / "clinic.dump"

    call_command("backup_database", output=str(dump))
    call_command("restore_database", str(dump), database_url=fresh_database, yes=True)

    with psycopg.connect(fresh_database) as restored:
        references = [
            row[0]
            for row in restored.execute(
                "SELECT clinic_reference FROM intake_intake ORDER BY clinic_reference"
            )
        ]
        reviews = restored.execute(
            "SELECT decision, s.level FROM intake_review r "
            "JOIN intake_screening s ON s.id = r.screening_id"
        ).fetchall()
    assert references == [
        "pub-01-oih-hydrocodone",
        "pub-06-oih-with-misuse",
        "pub-08-no-dose-response",
    ]
    assert reviews == [("accept", "flag")]
    assert connection.settings_dict["NAME"] not in fresh_database


def test_restore_asks_for_confirmation(tmp_path):
    with pytest.raises(CommandError, match="add --yes"):
        call_command("restore_database", str(tmp_path / "x.dump"))
