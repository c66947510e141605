"""Site-wide pages: home, health probes and error pages."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import translation

from intake.journey.steps import MINUTES_TO_COMPLETE


def home(request):
    return render(request, "home.html", {"intake_minutes": MINUTES_TO_COMPLETE})


def healthz(request):
    """The process is up. Touches no database, so it measures the server alone."""
    return HttpResponse("ok", content_type="text/plain")


def readyz(request):
    """Ready to serve: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def _database_outage_behind(error):
    """True when an error, or any error that led to it, is a lost database connection."""
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def _try_again_later():
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "30"
    return response


def bad_request(request, exception):
    # Django reports a session that could not be saved as "interrupted" (400), even when
    # the cause was the database going away; that patient should simply try again.
    if _database_outage_behind(exception):
        return _try_again_later()
    return HttpResponseBadRequest(loader.get_template("400.html").render())


def server_error(request):
    """Django's last resort for an uncaught error anywhere: a view, a middleware, a template.

    When the cause is an unreachable database, say "please try again" with a 503: nothing
    half-done was kept (each write is one transaction) and the app reconnects by itself once
    the database is back. Rendered without the request's context: the failure may lie in
    what that context needs.
    """
    if _database_outage_behind(sys.exc_info()[1]):
        return _try_again_later()
    return HttpResponseServerError(loader.get_template("500.html").render())


def page_not_found(request, exception):
    """The 404 page in the patient's language: an address under /es/ is Spanish already; a
    plain address that is nobody's page follows the browser's choice (its cookie from the
    language switch, else its Accept-Language), since there is no page to say otherwise."""
    language = translation.get_language()
    if not request.path.startswith("/es/"):
        language = translation.get_language_from_request(request)
    with translation.override(language):
        return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    """A kind page for a stale or replayed form, instead of Django's technical one."""
    return render(request, "403_csrf.html", status=403)
