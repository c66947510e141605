from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from oih_site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("learn/", include("education.urls")),
    # Before the journey, whose step pages would otherwise take "check-in" for a step.
    path("intake/check-in/", include("intake.checkin.urls")),
    path("intake/", include("intake.journey.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "oih_site.views.bad_request"
handler500 = "oih_site.views.server_error"
