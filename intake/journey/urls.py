from django.urls import path

from intake.journey import views

app_name = "intake"
urlpatterns = [
    path("", views.start, name="start"),
    path("resume/", views.resume, name="resume"),
    path("resume/<str:token>/", views.resume_link, name="resume_link"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("done/", views.done, name="done"),
    path("done/answers/", views.done_answers, name="done_answers"),
    path("save/", views.save_later, name="save_later"),
    path("medicines/search/", views.medicine_search, name="medicine_search"),
    path("medicines/<int:medicine_id>/remove/", views.remove_medicine, name="remove_medicine"),
    path("medicines/undo-remove/", views.undo_remove_medicine, name="undo_remove_medicine"),
    path("<slug:slug>/", views.step_view, name="step"),
]
