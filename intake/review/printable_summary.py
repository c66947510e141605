"""A one-page printable summary of a visit, for the paper chart or a referral letter.

The answers, the medicines with their MME, the flag card and alerts, the body map and the
dose-response chart, laid out for A4 or Letter by a print stylesheet. Each view is logged
like the intake page, as a print. A page of its own, printed without the admin's frame.
"""

from django.template.response import TemplateResponse
from django.utils import timezone

from intake.models import AccessLog
from intake.review import access
from intake.review.access_log import log_access, when_rendered
from intake.review.flag_card import flag_card, reason_rows
from intake.review.intake_page import alert_cards, medicine_rows, review_words
from intake.review.labels import patient_name
from intake.review.visit_chart import visit_chart
from intake.summary import about_rows, clinician_answer_sections

TEMPLATE = "admin/intake/intake/printable_summary.html"


def printable_summary(request, object_id):
    intake, refusal = access.intake_for(request, object_id)
    if refusal:
        return refusal
    screening = (
        intake.screenings.filter(is_current=True).select_related("review__reviewed_by").first()
    )
    result = screening.result if screening else {}
    recorded = getattr(screening, "review", None) if screening else None
    context = {
        "title": f"Summary of {intake.reference}",
        "intake": intake,
        "patient_name": patient_name(intake),
        "screening": screening,
        "recorded": recorded,
        # The decision and the action: an alerts-only review has only the action.
        "review_words": review_words(recorded) if recorded else "",
        "card": flag_card(screening),
        "alerts": alert_cards(screening),
        # Every reason, features included: the printed alerts do not list them (ruling 4).
        "reasons_without_level": reason_rows(screening.reasons) if screening else [],
        "medicines": medicine_rows(intake, result),
        "new_sites": result.get("comparison", {}).get("new_regions_since_last_visit", []),
        "visit_chart": visit_chart(intake),
        "about_rows": about_rows(intake),
        "answer_sections": clinician_answer_sections(intake),
        "printed_at": timezone.now(),
        "printed_by": request.user,
    }
    return when_rendered(
        TemplateResponse(request, TEMPLATE, context),
        lambda: log_access(
            request, AccessLog.What.RECORD, subject="intake", intake=intake, action="print"
        ),
    )
