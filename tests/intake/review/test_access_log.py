"""The access log: every look at an intake is written down; only superusers read it."""

import pytest
from django.urls import reverse

from intake.models import AccessLog
from tests.helpers import login_staff
from tests.intake.review.helpers import (
    intake_url,
)

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
