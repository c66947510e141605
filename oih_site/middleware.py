"""Site-wide request handling that is about availability, not features."""

import logging

from django.db import InterfaceError, OperationalError
from django.shortcuts import render

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """While the database is unreachable, answer 503 "please try again", never a stack trace.

    Nothing half-done is kept: each write runs in a transaction that the failure rolled back,
    and the patient's earlier steps are already saved. Django's connection health checks
    reconnect on a later request once the database is back, without a restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # The exception text can quote SQL parameters, so only its type is logged.
        logger.warning("Database unavailable (%s) on %s", type(exception).__name__, request.path)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "30"
        return response
