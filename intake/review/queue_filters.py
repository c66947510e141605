"""The worklist's filters: my items, what needs a look, level, alert, review status, date,
rules version, repeats."""

from django.contrib import admin
from django.core.cache import cache

from intake.models import Screening
from intake.screening import ALERT_CODES


class AssignedFilter(admin.SimpleListFilter):
    """ "My items": what was assigned to the clinician looking."""

    title = "assigned to"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "My items"), ("nobody", "Not assigned")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.assigned_to(request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class PriorityFilter(admin.SimpleListFilter):
    title = "needs a look for"
    parameter_name = "priority"

    def lookups(self, request, model_admin):
        return [(str(priority.value), priority.label) for priority in Screening.Priority]

    def queryset(self, request, queryset):
        if self.value() in {str(priority.value) for priority in Screening.Priority}:
            return queryset.filter(priority=int(self.value()))
        return queryset


class LevelFilter(admin.SimpleListFilter):
    title = "OIH level"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [
            (level, level.label) for level in (Screening.Level.FLAG, Screening.Level.BORDERLINE)
        ]

    def queryset(self, request, queryset):
        return queryset.filter(level=self.value()) if self.value() else queryset


class AlertFilter(admin.SimpleListFilter):
    title = "alert"
    parameter_name = "alert"

    def lookups(self, request, model_admin):
        labels = dict(Screening.Alert.choices)
        return [(code, labels.get(code, code)) for code in ALERT_CODES]

    def queryset(self, request, queryset):
        return queryset.filter(alert_codes__contains=[self.value()]) if self.value() else queryset


class ReviewStatusFilter(admin.SimpleListFilter):
    title = "review status"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return Screening.ReviewStatus.choices

    def queryset(self, request, queryset):
        if self.value() == Screening.ReviewStatus.UNREVIEWED:
            return queryset.filter(is_reviewed=False)
        if self.value() == Screening.ReviewStatus.REVIEWED:
            return queryset.filter(review__isnull=False, review__decision="")
        if self.value():
            return queryset.filter(review__decision=self.value())
        return queryset


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
