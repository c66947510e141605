"""Recording the clinician's review of a screening: the one write on the clinicians' side.

One review per screening, covering its OIH level and its alerts, saved by `record_review`
in one transaction; a second review of the same screening changes nothing. A review is
changed only by `amend_review`, and django-simple-history keeps every earlier version.
`assign` gives a waiting item to a clinician ("My items").
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.models import MAX_TEXT_LENGTH, Review, Screening
from intake.review import notifications

REVIEWABLE_LEVELS = (Screening.Level.FLAG, Screening.Level.BORDERLINE)


class AlreadyReviewed(Exception):
    """The screening has a review already; args[0] is that review."""


def is_reviewable(screening):
    """A current screening with an OIH level or an urgent or warning alert."""
    return screening.is_current and screening.priority is not None


@transaction.atomic
def record_review(
    screening, user, decision="", override_reason="", note="", *, action="", follow_up_due=None
):
    """Save the one review of a current screening that needs a clinician and return it.

    Raises ValidationError for an invalid review and AlreadyReviewed when the screening
    has one: a second review changes nothing.
    """
    # The lock makes two clinicians reviewing at once wait for each other.
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    review = Review(
        screening=screening,
        decision=decision,
        action=action,
        override_reason=override_reason,
        note=note,
        follow_up_due=follow_up_due,
        reviewed_by=user,
    )
    if not is_reviewable(screening):
        raise ValidationError(
            "This screening is not waiting for a review: it was screened again or found "
            "nothing for a clinician.",
            code="not_reviewable",
        )
    # Review.clean() holds the rules; the database checks the rest when the row goes in.
    review.full_clean(
        exclude=["screening", "reviewed_by"], validate_unique=False, validate_constraints=False
    )
    existing = Review.objects.filter(screening=screening).select_related("reviewed_by").first()
    if existing is not None:
        raise AlreadyReviewed(existing)
    try:
        with transaction.atomic():
            review.save()
            # Kept on the screening too, so one index serves the worklist's order.
            Screening.objects.filter(pk=screening.pk).update(is_reviewed=True)
            return review
    except IntegrityError:
        # The one-review-per-screening constraint: someone else's review got there first.
        existing = Review.objects.filter(screening=screening).first()
        if existing is None:
            raise
        raise AlreadyReviewed(existing) from None


@transaction.atomic
def amend_review(
    review, user, decision="", override_reason="", note="", *, action="", follow_up_due=None
):
    """Change a recorded review; the version before stays in its history. Returns it."""
    review = Review.objects.select_for_update().select_related("screening").get(pk=review.pk)
    review.decision, review.action = decision, action
    review.override_reason, review.note = override_reason, note
    review.follow_up_due = follow_up_due
    review.full_clean(
        exclude=["screening", "reviewed_by"], validate_unique=False, validate_constraints=False
    )
    review.reviewed_by = user
    review.amended_at = timezone.now()
    review.save()
    return review


@transaction.atomic
def assign(screening, clinician, *, by=None, note=""):
    """Give the item to a clinician (None to nobody) with a hand-off note; it follows the
    intake's rescreens. The colleague is emailed a link (not the note, which may name the
    patient), queued in this transaction, when they have an address and are not the one
    assigning. Returns the email job's id, or None."""
    if len(note) > MAX_TEXT_LENGTH:
        raise ValidationError(
            f"Keep the note to {MAX_TEXT_LENGTH} characters or fewer.", code="note_too_long"
        )
    now = timezone.now()
    Screening.objects.filter(pk=screening.pk).update(
        assigned_to=clinician,
        assigned_by=by if clinician else None,
        assigned_at=now if clinician else None,
        handoff_note=note.strip() if clinician else "",
    )
    screening.assigned_to = clinician
    screening.assigned_by, screening.assigned_at = (by, now) if clinician else (None, None)
    screening.handoff_note = note.strip() if clinician else ""
    if clinician is None or clinician == by or not clinician.email:
        return None
    return notifications.notify_hand_off(screening, clinician, by)
