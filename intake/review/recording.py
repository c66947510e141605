"""Recording the clinician's review of a screening: the one write on the clinicians' side.

One review per screening, saved by `record_review` in one transaction; a second review
of the same screening changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from intake.models import Review, Screening

REVIEWABLE_LEVELS = (Screening.Level.FLAG, Screening.Level.BORDERLINE)


class AlreadyReviewed(Exception):
    """The screening has a review already; args[0] is that review."""


@transaction.atomic
def record_review(screening, user, decision, override_reason="", note=""):
    """Save the one review of a current flag or borderline screening and return it.

    Raises ValidationError for an invalid review and AlreadyReviewed when the screening
    has one: a second review changes nothing.
    """
    review = Review(
        screening=screening,
        decision=decision,
        override_reason=override_reason,
        note=note,
        reviewed_by=user,
    )
    # Review.clean() holds the rules; the database checks the rest when the row goes in.
    review.full_clean(
        exclude=["screening", "reviewed_by"], validate_unique=False, validate_constraints=False
    )
    # The lock makes two clinicians reviewing at once wait for each other.
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    if not screening.is_current or screening.level not in REVIEWABLE_LEVELS:
        raise ValidationError(
            "This screening is not waiting for a review: it was screened again or found "
            "no OIH pattern.",
            code="not_reviewable",
        )
    existing = Review.objects.filter(screening=screening).select_related("reviewed_by").first()
    if existing is not None:
        raise AlreadyReviewed(existing)
    try:
        with transaction.atomic():
            review.screening = screening
            review.save()
            # Kept on the screening too, so one index serves the review queue's order.
            Screening.objects.filter(pk=screening.pk).update(is_reviewed=True)
            return review
    except IntegrityError:
        # The one-review-per-screening constraint: someone else's review got there first.
        existing = Review.objects.filter(screening=screening).first()
        if existing is None:
            raise
        raise AlreadyReviewed(existing) from None
