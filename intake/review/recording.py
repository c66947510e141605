"""Recording the clinician's review of a screening: the one write on the clinicians' side.

One review per screening, saved by `record_review` in one transaction; a second review
of the same screening changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from intake.models import MAX_TEXT_LENGTH, Review, Screening

REVIEWABLE_LEVELS = (Screening.Level.FLAG, Screening.Level.BORDERLINE)


class AlreadyReviewed(Exception):
    """The screening has a review already; args[0] is that review."""


def review_errors(decision, override_reason="", note=""):
    """Field name -> ValidationError for a review that cannot be saved as given."""
    errors = {}
    if decision not in Review.Decision.values:
        errors["decision"] = ValidationError(
            "Choose accept, override or needs follow-up.", code="invalid_decision"
        )
    elif decision == Review.Decision.OVERRIDE:
        if not override_reason:
            errors["override_reason"] = ValidationError(
                "Choose the reason you are overriding the flag.", code="override_needs_reason"
            )
        elif override_reason not in Review.OverrideReason.values:
            errors["override_reason"] = ValidationError(
                "Choose one of the listed reasons.", code="invalid_override_reason"
            )
        elif override_reason == Review.OverrideReason.OTHER and not note.strip():
            errors["note"] = ValidationError(
                'Add a note saying why when the reason is "Other".', code="other_needs_note"
            )
    if len(note) > MAX_TEXT_LENGTH:
        errors["note"] = ValidationError(
            f"Keep the note to {MAX_TEXT_LENGTH} characters or fewer.", code="note_too_long"
        )
    return errors


@transaction.atomic
def record_review(screening, user, decision, override_reason="", note=""):
    """Save the one review of a current flag or borderline screening and return it.

    Raises ValidationError for an invalid review and AlreadyReviewed when the screening
    has one: a second review changes nothing.
    """
    errors = review_errors(decision, override_reason, note)
    if errors:
        raise ValidationError(errors)
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
            review = Review.objects.create(
                screening=screening,
                decision=decision,
                override_reason=override_reason if decision == Review.Decision.OVERRIDE else "",
                note=note,
                reviewed_by=user,
            )
            # Kept on the screening too, so one index serves the review queue's order.
            Screening.objects.filter(pk=screening.pk).update(is_reviewed=True)
            return review
    except IntegrityError:
        # The one-review-per-screening constraint: someone else's review got there first.
        existing = Review.objects.filter(screening=screening).first()
        if existing is None:
            raise
        raise AlreadyReviewed(existing) from None
