from django.urls import path

from education import views

app_name = "education"
urlpatterns = [
    path("", views.article_index, name="index"),
    path("search/", views.article_search, name="search"),
    path("glossary/", views.glossary, name="glossary"),
    path("<slug:slug>/", views.article_detail, name="article"),
]
