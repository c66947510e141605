"""No server error for out-of-range input (issue 23, finding 5).

Numbers too big for their column, doses that round to nothing, odd picture names and
addresses, an admin id that is not a number, and pictures too tall for WebP or resized to no
height: each gets a message at its field (or a 404), never a 500.
"""

import pytest
from django.test import Client
from django.urls import reverse

from education.models import ArticleFigure
from intake.models import IntakeMedicine
from tests.education.factories import edit_draft, make_article
from tests.education.test_admin import png_upload, revision_form_data
from tests.helpers import login_staff
from tests.intake.checkin.helpers import make_first_visit, start_follow_up
from tests.intake.journey import VALID_MEDICINE, form_token, post, start

pytestmark = pytest.mark.django_db
TOO_BIG = "That makes a day&#x27;s dose too big to be right."


def _add_medicine(client, **fields):
    token = form_token(client.get("/intake/medicines/"))
    return post(client, "/intake/medicines/", {**VALID_MEDICINE, "form_token": token, **fields})


@pytest.mark.parametrize(
    "fields",
    [
        # A name kept as typed, its strength far past any column.
        {"medicine": "Mysteryopioid", "product": "unlisted", "strength_typed": "99999999999 mg"},
        # Kept as typed: 5,000,000 mg, 10,000 at a time, 24 times a day.
        {
            "medicine": "Mysteryopioid",
            "product": "unlisted",
            "strength_typed": "5000000 mg",
            "amount": "10000",
            "times_per_day": "24",
        },
        {
            "medicine": "Mysteryopioid",
            "product": "unlisted",
            "strength_typed": "1" + "0" * 40 + " mg",
        },
    ],
)
def test_a_number_too_big_to_store_is_asked_again(client, fields):
    start(client)
    response = _add_medicine(client, **fields)
    assert response.status_code == 200
    assert TOO_BIG in response.content.decode()
    assert IntakeMedicine.objects.count() == 0


TOO_SMALL = "That is too small to be a day&#x27;s dose."
NOT_A_NUMBER = "Enter the amount as a number, like 40, or tick that you stopped."


@pytest.mark.parametrize(
    ("dose", "message"),
    [
        ("0.001", TOO_SMALL),
        ("0.005", TOO_SMALL),
        ("0.004", TOO_SMALL),
        # Not a way patients write numbers: refused as not a number, never stored as 0.
        ("1e-9", NOT_A_NUMBER),
    ],
)
def test_a_check_in_dose_that_rounds_to_nothing_is_asked_again(client, clinician, dose, message):
    first = make_first_visit()
    link = start_follow_up(login_staff(Client(), clinician), first)
    client.get(link)
    client.post("/intake/check-in/")
    page = client.get("/intake/check-in/doses/").content.decode()
    [field] = [
        name for name in ("dose_" + str(m.pk) for m in IntakeMedicine.objects.all()) if name in page
    ]
    response = post(client, "/intake/check-in/doses/", {field: dose})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert IntakeMedicine.objects.filter(daily_dose__lte=0).count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/learn/media/figures/",
        "/learn/media/figures/.",
        "/learn/media/figures/" + "a" * 300 + ".webp",
        "/learn/media/figures/a%00.webp",
        "/learn/media/figures//etc/passwd",
    ],
)
def test_odd_picture_addresses_are_not_found(client, settings, tmp_path, path):
    # As deployed: the pictures' folder exists (a folder opened as a file is an error).
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "figures").mkdir(parents=True)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("model", ["article", "glossaryterm", "articlerevision"])
def test_an_admin_history_with_a_wrong_id_is_not_found(editor_client, model):
    response = editor_client.get(f"/admin/education/{model}/abc/history/")
    assert response.status_code in (302, 404)


@pytest.mark.usefixtures("empty_site")
@pytest.mark.parametrize(
    ("size", "message"),
    [
        # Past WebP's 16,383 px once stored at the column's width.
        ((400, 17000), "too tall or too wide"),
        # 1,600 px wide, it would be resized to no height at all.
        ((20000, 1), "too tall or too wide"),
    ],
)
def test_a_picture_webp_cannot_hold_is_refused_at_the_field(
    editor_client, settings, tmp_path, size, message
):
    settings.MEDIA_ROOT = tmp_path / "media"
    draft = edit_draft(make_article())
    figure = {
        "key": "chart",
        "diagram": "",
        "image": png_upload(*size),
        "alt_text": "A chart.",
        "caption": "The chart.",
        "order": "0",
    }
    url = reverse("admin:education_articlerevision_change", args=[draft.pk])
    response = editor_client.post(url, revision_form_data(draft, figures=[figure]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert message in errors["image"][0]
    assert ArticleFigure.objects.count() == 0
