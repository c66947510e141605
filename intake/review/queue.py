"""The worklist: every current screening that needs a clinician (an OIH flag or borderline
result, or an urgent or warning alert), unreviewed first, then urgent, flags, warnings and
borderline, then the longest waiting first (Screening.priority, derived by the database).

Each row says in words what needs a look and opens the intake page (`intake_page.py`),
where the review is recorded.
"""

from urllib.parse import parse_qsl, urlencode

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join

from intake.models import Review, Screening
from intake.review.access import ReadOnlyAdmin
from intake.review.access_log import AccessLoggedAdmin
from intake.review.labels import age, clinic_number, given_name, visit_kind
from intake.review.notifications import waited_words
from intake.review.paginator import EstimatedCountPaginator
from intake.review.queue_filters import (
    AlertFilter,
    AssignedFilter,
    LevelFilter,
    PriorityFilter,
    RepeatFilter,
    ReviewStatusFilter,
    RulesVersionFilter,
)
from intake.review.worklist_words import what_needs_a_look

QUEUE_TITLE = "Worklist"


def mme_cell(total, *, is_lower_bound, is_computable):
    """The MME column: the total, "at least" a lower bound (ruling 8), "none counted" when
    there is nothing to compute (rulings 6 and 7), else "not computed"."""
    if total is None:
        return "none counted" if is_computable else "not computed"
    return f"at least {total}" if is_lower_bound else total


def attach_patients_items(rows, items):
    """Give each row `items`: its patient's open items on the worklist, newest first (one
    query for the page)."""
    patient_ids = {row.intake.patient_id for row in rows if row.intake.patient_id}
    by_patient = {}
    if patient_ids:
        for item in (
            items.filter(intake__patient_id__in=patient_ids)
            .select_related("intake")
            .order_by("-intake_submitted_at", "-pk")
        ):
            by_patient.setdefault((item.intake.patient_id, item.is_reviewed), []).append(item)
    for row in rows:
        row.items = by_patient.get((row.intake.patient_id, row.is_reviewed)) or [row]


def priority_counts():
    """How many unreviewed items wait, per priority: [(priority, count)], most pressing first."""
    counted = dict(
        Screening.objects.needing_review()
        .filter(is_reviewed=False, is_repeat_of_reviewed=False)
        .values_list("priority")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return [(priority, counted.get(priority.value, 0)) for priority in Screening.Priority]


def queue_url(request):
    """The queue, with the filters the clinician came from (kept by the admin's links)."""
    url = reverse("admin:intake_screening_changelist")
    filters = parse_qsl(request.GET.get("_changelist_filters", ""))
    return f"{url}?{urlencode(filters)}" if filters else url


def patients_items(items):
    """The worklist grouped by patient: one row per patient and review status, the
    patient's newest item, which carries the group's most pressing priority and its longest
    wait, so that a patient with three check-ins is one row, placed by the most pressing."""
    same_patient = items.filter(
        intake__patient_id=OuterRef("intake__patient_id"), is_reviewed=OuterRef("is_reviewed")
    ).order_by()
    newer = same_patient.filter(
        Q(intake_submitted_at__gt=OuterRef("intake_submitted_at"))
        | Q(intake_submitted_at=OuterRef("intake_submitted_at"), pk__gt=OuterRef("pk"))
    )

    def of_group(aggregate):
        return Subquery(
            same_patient.values("intake__patient_id").annotate(value=aggregate).values("value")
        )

    return items.exclude(Exists(newer)).annotate(
        group_priority=Coalesce(of_group(Min("priority")), F("priority")),
        waiting_since=Coalesce(of_group(Min("intake_submitted_at")), F("intake_submitted_at")),
    )


class ReviewQueue(ChangeList):
    """Only what needs a clinician, one row per patient; each row opens the intake page."""

    def get_queryset(self, request, exclude_parameters=None):
        items = super().get_queryset(request, exclude_parameters).needing_review()
        self.items = items
        rows = patients_items(items)
        if ORDER_VAR in self.params:
            return rows  # the column the clinician sorted by
        # Unreviewed items and follow-ups now due first; a patient's row stands where its most
        # pressing, longest waiting item would.
        due = Q(review__decision=Review.Decision.FOLLOW_UP) & Q(
            review__follow_up_due__lte=timezone.localdate()
        )
        rows = rows.annotate(
            is_settled=Case(
                When(Q(is_reviewed=False) | due, then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            )
        )
        return rows.order_by("is_settled", "group_priority", "waiting_since", "pk")

    def get_results(self, request):
        super().get_results(request)
        attach_patients_items(self.result_list, self.items)

    def url_for_result(self, result):
        return reverse(
            "admin:intake_intake_change",
            args=[result.intake_id],
            current_app=self.model_admin.admin_site.name,
        )


class ScreeningAdmin(AccessLoggedAdmin, ReadOnlyAdmin):
    list_display = [
        "intake_reference",
        "patient",
        "mrn",
        "age",
        "needs_a_look",
        "level_label",
        "mme",
        "submitted",
        "assigned",
        "review_status",
    ]
    list_filter = [
        AssignedFilter,
        PriorityFilter,
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
    list_select_related = ["intake__patient", "review", "assigned_to"]
    # Unreviewed first, then urgent, flags, warnings, borderline, then the longest waiting,
    # each patient's items as one row (ReviewQueue): see get_ordering.
    ordering = ["is_reviewed", "priority", "intake_submitted_at", "pk"]
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
        "assigned_to",
        "review_status",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # Screenings exist only for submitted intakes, so no join is needed to count them;
        # of the result JSON the list needs only the MME items, for the rows' words, and
        # whether the total is a lower bound or has nothing to count.
        return (
            super()
            .get_queryset(request)
            .select_related("intake__patient", "review", "assigned_to")
            .defer("result")
            .annotate(
                mme_items=KeyTransform("items", KeyTransform("mme", "result")),
                mme_lower_bound=KeyTransform("lower_bound", KeyTransform("mme", "result")),
                mme_computable=KeyTransform("computable", KeyTransform("mme", "result")),
            )
        )

    def get_changelist(self, request, **kwargs):
        return ReviewQueue

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": QUEUE_TITLE,
            # Eight columns and the filters need the width more than the side menu does.
            "is_nav_sidebar_enabled": False,
            "dashboard_url": reverse("admin:intake_screening_dashboard"),
            "priority_counts": priority_counts(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="intake", ordering="intake__reference")
    def intake_reference(self, screening):
        return screening.intake.reference

    @admin.display(description="patient", ordering="intake__full_name")
    def patient(self, screening):
        # The MRN has its own column beside this one: said once, not twice.
        return given_name(screening.intake) or "No name given"

    @admin.display(description="MRN", ordering="intake__clinic_reference")
    def mrn(self, screening):
        return clinic_number(screening.intake) or "-"

    @admin.display(description="age")
    def age(self, screening):
        years = age(screening.intake)
        return "-" if years is None else years

    @admin.display(description="what needs a look", ordering="priority")
    def needs_a_look(self, screening):
        items = getattr(screening, "items", [screening])
        if len(items) == 1:
            return format_html(
                '<p class="oih-visit-kind">{}</p>{}',
                visit_kind(screening.intake),
                self._phrases(screening),
            )
        # A patient's open items, newest first, each with its visit kind and date.
        return format_html(
            '<ol class="oih-patient-items">{}</ol>',
            format_html_join(
                "",
                '<li><a href="{}">{}, {}</a>{}</li>',
                (
                    (
                        item.intake.get_admin_url(),
                        visit_kind(item.intake),
                        date_format(timezone.localtime(item.intake.submitted_at), "j M"),
                        self._phrases(item),
                    )
                    for item in items
                ),
            ),
        )

    def _phrases(self, screening):
        phrases = what_needs_a_look(
            screening.level,
            screening.alert_codes,
            screening.mme_total,
            getattr(screening, "mme_items", None),
        )
        urgent = screening.priority == Screening.Priority.URGENT
        return format_html(
            '<ul class="oih-needs{}">{}</ul>',
            " oih-needs-urgent" if urgent else "",
            format_html_join("", "<li>{}</li>", ((phrase,) for phrase in phrases)),
        )

    @admin.display(description="assigned to", ordering="assigned_to__username")
    def assigned(self, screening):
        return screening.assigned_to or "-"

    @admin.display(description="OIH level", ordering="level_rank")
    def level_label(self, screening):
        if screening.level == Screening.Level.NONE:
            return format_html('<span class="oih-muted">{}</span>', "No OIH pattern")
        return format_html(
            '<span class="oih-level oih-level-{}">{}</span>',
            screening.level,
            screening.get_level_display(),
        )

    @admin.display(description="MME/day", ordering="mme_total")
    def mme(self, screening):
        return mme_cell(
            screening.mme_total,
            is_lower_bound=getattr(screening, "mme_lower_bound", False),
            is_computable=getattr(screening, "mme_computable", False),
        )

    @admin.display(description="submitted", ordering="intake_submitted_at")
    def submitted(self, screening):
        submitted_at = screening.intake.submitted_at
        local = timezone.localtime(submitted_at)
        # The date and the time each kept whole; a narrow screen breaks the line between them.
        when = format_html(
            '<span class="oih-nowrap">{},</span> <span class="oih-nowrap">{}</span>',
            date_format(local, "j M Y"),
            date_format(local, "H:i"),
        )
        if screening.is_reviewed:
            return when
        # How long an unreviewed item has waited, and whether it was sent again to the duty
        # list (notifications.escalate_unacknowledged_urgent).
        waited = waited_words(timezone.now() - submitted_at)
        escalated = (
            format_html(
                '<br><strong class="oih-escalated">{}</strong>', "Sent again to the duty list"
            )
            if screening.escalated_at
            else ""
        )
        return format_html(
            '{}<br><span class="oih-waiting">waiting {}</span>{}', when, waited, escalated
        )

    @admin.display(description="review", ordering="is_reviewed")
    def review_status(self, screening):
        status = screening.review_status.label
        if screening.review_status == Screening.ReviewStatus.OVERRIDDEN:
            status = f"{status}: {screening.review.get_override_reason_display()}"
        if screening.review_status != Screening.ReviewStatus.UNREVIEWED and screening.review.action:
            status = f"{status} ({screening.review.get_action_display().split(' (')[0].lower()})"
        due = screening.review.follow_up_due if screening.is_reviewed else None
        if due is not None:
            overdue = " now due" if due <= timezone.localdate() else ""
            status = f"{status}, follow up by {date_format(due, 'j M Y')}{overdue}"
        return status

    @admin.display(description="intake")
    def intake_link(self, screening):
        return format_html(
            '<a href="{}">{}</a>', screening.intake.get_admin_url(), screening.intake.reference
        )
