from django.urls import path, register_converter
from django.utils.translation import pgettext_lazy

from intake.journey import steps, views
from oih_site.language import TranslatedSlugConverter


class StepConverter(TranslatedSlugConverter):
    slugs = tuple(step.slug for step in steps.STEPS)


register_converter(StepConverter, "journey_step")

app_name = "intake"
urlpatterns = [
    path("", views.start, name="start"),
    path(pgettext_lazy("address", "resume/"), views.resume, name="resume"),
    path(pgettext_lazy("address", "resume/<str:token>/"), views.resume_link, name="resume_link"),
    path(pgettext_lazy("address", "keepalive/"), views.keepalive, name="keepalive"),
    path(pgettext_lazy("address", "done/"), views.done, name="done"),
    path(pgettext_lazy("address", "done/answers/"), views.done_answers, name="done_answers"),
    path(pgettext_lazy("address", "save/"), views.save_later, name="save_later"),
    path(
        pgettext_lazy("address", "medicines/search/"),
        views.medicine_search,
        name="medicine_search",
    ),
    path(
        pgettext_lazy("address", "medicines/<int:medicine_id>/remove/"),
        views.remove_medicine,
        name="remove_medicine",
    ),
    path(
        pgettext_lazy("address", "medicines/undo-remove/"),
        views.undo_remove_medicine,
        name="undo_remove_medicine",
    ),
    path("<journey_step:slug>/", views.step_view, name="step"),
]
