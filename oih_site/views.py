"""Site-wide pages: home, health probes and error pages."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def home(request):
    return render(request, "home.html")


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


def server_error(request):
    # Rendered without the request's context: the failure may lie in what it needs.
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    """A kind page for a stale or replayed form, instead of Django's technical one."""
    return render(request, "403_csrf.html", status=403)
