"""The admin site: staff who can see patient data must pass a second factor."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode

from accounts import two_factor


class ClinicAdminSite(admin.AdminSite):
    site_header = "Pain clinic administration"
    site_title = "Pain clinic admin"
    index_title = "Administration"

    def __init__(self, name="admin"):
        super().__init__(name)
        self._pages = []

    def register_page(self, route, view, name):
        """A page of the site's own rather than a model admin's (the clinicians' intake page):
        behind the same sign-in and second factor, named in the site's namespace, and placed
        ahead of the model admins' pages, so that it answers at an address one would have."""
        self._pages.append(path(route, self.admin_view(view), name=name))

    def each_context(self, request):
        context = super().each_context(request)
        context["staff_session_seconds"] = settings.STAFF_IDLE_SECONDS
        context["staff_warning_seconds"] = settings.STAFF_IDLE_WARNING_SECONDS
        return context

    def get_app_list(self, request, app_label=None):
        # The screenings' list is the clinicians' worklist: named so on the index and menu.
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for model in app["models"]:
                if model["object_name"] == "Screening":
                    model["name"] = "Worklist"
        return app_list

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        user = request.user
        # Just after the password step the user object is fresh, without django-otp's
        # is_verified(); such a user has not passed the second factor yet.
        is_verified = getattr(user, "is_verified", None)
        return not two_factor.requires_two_factor(user) or bool(is_verified and is_verified())

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_staff and not self.has_permission(request):
            return self._to_second_factor(request)
        response = super().login(request, extra_context)
        if (
            request.method == "POST"
            and request.user.is_authenticated
            and not (self.has_permission(request))
        ):
            return self._to_second_factor(request)
        return response

    def _to_second_factor(self, request):
        next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
        query = f"?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else ""
        return redirect(reverse("admin:two_factor") + query)

    def get_urls(self):
        return [
            path(
                "two-factor/", lambda request: two_factor.verify(request, self), name="two_factor"
            ),
            path("keepalive/", self.admin_view(self.keepalive), name="keepalive"),
            *self._pages,
            *super().get_urls(),
        ]

    def keepalive(self, request):
        """The idle warning's "stay signed in": any request renews the session."""
        return HttpResponse(status=204)
