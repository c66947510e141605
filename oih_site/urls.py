from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import pgettext_lazy

from oih_site import language, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("language/<str:language>/", language.switch_language, name="switch_language"),
    path(settings.ADMIN_URL, admin.site.urls),
]
# The patient pages: English at the plain addresses, Spanish under /es/ with Spanish words
# (the "address" entries of locale/es/LC_MESSAGES/django.po; oih_site/language.py sends
# an address with the English words under /es/ to its Spanish one).
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(pgettext_lazy("address", "learn/"), include("education.urls")),
    # Before the journey, whose step pages would otherwise take "check-in" for a step.
    path(pgettext_lazy("address", "intake/check-in/"), include("intake.checkin.urls")),
    path(pgettext_lazy("address", "intake/"), include("intake.journey.urls")),
    prefix_default_language=False,
)

handler400 = "oih_site.views.bad_request"
handler404 = "oih_site.views.page_not_found"
handler500 = "oih_site.views.server_error"
