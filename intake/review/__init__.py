"""What clinicians see and do: reviews (recording) and the alerts they are sent (notifications)."""

# The names the admin and tests import from `intake.review`, until they import the modules.
from intake.review.recording import (  # noqa: F401
    REVIEWABLE_LEVELS,
    AlreadyReviewed,
    card_summary,
    flag_card,
    medicine_rows,
    pain_history,
    recommended_articles,
    record_review,
    review_errors,
)
