from django.urls import path, register_converter
from django.utils.translation import pgettext_lazy

from intake.checkin import views
from oih_site.language import TranslatedSlugConverter


class StepConverter(TranslatedSlugConverter):
    slugs = tuple(step.slug for step in views.STEPS)


register_converter(StepConverter, "check_in_step")

app_name = "checkin"
urlpatterns = [
    path("", views.start, name="start"),
    path(pgettext_lazy("address", "link/<str:token>/"), views.open_link, name="link"),
    path(pgettext_lazy("address", "done/"), views.done, name="done"),
    path(pgettext_lazy("address", "doses/medicine/"), views.medicine, name="add_medicine"),
    path(
        pgettext_lazy("address", "doses/medicine/<int:medicine_id>/"),
        views.medicine,
        name="change_medicine",
    ),
    path("<check_in_step:slug>/", views.step_view, name="step"),
]
