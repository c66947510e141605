from django.urls import path

from education import views

app_name = "education"
urlpatterns = [
    path("", views.article_index, name="index"),
    path("search/", views.article_search, name="search"),
    path("glossary/", views.glossary, name="glossary"),
    path("media/<path:name>", views.figure_file, name="figure_file"),
    path("<slug:slug>/", views.article_detail, name="article"),
    path("<slug:slug>/preview/<int:number>/", views.preview, name="preview"),
]
