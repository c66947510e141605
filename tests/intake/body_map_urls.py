"""A test-only URLconf: the site's URLs plus one page that shows the body map.

Used by tests/intake/test_body_map.py through @pytest.mark.urls, since the site
has no page with the body map yet. GET ?checked=<code> pre-marks places; POST
shows what the form received.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from oih_site.urls import urlpatterns as site_urlpatterns

PAGE = """{% extends "base.html" %}{% load static %}
{% block title %}Where does it hurt?{% endblock title %}
{% block head %}<link rel="stylesheet" href="{% static 'css/body_map.css' %}">{% endblock head %}
{% block content %}
<h1>Where does it hurt?</h1>
<form method="post" novalidate>
  {% csrf_token %}
  {% include "includes/_body_map.html" with field=form.current_pain_sites map_id="current" %}
  <button class="btn btn-primary" type="submit">Save</button>
</form>
<h2 class="mt-5">What your care team sees</h2>
{% include "includes/_body_map_picture.html" with first_sites=first_sites current_sites=current_sites new_sites=new_sites %}
{% endblock content %}
{% block scripts %}<script src="{% static 'js/body_map.js' %}"></script>{% endblock scripts %}
"""

# What the picture shows on the test page.
PICTURE_SITES = {
    "first_sites": ["lower_back", "left_thigh"],
    "current_sites": ["lower_back", "left_thigh", "left_knee", "right_shoulder", "head"],
    "new_sites": ["left_knee", "right_shoulder"],
}


def body_map_page(request):
    from tests.intake.test_body_map import PainSitesForm

    if request.method == "POST":
        form = PainSitesForm(request.POST)
        form.is_valid()
    else:
        form = PainSitesForm(initial={"current_pain_sites": request.GET.getlist("checked")})
    html = engines["django"].from_string(PAGE).render({"form": form, **PICTURE_SITES}, request)
    return HttpResponse(html)


urlpatterns = [
    path("body-map/", body_map_page, name="body_map_test"),
    *site_urlpatterns,
]
