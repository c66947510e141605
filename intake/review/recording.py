"""The clinician's review of a screening: what the intake page shows, and recording the review.

Plain functions over the models. The page reads the stored result of the current
screening; it never re-runs the rules. A review is the clinician's one write: one
per screening, saved by `record_review` in one transaction.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from education.models import Article
from intake import choices
from intake.models import MAX_TEXT_LENGTH, Review, Screening

REVIEWABLE_LEVELS = (Screening.Level.FLAG, Screening.Level.BORDERLINE)

# CDS Hooks (oih-facts section 7): a card's summary is one sentence under 140 characters,
# its indicator info or warning (critical is not used here).
SUMMARY_LIMIT = 140
CARD_INDICATORS = {Screening.Level.FLAG: "warning", Screening.Level.BORDERLINE: "info"}
CARD_LEADS = {
    Screening.Level.FLAG: "OIH pattern to review",
    Screening.Level.BORDERLINE: "Partial OIH pattern (borderline, lower priority)",
}

# The words patients chose, for evidence answers stored as codes.
EVIDENCE_CHOICES = {
    "dose_change_last_6_months": choices.DoseChange,
    "pain_when_dose_increased": choices.PainResponse,
    "pain_when_dose_decreased": choices.PainResponse,
    "pain_between_doses_or_missed_dose": choices.BetweenDoses,
    "withdrawal_symptoms_between_doses": choices.WithdrawalSymptom,
    "original_pain_sites": choices.BodyRegion,
    "current_pain_sites": choices.BodyRegion,
    "new_regions_since_last_visit": choices.BodyRegion,
    "new_pain_qualities": choices.PainQuality,
    "signs_of_misuse": choices.MisuseSign,
}

# Pain over time: at most this many visits are drawn, the latest ones.
CHART_VISITS = 12
CHART_WIDTH, CHART_HEIGHT = 520, 210
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 40, 16, 12, 44


class AlreadyReviewed(Exception):
    """The screening has a review already; args[0] is that review."""


# Recording a review ----------------------------------------------------------


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


# What the intake page shows --------------------------------------------------


def flag_card(screening):
    """The screening as a CDS Hooks-style card, or None when there is nothing to review."""
    if screening is None or screening.level not in REVIEWABLE_LEVELS:
        return None
    reasons = screening.reasons
    return {
        "summary": card_summary(screening.level, reasons),
        "indicator": CARD_INDICATORS[screening.level],
        "level": screening.get_level_display(),
        "reasons": [
            {
                "code": reason["code"],
                "summary": reason["summary"],
                "evidence": evidence_rows(reason.get("evidence") or {}),
                "source": reason.get("source", ""),
            }
            for reason in reasons
        ],
        "rules_version": screening.rules_version,
        "is_repeat_of_reviewed": screening.is_repeat_of_reviewed,
    }


def card_summary(level, reasons):
    """One sentence under SUMMARY_LIMIT characters: the level, then the top reason."""
    lead = CARD_LEADS[level]
    if not reasons:
        return f"{lead}."
    top = reasons[0]["summary"].rstrip(".")
    if top[1:2].islower():
        top = top[0].lower() + top[1:]
    sentence = f"{lead}: {top}."
    if len(sentence) < SUMMARY_LIMIT:
        return sentence
    return sentence[: SUMMARY_LIMIT - 2].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def evidence_rows(evidence):
    """The answers behind a reason as (label, value) pairs, values in the patient's words."""
    # Sorted, since the database does not keep the keys in the order the rules wrote them.
    return [(_key_label(key), _evidence_value(key, evidence[key])) for key in sorted(evidence)]


def _key_label(key):
    return key.replace("_", " ").capitalize()


def _evidence_value(key, value):
    labels = dict(EVIDENCE_CHOICES[key].choices) if key in EVIDENCE_CHOICES else {}
    if isinstance(value, list):
        return ", ".join(str(labels.get(item, item)) for item in value) or "None"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "Not answered"
    return str(labels.get(value, value))


def medicine_rows(intake, result):
    """Each listed medicine with its MME from the stored result, and the total."""
    medicines = list(intake.medicines.all())
    mme = result.get("mme", {})
    items = mme.get("items", [])
    # The result counts only the opioids taken now, in the order they were listed.
    counted = len(items) == len(medicines) and len(items) > 0
    rows = []
    for index, medicine in enumerate(medicines):
        item = items[index] if counted else None
        rows.append(
            {
                "name": medicine.display_name,
                "generic": medicine.get_name_display(),
                "formulation": medicine.get_formulation_display(),
                "purpose": medicine.get_purpose_display(),
                "dose": f"{_plain(medicine.daily_dose)} {medicine.unit}",
                "factor": None if item is None else item["factor"],
                "mme": None if item is None else item["mme_per_day"],
                "note": _mme_note(medicine, item, counted),
            }
        )
    return {
        "rows": rows,
        "total": mme.get("total_per_day"),
        "factor_table": mme.get("factor_table", ""),
    }


def _mme_note(medicine, item, counted):
    if not counted:
        return "Not taken now: not counted"
    if medicine.name == choices.OpioidName.BUPRENORPHINE:
        return "No MME factor: shown, not added"
    if item["mme_per_day"] is None:
        return "Not computed: check the dose unit or form"
    return ""


def _plain(value):
    """A Decimal without trailing zeros: 60.00 -> 60, 12.50 -> 12.5."""
    value = Decimal(value)
    return (
        f"{value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()}"
    )


def recommended_articles(intake):
    """The articles the patient was offered, in the order offered: (slug, title, url)."""
    found = {a.slug: a for a in Article.objects.filter(slug__in=intake.recommended_articles)}
    return [
        {
            "slug": slug,
            "title": found[slug].title if slug in found else slug,
            "url": found[slug].get_absolute_url() if slug in found else "",
        }
        for slug in intake.recommended_articles
    ]


def pain_history(intake):
    """The patient's submitted visits up to this one, oldest first, with pain and PEG."""
    if intake.patient_id is None:
        visits = [intake]
    else:
        visits = list(
            intake.patient.intakes.submitted()
            .filter(submitted_at__lte=intake.submitted_at)
            .order_by("submitted_at", "pk")
            .only(
                "pk",
                # Else Django reloads it once per visit.
                "patient",
                "reference",
                "submitted_at",
                "pain_score_now",
                "peg_pain",
                "peg_enjoyment",
                "peg_activity",
            )
        )
    rows = [
        {
            "pk": visit.pk,
            "reference": visit.reference,
            "submitted_at": visit.submitted_at,
            "pain_now": visit.pain_score_now,
            "peg_pain": visit.peg_pain,
            "peg_enjoyment": visit.peg_enjoyment,
            "peg_activity": visit.peg_activity,
            "peg": peg_score(visit),
            "is_this_visit": visit.pk == intake.pk,
        }
        for visit in visits
    ]
    return {"rows": rows, "visit_number": len(rows), "chart": pain_chart(rows[-CHART_VISITS:])}


def peg_score(intake):
    """PEG-3: the mean of its three 0-10 items, when all three were answered."""
    items = [intake.peg_pain, intake.peg_enjoyment, intake.peg_activity]
    if any(item is None for item in items):
        return None
    return round(sum(items) / 3, 1)


def pain_chart(rows):
    """Coordinates for a 0-10 line chart of pain now and PEG, one slot per visit."""
    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM

    def x(index):
        return round(CHART_LEFT + plot_width * (index + 0.5) / len(rows), 1)

    def y(value):
        return round(CHART_TOP + plot_height * (1 - value / 10), 1)

    def series(key):
        points = [
            {
                "x": x(i),
                "y": y(row[key]),
                "corner_x": round(x(i) - 4, 1),
                "corner_y": round(y(row[key]) - 4, 1),
            }
            for i, row in enumerate(rows)
            if row[key] is not None
        ]
        path = " ".join(f"{'M' if i == 0 else 'L'}{p['x']} {p['y']}" for i, p in enumerate(points))
        return {"points": points, "path": path}

    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "baseline": y(0),
        "grid": [{"y": y(value), "value": value} for value in range(0, 11, 2)],
        "labels": [
            {
                "x": x(i),
                "text": f"{timezone.localtime(row['submitted_at']):%-d %b %y}",
                "is_this_visit": row["is_this_visit"],
            }
            for i, row in enumerate(rows)
        ],
        "label_y": CHART_HEIGHT - CHART_BOTTOM + 16,
        "pain": series("pain_now"),
        "peg": series("peg"),
    }
