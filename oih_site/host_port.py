"""Refuse a Host header that names a port the site is not served on.

Django checks the host name against ALLOWED_HOSTS but not the port, so gunicorn reached
directly answered "Host: clinic.example.org:6666" and built its redirects (https, the
language switch) to that port. ALLOWED_HOST_PORTS (DJANGO_ALLOWED_HOST_PORTS) lists the
ports a Host header may name; "*" allows any (the test suite's live server, on a random
port). The health checks are answered whatever the balancer sends: they build no link.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port

HEALTH_CHECKS = ("/healthz", "/readyz")


class HostPortMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        allowed = settings.ALLOWED_HOST_PORTS
        if "*" not in allowed and request.path_info not in HEALTH_CHECKS:
            _, port = split_domain_port(request.META.get("HTTP_HOST", ""))
            if port and port not in allowed:
                # Answered 400 by Django, and logged by django.security.DisallowedHost.
                raise DisallowedHost(f"Host header names port {port}, which is not served.")
        return self.get_response(request)
