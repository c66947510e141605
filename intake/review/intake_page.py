"""The intake page: a submitted intake's answers, its screening as a card, and the review form.

Every view of the page is logged. The review itself is recorded by `recording.record_review`.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from education.models import Article
from intake import choices
from intake.models import Screening
from intake.review import recording
from intake.review.access_log import log_view
from intake.review.flag_card import flag_card
from intake.review.follow_up import follow_up_actions
from intake.review.forms import ReviewForm
from intake.review.labels import patient_name
from intake.review.pain_history import pain_history
from intake.review.queue import queue_url
from intake.review.visit_chart import patient_follow_ups, visit_chart
from intake.summary import about_rows, answer_sections

TEMPLATE = "admin/intake/intake/intake_page.html"


def intake_page_view(model_admin, request, object_id):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    intake = model_admin.get_object(request, unquote(object_id))
    if intake is None:
        return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
    screening = (
        intake.screenings.filter(is_current=True).select_related("review__reviewed_by").first()
    )
    recorded = getattr(screening, "review", None) if screening else None
    can_review = request.user.has_perm("intake.add_review")
    is_open = (
        screening is not None and screening.level in recording.REVIEWABLE_LEVELS and not recorded
    )
    form = None
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        form = ReviewForm(request.POST)
        if form.is_valid():
            return record_from_form(request, intake, screening, form)
    elif is_open and can_review:
        form = ReviewForm(initial={"screening": screening.pk})
    log_view(request, intake)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        **page_context(request, intake, screening, recorded, form),
    }
    return TemplateResponse(request, TEMPLATE, context)


def record_from_form(request, intake, screening, form):
    """Record the review; a message says what happened, and where the clinician goes next."""
    data = form.cleaned_data
    if screening is None or data["screening"] != screening.pk:
        messages.warning(
            request,
            "This intake was screened again after you opened it. "
            "Look at the new result before you review it.",
        )
        return redirect(request.get_full_path())
    try:
        saved = recording.record_review(
            screening,
            request.user,
            data["decision"],
            data["override_reason"],
            data["note"],
        )
    except recording.AlreadyReviewed as refused:
        existing = refused.args[0]
        messages.warning(
            request,
            f"{intake.reference} was already reviewed by {existing.reviewed_by} "
            f"({existing.get_decision_display()}). Nothing was changed.",
        )
        return redirect(request.get_full_path())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(request.get_full_path())
    status = Screening.ReviewStatus(saved.decision).label
    if saved.override_reason:
        status += f" ({saved.get_override_reason_display()})"
    messages.success(request, f"Review recorded for {intake.reference}: {status}.")
    return redirect(queue_url(request))


def page_context(request, intake, screening, recorded, form):
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
        "alerts": result.get("alerts", []),
        "medicines": medicine_rows(intake, result),
        "new_sites": result.get("comparison", {}).get("new_regions_since_last_visit", []),
        "history": pain_history(intake),
        "visit_chart": visit_chart(intake, follow_ups),
        "follow_up_actions": follow_up_actions(request, intake, follow_ups),
        "articles": recommended_articles(intake),
        "about_rows": about_rows(intake),
        "answer_sections": answer_sections(intake),
        "queue_url": queue_url(request),
    }


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
