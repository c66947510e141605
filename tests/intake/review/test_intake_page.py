"""The intake page: the flag card, the visit, medicines and MME, the body map, articles, answers."""

import pytest
from django.urls import reverse

from intake.models import AccessLog, Intake
from intake.review.flag_card import card_summary
from tests.intake.review.helpers import (
    FLAG_CASE,
    INTAKE_PAGE_QUERIES,
    MISUSE_CASE,
    TOLERANCE_CASE,
    intake_url,
    make_intake,
    screening_of,
)

pytestmark = pytest.mark.django_db


def test_intake_page_shows_the_card_with_reasons_evidence_and_sources(clinician_client, flagged):
    response = clinician_client.get(intake_url(flagged))
    assert response.status_code == 200
    card = response.context["card"]
    assert card["indicator"] == "warning"
    assert card["summary"] == (
        "OIH pattern to review: pain got worse after the opioid dose was increased "
        "(major feature M1)."
    )
    assert len(card["summary"]) < 140
    assert [reason["code"] for reason in card["reasons"]] == [
        "pain_worse_after_dose_increase",
        "pain_spread",
        "new_allodynia",
        "new_burning_or_diffuse_pain",
        "pain_at_or_above_baseline",
    ]
    assert card["reasons"][0]["evidence"] == [("Pain when dose increased", "My pain got worse")]
    assert card["reasons"][1]["evidence"] == [
        ("Current pain sites", "Lower back, Neck, Left upper arm, Right upper arm"),
        ("New regions since last visit", "Neck, Left upper arm, Right upper arm"),
        ("Original pain sites", "Lower back"),
    ]
    assert card["rules_version"] == "2026.3"
    content = response.content.decode()
    for text in [
        "Pain got worse after the opioid dose was increased (major feature M1).",
        '<span class="oih-key">Pain when dose increased:</span> My pain got worse',
        '<span class="oih-key">Pain score now:</span> 8',
        "Source: Chen L, Mao J et al., Pain 2009;143:65-70 (Table 4); oih-facts section 4",
        "Indicator: warning",
        "Screening rules 2026.3",
        "Estimated 60.0 MME/day is at or above 50, the CDC 2022 pause-and-reassess level.",
    ]:
        assert text in content, text


def test_intake_page_shows_the_visit_and_links_the_previous_one(clinician_client, flagged):
    response = clinician_client.get(intake_url(flagged))
    content = response.content.decode()
    assert "Grace Hopper" in content
    assert "9 Dec 1960" in content
    assert "clinic-42" in content
    assert response.context["history"]["visit_number"] == 2
    previous = flagged.previous_intake
    assert f'href="{intake_url(previous)}">previous visit {previous.reference}</a>' in content
    rows = response.context["history"]["rows"]
    assert [(row["pain_now"], row["peg"], row["is_this_visit"]) for row in rows] == [
        (6, 5.0, False),
        (8, 7.7, True),
    ]
    assert content.count('r="4.5" fill="#c1440e"/>') == 2
    assert "Pain and PEG over visits" in content


def test_intake_page_shows_mme_items_total_and_caveats(clinician_client, flagged):
    response = clinician_client.get(intake_url(flagged))
    medicines = response.context["medicines"]
    assert [(r["name"], r["dose"], r["factor"], r["mme"]) for r in medicines["rows"]] == [
        ("Hydrocodone", "60 mg/day", 1.0, 60.0)
    ]
    assert medicines["total"] == 60.0
    content = response.content.decode()
    for text in [
        "MME figures are estimates only",
        "Do not use them to convert a patient from one opioid to another.",
        "Take extra care with methadone and fentanyl",
        "Buprenorphine has no MME factor: it is shown, not added to the total.",
        "Total MME/day",
    ]:
        assert text in content, text


def test_buprenorphine_is_shown_but_not_added(clinician_client):
    intake = make_intake(
        FLAG_CASE,
        opioids=[
            {
                "name": "hydrocodone",
                "formulation": "immediate_release",
                "daily_dose": 60,
                "unit": "mg/day",
            },
            {
                "name": "buprenorphine",
                "formulation": "sublingual",
                "daily_dose": 8,
                "unit": "mg/day",
            },
        ],
    )
    medicines = clinician_client.get(intake_url(intake)).context["medicines"]
    assert [(r["name"], r["mme"], r["note"]) for r in medicines["rows"]] == [
        ("Hydrocodone", 60.0, "Yes"),
        ("Buprenorphine", None, "No MME factor: shown, not added"),
    ]
    assert medicines["total"] == 60.0


def test_intake_page_shows_the_body_map_with_new_sites(clinician_client, flagged):
    response = clinician_client.get(intake_url(flagged))
    content = response.content.decode()
    assert "css/body_map.css" in content
    assert '<figure class="bm-picture">' in content
    assert response.context["new_sites"] == ["neck", "left_upper_arm", "right_upper_arm"]
    assert "<strong>New since last visit:</strong> Neck, Right upper arm, Left upper arm" in content
    assert content.count('data-region="neck"') == 2  # hurts now, and new
    assert "<strong>Where pain started:</strong> Lower back" in content


def test_intake_page_lists_the_articles_the_patient_was_offered(clinician_client, flagged):
    response = clinician_client.get(intake_url(flagged))
    assert [(a["title"], a["url"]) for a in response.context["articles"]] == [
        ("What is opioid-induced hyperalgesia?", "/learn/what-is-oih/"),
        ("How OIH is managed", "/learn/managing-oih/"),
        ("Signs to tell your clinician", "/learn/signs-of-oih/"),
        ("Is it OIH or tolerance?", "/learn/oih-or-tolerance/"),
    ]
    content = response.content.decode()
    assert '<a href="/learn/what-is-oih/">What is opioid-induced hyperalgesia?</a>' in content


def test_intake_page_shows_all_answers(clinician_client, flagged):
    content = clinician_client.get(intake_url(flagged)).content.decode()
    for text in [
        "About the patient",
        "Opioids over time",
        "Dose changes and your pain",
        "Where it hurts",
        "How it hurts",
        "Other questions",
        '<th scope="row">When the dose went up</th><td>My pain got worse</td>',
    ]:
        assert text in content, text


def test_viewing_an_intake_writes_exactly_one_access_log_row(clinician_client, clinician, flagged):
    url = intake_url(flagged)
    clinician_client.get(url)
    assert list(AccessLog.objects.values_list("user", "intake", "action", "path")) == [
        (clinician.pk, flagged.pk, "view", url)
    ]


def test_viewing_a_screening_detail_writes_one_access_log_row(clinician_client, clinician, flagged):
    url = reverse("admin:intake_screening_change", args=[screening_of(flagged).pk])
    assert clinician_client.get(url).status_code == 200
    assert list(AccessLog.objects.values_list("user", "intake", "action", "path")) == [
        (clinician.pk, flagged.pk, "view", url)
    ]


def test_an_intake_without_a_flag_shows_no_card_and_no_form(clinician_client):
    intake = make_intake(TOLERANCE_CASE)
    response = clinician_client.get(intake_url(intake))
    assert response.context["card"] is None
    assert response.context["form"] is None
    assert "OIH level: none" in response.content.decode()


def test_unfinished_intakes_are_not_shown(clinician_client):
    unfinished = Intake(full_name="Not Yet")
    unfinished.issue_resume_secrets()
    unfinished.save()
    response = clinician_client.get(intake_url(unfinished))
    assert response.status_code == 302
    assert AccessLog.objects.count() == 0


def test_borderline_card_is_info(clinician_client):
    intake = make_intake(MISUSE_CASE)
    card = clinician_client.get(intake_url(intake)).context["card"]
    assert card["indicator"] == "info"
    assert card["reasons"][-1]["evidence"] == [
        (
            "Signs of misuse",
            "I have asked for a refill early, I have taken more than my prescription says",
        )
    ]


def test_card_summary_stays_under_140_characters():
    long_reason = [{"summary": "Pain " + "spread " * 40 + "everywhere."}]
    summary = card_summary("borderline", long_reason)
    assert len(summary) < 140
    assert summary.startswith("Partial OIH pattern (borderline, lower priority): pain spread")
    assert summary.endswith("…")
    assert card_summary("flag", []) == "OIH pattern to review."


@pytest.mark.parametrize("visits", [1, 3])
def test_intake_page_query_count_does_not_grow_with_the_visits(
    clinician_client, django_assert_num_queries, visits
):
    for number in range(visits):
        latest = make_intake(
            FLAG_CASE,
            reference=f"visits-{visits}",
            name=f"Visits {visits}",
            days_ago=30 * (visits - number),
        )
    with django_assert_num_queries(INTAKE_PAGE_QUERIES):
        response = clinician_client.get(reverse("admin:intake_intake_change", args=[latest.pk]))
    assert response.status_code == 200


def test_a_medicine_shows_its_product_what_was_entered_and_the_patients_confirmation(
    clinician_client,
):
    intake = make_intake(
        FLAG_CASE,
        opioids=[
            {
                "name": "oxycodone",
                "formulation": "immediate_release",
                "daily_dose": 120,
                "unit": "mg/day",
                "product": "percocet",
                "strength": "10 mg/325 mg",
                "schedule": {"amount": 2, "times_per_day": 6, "amount_unit": "tablet"},
            }
        ],
    )
    intake.medicines.update(confirmed_by_patient=["above_label_maximum"])
    response = clinician_client.get(intake_url(intake))
    [row] = response.context["medicines"]["rows"]
    assert (row["name"], row["generic"], row["dose"], row["mme"]) == (
        "Percocet",
        "Oxycodone",
        "120 mg/day",
        180.0,
    )
    assert row["entered_as"] == "Percocet 10 mg/325 mg, 2 tablets 6 times a day"
    assert row["confirmations"] == ["above the label's usual maximum"]
    content = response.content.decode()
    assert "As entered: Percocet 10 mg/325 mg, 2 tablets 6 times a day" in content
    assert "Confirmed by the patient: above the label&#x27;s usual maximum" in content


def _page_of_intake_answered_in(client, language, details):
    intake = make_intake(FLAG_CASE)
    intake.language, intake.new_injury_details = language, details
    intake.save(update_fields=["language", "new_injury_details"])
    return client.get(intake_url(intake)).content.decode()


def test_the_clinician_sees_the_patients_language_and_their_typed_words_marked(clinician_client):
    content = _page_of_intake_answered_in(
        clinician_client, Intake.Language.SPANISH, "Me caí en la escalera en marzo."
    )
    assert "<dt>Answered in</dt><dd>Spanish</dd>" in content
    # The answers are in English; the typed words stay as typed, marked as Spanish.
    assert "New injury, surgery or worse health problem" in content
    assert (
        '<span lang="es">Me caí en la escalera en marzo.</span> '
        '<span class="oih-muted oih-typed-language">(typed in Spanish)</span>'
    ) in content

    content = _page_of_intake_answered_in(
        clinician_client, Intake.Language.ENGLISH, "Fell on the stairs."
    )
    assert "<dt>Answered in</dt><dd>English</dd>" in content
    assert "Fell on the stairs." in content and "typed in" not in content

    content = _page_of_intake_answered_in(clinician_client, "", "")
    assert "<dt>Answered in</dt><dd>Not recorded</dd>" in content
