"""The intake page: a submitted intake's answers, its screening as cards (the OIH result and
each alert), the notes on answers that disagree, and one review covering them all.

A view of its own (`intake_page`, at the admin's change address of an intake: see
`review/urls.py`), in the admin's look. Every view of the page is logged. The review itself is recorded by `recording.record_review`
(or amended by `recording.amend_review`); an item is assigned by `recording.assign`.
"""

from decimal import Decimal

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from education.models import Article
from intake import choices
from intake.models import Intake, Review, Screening
from intake.review import access, corrections, recording
from intake.review.access_log import log_view
from intake.review.flag_card import (
    FEATURE_CODES,
    evidence_rows,
    features_seen,
    flag_card,
    reason_rows,
)
from intake.review.follow_up import follow_up_actions
from intake.review.forms import AssignForm, CorrectionForm, ReviewForm
from intake.review.labels import patient_name
from intake.review.notifications import is_urgent
from intake.review.pain_history import pain_history
from intake.review.queue import queue_url
from intake.review.visit_chart import patient_follow_ups, visit_chart
from intake.review.worklist_words import URGENT, alert_heading
from intake.summary import about_rows, clinician_answer_sections

TEMPLATE = "admin/intake/intake/intake_page.html"


def intake_page(request, object_id):
    intake, refusal = access.intake_for(request, object_id)
    if refusal:
        return refusal
    screening = (
        intake.screenings.filter(is_current=True)
        .select_related("review__reviewed_by", "assigned_to", "assigned_by")
        .first()
    )
    recorded = getattr(screening, "review", None) if screening else None
    can_review = request.user.has_perm("intake.add_review")
    is_open = screening is not None and recording.is_reviewable(screening)
    is_amending = recorded is not None and request.GET.get("amend") == "1"
    form = correction_form = None
    made_corrections = list(intake.corrections.select_related("corrected_by"))
    medicines = list(intake.medicines.all())
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        if request.POST.get("intent") == "assign":
            return assign_from_form(request, intake, screening)
        if request.POST.get("intent") == "correct":
            correction_form = CorrectionForm(request.POST, medicines=medicines)
            if correction_form.is_valid():
                return correct_from_form(request, intake, correction_form)
        else:
            if screening is None:
                return _screened_again(request)
            form = ReviewForm(
                request.POST,
                screening=screening,
                instance=recorded,
                has_correction=bool(made_corrections),
            )
            if form.is_valid():
                return record_from_form(request, intake, screening, form, recorded)
    if form is None and can_review and is_open and (recorded is None or is_amending):
        form = ReviewForm(
            screening=screening,
            instance=recorded,
            initial={"screening": screening.pk},
            has_correction=bool(made_corrections),
        )
    if can_review and correction_form is None:
        correction_form = CorrectionForm(medicines=medicines)
    context = {
        **admin.site.each_context(request),
        "opts": Intake._meta,
        **page_context(request, intake, screening, recorded, form, medicines),
        "can_review": can_review,
        "correction_form": correction_form,
        "corrections": made_corrections,
        "assign_form": (
            AssignForm(
                initial={
                    "assigned_to": screening.assigned_to_id,
                    "handoff_note": screening.handoff_note,
                }
            )
            if can_review and is_open
            else None
        ),
    }
    return log_view(request, intake, TemplateResponse(request, TEMPLATE, context))


def _screened_again(request):
    messages.warning(
        request,
        "This intake was screened again after you opened it. "
        "Look at the new result before you review it.",
    )
    return redirect(request.get_full_path())


def record_from_form(request, intake, screening, form, recorded):
    """Record (or amend) the review; a message says what happened, and where to go next."""
    data = form.cleaned_data
    if data["screening"] != screening.pk:
        return _screened_again(request)
    conclusion = {
        "decision": data.get("decision", ""),
        "override_reason": data.get("override_reason", ""),
        "note": data["note"],
        "action": data["action"],
        "follow_up_due": data.get("follow_up_due"),
    }
    try:
        if recorded is not None and request.POST.get("intent") == "amend":
            saved = recording.amend_review(recorded, request.user, **conclusion)
        else:
            saved = recording.record_review(screening, request.user, **conclusion)
    except recording.AlreadyReviewed as refused:
        existing = refused.args[0]
        messages.warning(
            request,
            f"{intake.reference} was already reviewed by {existing.reviewed_by} "
            f"({existing}). Nothing was changed.",
        )
        return redirect(request.path)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(request.get_full_path())
    verb = "amended" if saved.amended_at else "recorded"
    messages.success(request, f"Review {verb} for {intake.reference}: {review_words(saved)}.")
    return redirect(queue_url(request))


def review_words(review):
    """The review in a few words: "Overridden (Tolerance); contacted the patient"."""
    parts = []
    if review.decision:
        status = Screening.ReviewStatus(review.decision).label
        if review.override_reason:
            status += f" ({review.get_override_reason_display()})"
        parts.append(status)
    if review.action:
        action = review.get_action_display().split(" (")[0]
        parts.append(action if not parts else action[0].lower() + action[1:])
    return "; ".join(parts)


def correct_from_form(request, intake, form):
    data = form.cleaned_data
    try:
        correction = corrections.correct_medicine_dose(
            data["medicine"],
            request.user,
            daily_dose=data["daily_dose"],
            unit=data["unit"],
            reason=data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(request.get_full_path())
    messages.success(
        request,
        f"Corrected {correction.answer}: {correction.original} to {correction.corrected}. "
        "The intake was screened again; review the new result.",
    )
    return redirect(request.path)


def assign_from_form(request, intake, screening):
    form = AssignForm(request.POST)
    if screening is None or not form.is_valid():
        messages.error(request, "Choose a clinician from the list.")
        return redirect(request.get_full_path())
    clinician = form.cleaned_data["assigned_to"]
    job = recording.assign(
        screening, clinician, by=request.user, note=form.cleaned_data["handoff_note"]
    )
    who = clinician or "nobody"
    told = f" {clinician} gets an email with a link." if job else ""
    messages.success(request, f"{intake.reference} is assigned to {who}.{told}")
    return redirect(request.get_full_path())


def page_context(request, intake, screening, recorded, form, medicines=None):
    result = screening.result if screening else {}
    follow_ups = patient_follow_ups(intake)
    return {
        "title": f"Intake {intake.reference}",
        # A dense page: it needs the room more than the side menu.
        "is_nav_sidebar_enabled": False,
        "intake": intake,
        "patient_name": patient_name(intake),
        "screening": screening,
        "recorded": recorded,
        "form": form,
        "card": flag_card(screening),
        "alert_cards": alert_cards(screening),
        "reasons_without_level": reasons_without_level(screening),
        "needs_a_look": screening is not None and screening.priority is not None,
        "notes": [
            {**note, "evidence": evidence_rows(note.get("evidence") or {})}
            for note in result.get("notes", [])
        ],
        "earlier_reviews": earlier_reviews(intake),
        "review_history": review_history(recorded),
        "medicines": medicine_rows(intake, result, medicines),
        "new_sites": result.get("comparison", {}).get("new_regions_since_last_visit", []),
        "history": pain_history(intake),
        "visit_chart": visit_chart(intake, follow_ups),
        "follow_up_actions": follow_up_actions(request, intake, follow_ups),
        "articles": recommended_articles(intake),
        "about_rows": about_rows(intake),
        "answer_sections": clinician_answer_sections(intake),
        "queue_url": queue_url(request),
    }


ALERT_ORDER = {"critical": 0, "warning": 1, "info": 2}
# The alerts about withdrawal after a change (rulings 4 and 17): beneath their evidence, the
# OIH features seen, so that a clinician decides from the card.
WITHDRAWAL_ALERT_CODES = ("withdrawal_after_dose_cut", "withdrawal_symptoms_after_change")


def alert_cards(screening):
    """Every alert as a card, urgent first, each headed in words (worklist_words), with its
    own evidence and, for the withdrawal alerts, the features seen beneath."""
    if screening is None:
        return []
    items = screening.result.get("mme", {}).get("items", [])
    features = features_seen(screening.reasons)
    cards = [
        {
            **alert,
            "heading": alert_heading(
                alert["code"], screening.mme_total, items, alert.get("evidence")
            ),
            # Rules before 2026.2 marked no alert critical: the urgent one is known by its code.
            "is_urgent": is_urgent(alert),
            "indicator": URGENT if is_urgent(alert) else alert.get("indicator") or "warning",
            "evidence": evidence_rows(alert.get("evidence") or {}),
            "features": features if alert["code"] in WITHDRAWAL_ALERT_CODES else [],
        }
        for alert in one_card_for_the_mme_problem(screening.alerts)
    ]
    return sorted(cards, key=lambda card: ALERT_ORDER.get(card["indicator"], 1))


def one_card_for_the_mme_problem(alerts):
    """`mme_not_computable` and `data_quality` name the same entry: one card, headed by
    the MME problem, saying what the data-quality alert says beneath."""
    codes = {alert["code"] for alert in alerts}
    if not {"mme_not_computable", "data_quality"} <= codes:
        return alerts
    quality = next(alert for alert in alerts if alert["code"] == "data_quality")
    merged = []
    for alert in alerts:
        if alert["code"] == "data_quality":
            continue
        if alert["code"] == "mme_not_computable":
            summary = alert["summary"]
            if quality["summary"] not in summary:
                summary = f"{summary} {quality['summary']}"
            sources = alert["source"]
            if quality["source"] != sources:
                sources = f"{sources}; {quality['source']}"
            alert = {**alert, "summary": summary, "source": sources}
        merged.append(alert)
    return merged


def reasons_without_level(screening):
    """With no OIH level, every reason still shows why (ruling 4): the features too, unless a
    withdrawal alert's card already lists them beneath it."""
    if screening is None:
        return []
    reasons = screening.reasons
    if any(alert["code"] in WITHDRAWAL_ALERT_CODES for alert in screening.alerts):
        reasons = [reason for reason in reasons if reason["code"] not in FEATURE_CODES]
    return reason_rows(reasons)


def earlier_reviews(intake):
    """The reviews of the previous visit and of this visit under earlier rules, newest first.

    One query whatever the number of visits.
    """
    earlier = Q(screening__intake=intake, screening__is_current=False)
    if intake.previous_intake_id:
        earlier |= Q(screening__intake_id=intake.previous_intake_id, screening__is_current=True)
    return list(
        Review.objects.filter(earlier)
        .select_related("reviewed_by", "screening__intake")
        .order_by("-reviewed_at", "-pk")[:3]
    )


def review_history(recorded):
    """Earlier versions of an amended review, oldest first (the first as recorded)."""
    if recorded is None or recorded.amended_at is None:
        return []
    versions = list(recorded.history.select_related("reviewed_by").order_by("history_date"))
    return versions[:-1]


def medicine_rows(intake, result, medicines=None):
    """Each listed medicine with its MME from the stored result, and the total."""
    if medicines is None:
        medicines = list(intake.medicines.all())
    mme = result.get("mme", {})
    items = mme.get("items", [])
    # The result counts only the opioids taken now, in the order they were listed.
    counted = len(items) == len(medicines) and len(items) > 0
    over_the_limit = mme.get("total_per_day") is None and any(
        item.get("included") for item in items
    )
    rows = []
    for index, medicine in enumerate(medicines):
        item = items[index] if counted else None
        rows.append(
            {
                "name": medicine.display_name,
                "generic": medicine.get_name_display(),
                # What the patient entered, and what they said was right although it looked
                # wrong (stored as entered, counted in the MME).
                "entered_as": medicine.as_entered if medicine.strength_label else "",
                "confirmations": medicine.confirmation_notes,
                "formulation": medicine.get_formulation_display(),
                "purpose": medicine.get_purpose_display(),
                "dose": f"{_plain(medicine.daily_dose)} {medicine.unit}",
                "factor": None if item is None else item["factor"],
                "mme": None if item is None else item["mme_per_day"],
                "note": _mme_note(medicine, item, counted, over_the_limit),
            }
        )
    return {
        "rows": rows,
        "total": mme.get("total_per_day"),
        "is_lower_bound": bool(mme.get("lower_bound")),
        # Buprenorphine or OUD treatment alone: nothing to compute (rulings 6 and 7).
        "is_nothing_counted": mme.get("total_per_day") is None and mme.get("computable") is True,
        "factor_table": mme.get("factor_table", ""),
    }


# Why an item is shown but not added (shared/intake-format.md, `mme.items[].why`).
NOT_ADDED_BECAUSE = {
    "stopped": "Not taken now: not counted",
    "buprenorphine": "No MME factor: shown, not added",
    "oud_treatment": "Taken for OUD treatment: shown, not added",
    "not_convertible": "Not converted: check the dose unit or form",
}


def _mme_note(medicine, item, counted, over_the_limit=False):
    if not counted:
        return "Not taken now: not counted"
    if "included" in item:
        if item["included"] and over_the_limit:
            # Ruling 8: past 1,000 MME/day the total is not computed, though each item counts.
            return "Counted, but the total passes 1,000 MME/day: check the entered dose"
        if item["included"]:
            return "Yes"
        return NOT_ADDED_BECAUSE.get(item.get("why"), "Not added")
    # Results stored before rules 2026.2 have no `included`.
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
