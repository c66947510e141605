"""The review dashboard: flags per week and how often each rule is overridden."""

import pytest
from django.utils import timezone

from intake.review import dashboard
from tests.intake.review.helpers import (
    DASHBOARD,
)

pytestmark = pytest.mark.django_db


EXPECTED_RATES = [
    ("misuse_signals_present", 1, 0, 1, 0, 100.0),
    ("pain_worse_after_dose_increase", 3, 1, 2, 0, 66.7),
    ("new_allodynia", 4, 1, 2, 1, 50.0),
    ("new_burning_or_diffuse_pain", 4, 1, 2, 1, 50.0),
    ("pain_at_or_above_baseline", 4, 1, 2, 1, 50.0),
    ("pain_spread", 4, 1, 2, 1, 50.0),
    ("no_dose_response_information", 1, 0, 0, 1, 0.0),
]


def test_override_rates_per_rule_are_exact_and_noisiest_first(reviewed):
    rates = dashboard.override_rates()
    assert [
        (r["code"], r["reviews"], r["accepted"], r["overridden"], r["follow_up"], r["percent"])
        for r in rates
    ] == EXPECTED_RATES


def test_weekly_counts_by_level_and_review_status(reviewed):
    weeks = dashboard.weekly_counts(timezone.localdate(reviewed))
    assert len(weeks) == 12
    columns = ("flag", "borderline", "unreviewed", "accepted", "overridden", "follow_up")
    assert [tuple(week[c] for c in columns) for week in weeks[-3:]] == [
        (0, 1, 0, 0, 0, 1),
        (1, 1, 0, 0, 2, 0),
        (2, 0, 1, 1, 0, 0),
    ]
    assert all(week["total"] == 0 for week in weeks[:-3])
    assert weeks[-1]["week"].weekday() == 0


def test_dashboard_page_shows_the_numbers_to_clinicians(clinician_client, reviewed):
    response = clinician_client.get(DASHBOARD)
    assert response.status_code == 200
    assert [
        (r["code"], r["reviews"], r["overridden"], r["percent"]) for r in response.context["rates"]
    ] == [(code, n, o, p) for code, n, _, o, _, p in EXPECTED_RATES]
    content = response.content.decode()
    assert "<code>misuse_signals_present</code>" in content
    assert '<td class="oih-number">66.7%</td>' in content
    assert content.count('fill="#b35900"/>') == 1 + 2  # the key, then two weeks with flags
    assert content.count('stroke="#0063a6" stroke-width="1"/>') == 2  # two with borderline
    assert 'id="weekly-table"' in content
