"""Every staff look at a patient's identity or answers is written down; only superusers read
the log.

`log_view` records one intake's page; `AccessLoggedAdmin` records the list, search, record,
history and autocomplete pages of an admin that shows patients; `log_export` records an
operator's export. Paths are stored without their query strings and search terms only as a
keyed hash, so that the log does not itself become a list of names.
"""

import getpass

from django.contrib.admin import DateFieldListFilter
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR

from intake.models import AccessLog, Intake, Patient, PatientMatch, Review, Screening, keyed_hash
from intake.review.access import ReadOnlyAdmin


def search_hash(term):
    """The keyed hash of a search term, the same however it was cased or spaced."""
    return keyed_hash("access-log-search:" + " ".join(term.casefold().split()))


def log_access(
    request, what, *, subject="", search_term="", record_count=None, action="view", **shown
):
    """One row: who saw `what` (an AccessLog.What) of `subject`, the record in `shown`
    (intake= or patient=) when it was one, and what they did (`action`)."""
    return AccessLog.objects.create(
        user=request.user,
        action=action,
        what=what,
        subject=subject,
        search_hash=search_hash(search_term) if search_term else "",
        record_count=record_count,
        path=request.path[:300],
        **shown,
    )


def log_view(request, intake, response=None):
    """The intake's page was seen: logged once `response` has rendered (a page that fails
    to render, a 500, showed nothing), or at once without a response."""
    return when_rendered(
        response,
        lambda: log_access(request, AccessLog.What.RECORD, subject="intake", intake=intake),
    )


def when_rendered(response, write):
    """Run `write` once the response has rendered without error; return the response.

    A TemplateResponse renders after the view returns: a template error then makes a 500,
    and a row written before would record a page nobody saw."""
    if response is not None and not getattr(response, "is_rendered", True):

        def after_render(rendered):
            write()  # returning nothing keeps the rendered response as it is

        response.add_post_render_callback(after_render)
    else:
        write()
    return response


def patients_shown(rows):
    """The ids of the patients a list's rows show, in order, each once."""
    shown = []
    for row in rows:
        patient_id = patient_of(row)
        if patient_id is not None and patient_id not in shown:
            shown.append(patient_id)
    return shown


def patient_of(row):
    if isinstance(row, Patient):
        return row.pk
    if isinstance(row, Intake):
        return row.patient_id
    if isinstance(row, Screening):
        return row.intake.patient_id
    if isinstance(row, Review):
        return row.screening.intake.patient_id
    return None


def shown_record(obj):
    """The intake or patient a record page shows, as log_access's keyword."""
    if isinstance(obj, Patient):
        return {"patient": obj}
    if isinstance(obj, Intake):
        return {"intake": obj}
    if isinstance(obj, Screening):
        return {"intake": obj.intake}
    if isinstance(obj, Review):
        return {"intake": obj.screening.intake}
    if isinstance(obj, PatientMatch):
        # The existing record is the one a suggestion shows to someone new.
        return {"patient": obj.suggested_patient}
    return {}


class AccessLoggedAdmin:
    """Mixed into an admin whose pages show patients: each list, search, record, history and
    autocomplete answer writes an AccessLog row. Pages that answer otherwise (403, 404, a
    redirect) show nothing and write nothing."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if response.status_code == 200 and changelist is not None:
            term = request.GET.get(SEARCH_VAR, "").strip()
            rows = list(changelist.result_list)
            when_rendered(
                response,
                lambda: log_access(
                    request,
                    AccessLog.What.SEARCH if term else AccessLog.What.LIST,
                    subject=str(self.opts.verbose_name_plural),
                    search_term=term,
                    record_count=len(rows),
                    patients_shown=patients_shown(rows),
                ),
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            self._log_record(request, object_id, AccessLog.What.RECORD, response)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            self._log_record(request, object_id, AccessLog.What.HISTORY, response)
        return response

    def get_search_results(self, request, queryset, search_term):
        results = super().get_search_results(request, queryset, search_term)
        # The admin's autocomplete answers with names; any model's search field can ask it.
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            log_access(
                request,
                AccessLog.What.AUTOCOMPLETE,
                subject=str(self.opts.verbose_name_plural),
                search_term=search_term,
            )
        return results

    def _log_record(self, request, object_id, what, response=None):
        obj = self.get_object(request, unquote(object_id))
        when_rendered(
            response,
            lambda: log_access(
                request, what, subject=str(self.opts.verbose_name), **shown_record(obj)
            ),
        )


def log_export(command_line, record_count=None):
    """An operator's export: who ran which command. Written before the first record is."""
    return AccessLog.objects.create(
        operator=getpass.getuser(),
        what=AccessLog.What.EXPORT,
        subject="intakes",
        action="export",
        record_count=record_count,
        path=command_line[:300],
    )


class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["accessed_at", "user", "operator", "what", "subject", "intake", "patient"]
    list_filter = ["what", "action", ("accessed_at", DateFieldListFilter)]
    search_fields = ["intake__reference", "user__username", "operator"]
    list_select_related = ["user", "intake", "patient"]
    ordering = ["-accessed_at", "-pk"]
    show_full_result_count = False
    fields = [
        "accessed_at",
        "user",
        "operator",
        "what",
        "subject",
        "intake",
        "patient",
        "record_count",
        "search_hash",
        "action",
        "path",
    ]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        # Who looked at which patient is for the administrators alone.
        return request.user.is_superuser
