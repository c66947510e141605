"""The clinicians' pages are views of their own, not a ModelAdmin's: at the addresses the
admin gave them, behind the admin's sign-in and second factor, asking access.py who may see
them and writing the access log. The model admins stay declarative lists and records."""

import ast
import pathlib

import pytest
from django.test import Client
from django.urls import resolve, reverse

from intake.models import AccessLog, Intake
from intake.review import dashboard, follow_up, intake_page, patients, printable_summary
from tests.intake.review.helpers import FLAG_CASE, make_intake

REVIEW = pathlib.Path(intake_page.__file__).parent
# Django's list-filter API passes the ModelAdmin to `lookups`; that is not a view.
LIST_FILTER_HOOKS = {"lookups", "queryset", "choices", "expected_parameters"}


def _functions(tree):
    """(class name or None, function) for every function of a module, methods included."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield None, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    yield node.name, item


def _parameters(function):
    arguments = function.args
    return [a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]]


def _calls_super(function, name):
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == name
        and isinstance(node.func.value, ast.Call)
        and getattr(node.func.value.func, "id", "") == "super"
        for node in ast.walk(function)
    )


def _sources():
    paths = [*sorted(REVIEW.glob("*.py")), REVIEW.parent / "admin.py"]
    assert len(paths) > 10 and all(path.exists() for path in paths)
    return [(path.name, ast.parse(path.read_text())) for path in paths]


def test_no_view_in_review_or_the_admin_takes_a_model_admin():
    taking = [
        f"{name}:{cls or ''}.{function.name}"
        for name, tree in _sources()
        for cls, function in _functions(tree)
        if "model_admin" in _parameters(function) and function.name not in LIST_FILTER_HOOKS
    ]
    assert taking == []


def test_no_model_admin_replaces_its_change_view_or_adds_urls():
    """A change_view may only add to the admin's own (the access log's), never be a page."""
    replacing = [
        f"{name}:{cls}.{function.name}"
        for name, tree in _sources()
        for cls, function in _functions(tree)
        if cls is not None
        and (
            function.name == "get_urls"
            or (function.name == "change_view" and not _calls_super(function, "change_view"))
        )
    ]
    assert replacing == []


def test_the_only_change_view_in_review_is_the_access_logs():
    found = [
        f"{name}:{cls}"
        for name, tree in _sources()
        for cls, function in _functions(tree)
        if function.name == "change_view"
    ]
    assert found == ["access_log.py:AccessLoggedAdmin"]


def test_the_admins_addresses_answer_with_the_pages_own_views():
    answering = {
        "/admin/intake/intake/7/change/": intake_page.intake_page,
        "/admin/intake/intake/7/summary/": printable_summary.printable_summary,
        "/admin/intake/intake/7/follow-up/": follow_up.follow_up_page,
        "/admin/intake/screening/dashboard/": dashboard.dashboard,
        "/admin/intake/patient/7/fhir/": patients.fhir_download,
    }
    for address, view in answering.items():
        match = resolve(address)
        assert match.namespace == "admin", address
        # admin_view's wrapper keeps the view it wraps.
        assert match.func.__wrapped__ is view, address
    assert reverse("admin:intake_intake_change", args=[7]) == "/admin/intake/intake/7/change/"
    assert reverse("admin:intake_intake_summary", args=[7]) == "/admin/intake/intake/7/summary/"
    assert reverse("admin:intake_intake_follow_up", args=[7]) == "/admin/intake/intake/7/follow-up/"
    assert reverse("admin:intake_screening_dashboard") == "/admin/intake/screening/dashboard/"
    assert reverse("admin:intake_patient_fhir", args=[7]) == "/admin/intake/patient/7/fhir/"


def _pages(intake):
    return [
        reverse("admin:intake_intake_change", args=[intake.pk]),
        reverse("admin:intake_intake_summary", args=[intake.pk]),
        reverse("admin:intake_intake_follow_up", args=[intake.pk]),
        reverse("admin:intake_screening_dashboard"),
        reverse("admin:intake_patient_fhir", args=[intake.patient_id]),
    ]


@pytest.mark.django_db
def test_a_clinician_without_the_second_factor_is_sent_to_it(clinician):
    intake = make_intake(FLAG_CASE)
    client = Client()
    client.force_login(clinician)  # the password step only
    for url in _pages(intake):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_a_clinician_opens_each_page_and_each_look_is_logged(clinician_client, clinician):
    intake = make_intake(FLAG_CASE)
    statuses = [clinician_client.get(url).status_code for url in _pages(intake)]
    assert statuses == [200, 200, 200, 200, 200]
    rows = list(
        AccessLog.objects.order_by("pk").values_list("user", "what", "action", "intake", "patient")
    )
    assert rows == [
        (clinician.pk, AccessLog.What.RECORD, "view", intake.pk, None),
        (clinician.pk, AccessLog.What.RECORD, "print", intake.pk, None),
        (clinician.pk, AccessLog.What.RECORD, "view", intake.pk, None),
        (clinician.pk, AccessLog.What.EXPORT, "export", None, intake.patient_id),
    ]


@pytest.mark.django_db
def test_an_editor_gets_403_on_each_page_and_nothing_is_logged(editor_client):
    intake = make_intake(FLAG_CASE)
    statuses = [editor_client.get(url).status_code for url in _pages(intake)]
    assert statuses == [403, 403, 403, 403, 403]
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_the_fhir_download_of_no_such_patient_is_404(clinician_client):
    for object_id in ("999999", "abc"):
        url = reverse("admin:intake_patient_fhir", args=[object_id])
        assert clinician_client.get(url).status_code == 404
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", ["intake_intake_change", "intake_intake_summary", "intake_intake_follow_up"]
)
def test_an_unfinished_form_is_not_found_on_the_clinicians_pages(clinician_client, page):
    """Unfinished forms stay the patient's until they are submitted."""
    unfinished = Intake.objects.create(full_name="Ada Lovelace")
    response = clinician_client.get(reverse(f"admin:{page}", args=[unfinished.pk]), follow=True)
    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    assert f"There is no intake with ID “{unfinished.pk}”" in response.content.decode()
    assert "Ada Lovelace" not in response.content.decode()
    assert AccessLog.objects.count() == 0
