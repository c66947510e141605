"""Every staff look at a patient's intake is written down; only superusers read the log."""

from django.contrib.admin import DateFieldListFilter

from intake.models import AccessLog
from intake.review.read_only import ReadOnlyAdmin


def log_view(request, intake):
    AccessLog.objects.create(
        user=request.user, intake=intake, action="view", path=request.get_full_path()[:300]
    )


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
