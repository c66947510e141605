from django.urls import path
from django.utils.translation import pgettext_lazy

from education import views

app_name = "education"
urlpatterns = [
    path("", views.article_index, name="index"),
    path(pgettext_lazy("address", "search/"), views.article_search, name="search"),
    path(pgettext_lazy("address", "glossary/"), views.glossary, name="glossary"),
    path(pgettext_lazy("address", "media/<path:name>"), views.figure_file, name="figure_file"),
    # A guide keeps its slug in both languages.
    path("<slug:slug>/", views.article_detail, name="article"),
    path(
        pgettext_lazy("address", "<slug:slug>/preview/<int:number>/"),
        views.preview,
        name="preview",
    ),
]
