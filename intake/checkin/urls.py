from django.urls import path

from intake.checkin import views

app_name = "checkin"
urlpatterns = [
    path("", views.start, name="start"),
    path("link/<str:token>/", views.open_link, name="link"),
    path("done/", views.done, name="done"),
    path("<slug:slug>/", views.step_view, name="step"),
]
