"""The clinicians' side of intake: the review queue, the intake page, the dashboard.

Read-only for everyone, superusers included: patient answers and screening results
are never edited here. The clinician's one write is the review, recorded through
`intake.review.record_review`. Content editors hold no intake permission, so every
page here answers them 403. Each look at a patient's intake writes an AccessLog row,
which only superusers can read.
"""

import json
from urllib.parse import parse_qsl, urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import DateFieldListFilter
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join

from intake import dashboard, review
from intake.models import (
    MAX_TEXT_LENGTH,
    AccessLog,
    Intake,
    Patient,
    Review,
    Screening,
)
from intake.screening import ALERT_CODES
from intake.summary import about_rows, answer_sections

QUEUE_TITLE = "Review queue"
ALERT_LABELS = {
    "mme_ge_50": "MME 50 or more",
    "mme_ge_90": "MME 90 or more",
    "mme_not_computable": "MME not computed",
    "withdrawal_after_dose_cut": "Withdrawal after a dose cut (urgent)",
    "misuse_signals": "Misuse signals",
    "data_quality": "Data quality",
}
REVIEW_STATUS = {
    Review.Decision.ACCEPT: "Accepted",
    Review.Decision.OVERRIDE: "Overridden",
    Review.Decision.FOLLOW_UP: "Needs follow-up",
}
LEVEL_LABELS = {
    Screening.Level.FLAG: "Flag",
    Screening.Level.BORDERLINE: "Borderline",
    Screening.Level.NONE: "None",
}


def patient_name(intake):
    """The name given at this visit, else the matched patient's; imports may have neither."""
    if intake.full_name:
        return intake.full_name
    if intake.patient_id and intake.patient.full_name:
        return intake.patient.full_name
    return "(no name given)"


def queue_url(request):
    """The queue, with the filters the clinician came from (kept by the admin's links)."""
    url = reverse("admin:intake_screening_changelist")
    filters = parse_qsl(request.GET.get("_changelist_filters", ""))
    return f"{url}?{urlencode(filters)}" if filters else url


def log_view(request, intake):
    AccessLog.objects.create(
        user=request.user, intake=intake, action="view", path=request.get_full_path()[:300]
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to those with view permission; never added, changed or deleted here."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The review queue ------------------------------------------------------------


class LevelFilter(admin.SimpleListFilter):
    title = "level"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [(Screening.Level.FLAG, "Flag"), (Screening.Level.BORDERLINE, "Borderline")]

    def queryset(self, request, queryset):
        return queryset.filter(level=self.value()) if self.value() else queryset


class AlertFilter(admin.SimpleListFilter):
    title = "alert"
    parameter_name = "alert"

    def lookups(self, request, model_admin):
        return [(code, ALERT_LABELS.get(code, code)) for code in ALERT_CODES]

    def queryset(self, request, queryset):
        return queryset.filter(alert_codes__contains=[self.value()]) if self.value() else queryset


class ReviewStatusFilter(admin.SimpleListFilter):
    title = "review status"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("unreviewed", "Unreviewed"), *REVIEW_STATUS.items()]

    def queryset(self, request, queryset):
        if self.value() == "unreviewed":
            return queryset.filter(is_reviewed=False)
        if self.value():
            return queryset.filter(review__decision=self.value())
        return queryset


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to ESTIMATE_ABOVE rows; above that, PostgreSQL's own estimate.

    An exact count of tens of thousands of open screenings reads them all on every page
    view; a clinician paging through a queue needs its size, not its last digit.
    """

    ESTIMATE_ABOVE = 10_000

    @cached_property
    def count(self):
        sql, params = self.object_list.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        if estimate > self.ESTIMATE_ABOVE:
            return estimate
        return super().count


class RulesVersionFilter(admin.SimpleListFilter):
    """The rules versions stored, read from their index rather than the whole queue."""

    title = "rules version"
    parameter_name = "rules_version"

    def lookups(self, request, model_admin):
        # A DISTINCT over every screening is a full scan; versions change only when the rules
        # do, so the list is kept a minute.
        versions = cache.get_or_set(
            "intake:rules-versions",
            lambda: list(
                Screening.objects.order_by("rules_version")
                .values_list("rules_version", flat=True)
                .distinct()
            ),
            timeout=60,
        )
        return [(version, version) for version in versions]

    def queryset(self, request, queryset):
        return queryset.filter(rules_version=self.value()) if self.value() else queryset


class RepeatFilter(admin.SimpleListFilter):
    """Flags resting on evidence a clinician already reviewed are not raised again
    (oih-facts section 7): hidden unless asked for."""

    title = "repeats of reviewed evidence"
    parameter_name = "repeats"

    def lookups(self, request, model_admin):
        return [("show", "Shown")]

    def queryset(self, request, queryset):
        if self.value() == "show":
            return queryset
        return queryset.filter(is_repeat_of_reviewed=False)

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Hidden",
        }
        yield {
            "selected": self.value() == "show",
            "query_string": changelist.get_query_string({self.parameter_name: "show"}),
            "display": "Shown",
        }


class ReviewQueue(ChangeList):
    """Only what needs a clinician; each row opens the intake page."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).needing_review()

    def url_for_result(self, result):
        return reverse(
            "admin:intake_intake_change",
            args=[result.intake_id],
            current_app=self.model_admin.admin_site.name,
        )


@admin.register(Screening)
class ScreeningAdmin(ReadOnlyAdmin):
    list_display = [
        "intake_reference",
        "patient",
        "level_label",
        "mme",
        "alerts",
        "rules_version",
        "submitted",
        "review_status",
    ]
    list_filter = [
        LevelFilter,
        AlertFilter,
        ReviewStatusFilter,
        ("intake_submitted_at", DateFieldListFilter),
        RulesVersionFilter,
        RepeatFilter,
    ]
    search_fields = [
        "intake__reference",
        "intake__full_name",
        "intake__clinic_reference",
        "intake__patient__full_name",
        "intake__patient__clinic_reference",
    ]
    list_select_related = ["intake__patient", "review"]
    # Unreviewed first, then flags before borderline, then the longest waiting.
    # The partial index screening_open_queue_idx serves exactly this order.
    ordering = ["is_reviewed", "level_rank", "intake_submitted_at", "pk"]
    # A second COUNT over the whole table on every page is not worth its cost, nor is a
    # COUNT per filter choice.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    paginator = EstimatedCountPaginator
    fields = [
        "intake_link",
        "level",
        "rules_version",
        "factor_table",
        "mme_total",
        "alert_codes",
        "reason_codes",
        "is_current",
        "cause",
        "is_repeat_of_reviewed",
        "created_at",
        "review_status",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # Screenings exist only for submitted intakes, so no join is needed to count them;
        # the result JSON is for the intake page, not the list.
        return (
            super()
            .get_queryset(request)
            .select_related("intake__patient", "review")
            .defer("result")
        )

    def get_changelist(self, request, **kwargs):
        return ReviewQueue

    def get_urls(self):
        dashboard_url = path(
            "dashboard/",
            self.admin_site.admin_view(self.dashboard_view),
            name="intake_screening_dashboard",
        )
        return [dashboard_url, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": QUEUE_TITLE,
            # Eight columns and the filters need the width more than the side menu does.
            "is_nav_sidebar_enabled": False,
            "dashboard_url": reverse("admin:intake_screening_dashboard"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            log_view(request, self.get_object(request, unquote(object_id)).intake)
        return response

    def dashboard_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        weeks = dashboard.weekly_counts(timezone.localdate())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Review dashboard",
            # Wide charts and tables: the page needs the room more than the side menu.
            "is_nav_sidebar_enabled": False,
            "queue_url": reverse("admin:intake_screening_changelist"),
            "weeks": weeks,
            "chart": dashboard.bar_chart(weeks),
            "rates": dashboard.override_rates(),
        }
        return TemplateResponse(request, "admin/intake/screening/dashboard.html", context)

    @admin.display(description="intake", ordering="intake__reference")
    def intake_reference(self, screening):
        return screening.intake.reference

    @admin.display(description="patient", ordering="intake__full_name")
    def patient(self, screening):
        return patient_name(screening.intake)

    @admin.display(description="level", ordering="level_rank")
    def level_label(self, screening):
        return format_html(
            '<span class="oih-level oih-level-{}">{}</span>',
            screening.level,
            LEVEL_LABELS[screening.level],
        )

    @admin.display(description="MME/day", ordering="mme_total")
    def mme(self, screening):
        return "not computed" if screening.mme_total is None else screening.mme_total

    @admin.display(description="alerts")
    def alerts(self, screening):
        return ", ".join(screening.alert_codes) or "-"

    @admin.display(description="submitted", ordering="intake_submitted_at")
    def submitted(self, screening):
        return date_format(timezone.localtime(screening.intake.submitted_at), "j M Y, H:i")

    @admin.display(description="review", ordering="is_reviewed")
    def review_status(self, screening):
        recorded = getattr(screening, "review", None)
        if recorded is None:
            return "Unreviewed"
        if recorded.override_reason:
            return f"{REVIEW_STATUS[recorded.decision]}: {recorded.get_override_reason_display()}"
        return REVIEW_STATUS[recorded.decision]

    @admin.display(description="intake")
    def intake_link(self, screening):
        return format_html(
            '<a href="{}">{}</a>', screening.intake.get_admin_url(), screening.intake.reference
        )


# The intake page -------------------------------------------------------------


class ReviewForm(forms.Form):
    # Which screening the clinician saw: a rescreen in between must not be reviewed unseen.
    screening = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Your conclusion", choices=Review.Decision.choices, widget=forms.RadioSelect
    )
    override_reason = forms.ChoiceField(
        label="Reason for overriding",
        choices=[("", "Choose a reason"), *Review.OverrideReason.choices],
        required=False,
        help_text="Needed when you override.",
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        help_text=f'Optional; needed when the reason is "Other". Up to {MAX_TEXT_LENGTH} characters.',
    )

    def clean(self):
        data = super().clean()
        if "decision" in data:
            errors = review.review_errors(
                data["decision"], data.get("override_reason", ""), data.get("note", "")
            )
            for field, error in errors.items():
                if field not in self.errors:
                    self.add_error(field, error)
        return data


@admin.register(Intake)
class IntakeAdmin(ReadOnlyAdmin):
    list_display = ["reference", "patient", "submitted_at", "current_level", "source"]
    list_filter = [("submitted_at", DateFieldListFilter), "source"]
    search_fields = ["reference", "full_name", "clinic_reference", "patient__full_name"]
    list_select_related = ["patient"]
    ordering = ["-submitted_at", "-pk"]
    show_full_result_count = False
    intake_page_template = "admin/intake/intake/intake_page.html"

    def get_queryset(self, request):
        # Unfinished forms stay the patient's until they are submitted.
        current_level = Screening.objects.filter(intake=OuterRef("pk"), is_current=True)
        return (
            super()
            .get_queryset(request)
            .submitted()
            .select_related("patient", "previous_intake")
            .annotate(current_level=Subquery(current_level.values("level")[:1]))
        )

    @admin.display(description="patient", ordering="full_name")
    def patient(self, intake):
        return patient_name(intake)

    @admin.display(description="level", ordering="current_level")
    def current_level(self, intake):
        return LEVEL_LABELS.get(intake.current_level, "-")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The intake page: the answers, the screening as a card, and the review form."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        intake = self.get_object(request, unquote(object_id))
        if intake is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        screening = (
            intake.screenings.filter(is_current=True).select_related("review__reviewed_by").first()
        )
        recorded = getattr(screening, "review", None) if screening else None
        can_review = request.user.has_perm("intake.add_review")
        is_open = (
            screening is not None and screening.level in review.REVIEWABLE_LEVELS and not recorded
        )
        form = None
        if request.method == "POST":
            if not can_review:
                raise PermissionDenied
            form = ReviewForm(request.POST)
            if form.is_valid():
                return self._record_review(request, intake, screening, form)
        elif is_open and can_review:
            form = ReviewForm(initial={"screening": screening.pk})
        log_view(request, intake)
        return TemplateResponse(
            request,
            self.intake_page_template,
            self.intake_page_context(request, intake, screening, recorded, form),
        )

    def _record_review(self, request, intake, screening, form):
        data = form.cleaned_data
        if screening is None or data["screening"] != screening.pk:
            messages.warning(
                request,
                "This intake was screened again after you opened it. "
                "Look at the new result before you review it.",
            )
            return redirect(request.get_full_path())
        try:
            saved = review.record_review(
                screening,
                request.user,
                data["decision"],
                data["override_reason"],
                data["note"],
            )
        except review.AlreadyReviewed as refused:
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
        status = REVIEW_STATUS[saved.decision]
        if saved.override_reason:
            status += f" ({saved.get_override_reason_display()})"
        messages.success(request, f"Review recorded for {intake.reference}: {status}.")
        return redirect(queue_url(request))

    def intake_page_context(self, request, intake, screening, recorded, form):
        result = screening.result if screening else {}
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Intake {intake.reference}",
            # A dense page: it needs the room more than the side menu.
            "is_nav_sidebar_enabled": False,
            "intake": intake,
            "patient_name": patient_name(intake),
            "screening": screening,
            "recorded": recorded,
            "form": form,
            "card": review.flag_card(screening),
            "alerts": result.get("alerts", []),
            "medicines": review.medicine_rows(intake, result),
            "new_sites": result.get("comparison", {}).get("new_regions_since_last_visit", []),
            "history": review.pain_history(intake),
            "articles": review.recommended_articles(intake),
            "about_rows": about_rows(intake),
            "answer_sections": answer_sections(intake),
            "queue_url": queue_url(request),
        }


# Patients, reviews and the access log ----------------------------------------


@admin.register(Patient)
class PatientAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "date_of_birth", "clinic_reference", "visits"]
    search_fields = ["full_name", "clinic_reference"]
    ordering = ["full_name", "pk"]
    show_full_result_count = False
    fields = ["full_name", "date_of_birth", "clinic_reference", "created_at", "visit_links"]
    readonly_fields = fields

    def get_queryset(self, request):
        submitted = Q(intakes__status=Intake.Status.SUBMITTED)
        return super().get_queryset(request).annotate(visits=Count("intakes", filter=submitted))

    @admin.display(description="visits", ordering="visits")
    def visits(self, patient):
        return patient.visits

    @admin.display(description="visits")
    def visit_links(self, patient):
        visits = patient.intakes.submitted().order_by("submitted_at", "pk")
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((v.get_admin_url(), v.reference) for v in visits)
        )


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["intake_reference", "decision", "override_reason", "reviewed_by", "reviewed_at"]
    list_filter = ["decision", "override_reason", ("reviewed_at", DateFieldListFilter)]
    search_fields = ["screening__intake__reference", "reviewed_by__username"]
    list_select_related = ["screening__intake", "reviewed_by"]
    ordering = ["-reviewed_at", "-pk"]
    show_full_result_count = False
    fields = ["intake_link", "decision", "override_reason", "note", "reviewed_by", "reviewed_at"]
    readonly_fields = fields

    @admin.display(description="intake", ordering="screening__intake__reference")
    def intake_reference(self, recorded):
        return recorded.screening.intake.reference

    @admin.display(description="intake")
    def intake_link(self, recorded):
        intake = recorded.screening.intake
        return format_html('<a href="{}">{}</a>', intake.get_admin_url(), intake.reference)


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["accessed_at", "user", "intake", "action", "path"]
    list_filter = ["action", ("accessed_at", DateFieldListFilter)]
    search_fields = ["intake__reference", "user__username"]
    list_select_related = ["user", "intake"]
    ordering = ["-accessed_at", "-pk"]
    show_full_result_count = False
    fields = ["accessed_at", "user", "intake", "action", "path"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        # Who looked at which patient is for the administrators alone.
        return request.user.is_superuser
