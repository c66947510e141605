from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from oih_site import language, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("language/<str:language>/", language.switch_language, name="switch_language"),
    path(settings.ADMIN_URL, admin.site.urls),
]
# The patient pages: English at the plain addresses, Spanish under /es/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("learn/", include("education.urls")),
    # Before the journey, whose step pages would otherwise take "check-in" for a step.
    path("intake/check-in/", include("intake.checkin.urls")),
    path("intake/", include("intake.journey.urls")),
    prefix_default_language=False,
)

handler400 = "oih_site.views.bad_request"
handler404 = "oih_site.views.page_not_found"
handler500 = "oih_site.views.server_error"
