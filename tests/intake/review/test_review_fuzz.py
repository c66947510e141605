"""Generated bad input at the clinician's one form, the review on the intake page: every
answer is the page with a message, or a review stored once that keeps every rule."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake.models import Review, Screening
from tests.fuzzing import EXAMPLES_PER_FORM, FUZZ
from tests.intake.review.helpers import intake_url, screening_of
from tests.intake.test_fuzz import NASTY_TEXT, mutated

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]
REVIEW_FIELD = st.one_of(
    NASTY_TEXT,
    st.sampled_from([*Review.Decision.values, *Review.OverrideReason.values]),
    st.lists(NASTY_TEXT, max_size=3),
    st.none(),
)


def test_generated_reviews_are_stored_whole_or_refused_with_a_message(clinician_client, flagged):
    screening = screening_of(flagged)
    count = [0]
    stored = [0]

    valid = {"screening": str(screening.pk), "decision": "override", "note": ""}
    valid["override_reason"] = "tolerance"

    @FUZZ
    @given(data=mutated(valid, sorted(valid)) | st.fixed_dictionaries({"decision": REVIEW_FIELD}))
    def post(data):
        count[0] += 1
        sent = {key: value for key, value in data.items() if value is not None}
        response = clinician_client.post(intake_url(flagged), sent)
        assert response.status_code in (200, 302), response.status_code
        reviews = list(Review.objects.filter(screening=screening))
        assert len(reviews) <= 1
        if reviews:
            stored[0] += 1
            review = reviews[0]
            review.full_clean(exclude=["screening", "reviewed_by"], validate_unique=False)
            assert "\x00" not in review.note
            # Let the next input meet an open screening again.
            review.delete()
            Screening.objects.filter(pk=screening.pk).update(is_reviewed=False)

    post()
    print(f"\nFUZZ review form: {count[0]} inputs, {stored[0]} stored")
    assert count[0] >= EXAMPLES_PER_FORM // 2
    assert stored[0] > 0, "some generated reviews were valid and stored"
