"""After a test that commits, the database is put back to its starting rows (tests/database.py),
sequences included: a test that migrates a table away and back starts its sequence again at 1,
and the next test's insert must not collide with a starting row."""

import pytest
from django.db import connection

from education.models import Article, ArticleRevision
from tests.database import back_to_starting_point

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_sequence_started_again_is_moved_past_the_starting_rows(content):
    highest = ArticleRevision.objects.order_by("-id").values_list("id", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('education_articlerevision', 'id'), 1)"
        )
    back_to_starting_point(connection)
    draft = Article.objects.order_by("pk").first().start_draft(by=None)
    assert draft.pk > highest


def test_a_queued_job_is_gone_after_the_reset():
    from procrastinate.contrib.django.models import ProcrastinateJob

    from oih_site.tasks import queue_email

    queue_email(subject="Hello", body="Hello.", to=["someone@example.org"])
    assert ProcrastinateJob.objects.filter(task_name="send_email").exists()
    back_to_starting_point(connection)
    assert not ProcrastinateJob.objects.exists()
