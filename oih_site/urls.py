from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from oih_site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("learn/", include("education.urls")),
    path("intake/", include("intake.journey.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "oih_site.views.bad_request"
handler500 = "oih_site.views.server_error"
