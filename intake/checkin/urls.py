from django.urls import path

from intake.checkin import views

app_name = "checkin"
urlpatterns = [
    path("", views.start, name="start"),
    path("link/<str:token>/", views.open_link, name="link"),
    path("done/", views.done, name="done"),
    path("doses/medicine/", views.medicine, name="add_medicine"),
    path("doses/medicine/<int:medicine_id>/", views.medicine, name="change_medicine"),
    path("<slug:slug>/", views.step_view, name="step"),
]
