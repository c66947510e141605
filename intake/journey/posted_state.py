"""Post/Redirect/Get for a patient's page whose post did not move on.

Every post answers with a redirect, so Back and reload never re-send a form or show the
browser's "Confirm Form Resubmission". A post that stays on its page (an error, the medicine
search, the choice of a product) is kept under a private token and the browser is
sent to the same page with `?state=<token>`; that GET rebuilds the page from what was typed,
so reloading it or coming Back to it shows the same page with nothing lost, and sends nothing.
"""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.shortcuts import redirect

STATE_PARAMETER = "state"
NOT_KEPT = {"csrfmiddlewaretoken"}


def clean_path(request, **parameters):
    """This page's address without a state token, keeping `next` (the way back to the check
    page) and adding `parameters`."""
    query = {}
    if request.GET.get("next"):
        query["next"] = request.GET["next"]
    query.update(parameters)
    return f"{request.path}?{urlencode(query)}" if query else request.path


def _key(token):
    return f"posted-state:{token}"


def remember(request, **extra):
    """Keep this post (and `extra`: plain values the page needs, such as messages) and
    redirect to the same page, which shows it again.

    Kept in the shared cache, not in the session: every request saves the whole session
    (SESSION_SAVE_EVERY_REQUEST), so the search box's own requests, running at the same
    moment, would save it back without the kept post. Bound to this browser's session and
    kept for as long as an idle form is held."""
    if request.session.session_key is None:
        request.session.save()
    token = secrets.token_urlsafe(16)
    cache.set(
        _key(token),
        {
            "session": request.session.session_key,
            "path": request.path,
            "post": {key: request.POST.getlist(key) for key in request.POST if key not in NOT_KEPT},
            "extra": extra,
        },
        timeout=settings.INTAKE_IDLE_MINUTES * 60,
    )
    return redirect(clean_path(request, **{STATE_PARAMETER: token}))


def recall(request):
    """The post kept for this GET as a QueryDict, and its extras; (None, {}) if none."""
    token = request.GET.get(STATE_PARAMETER) if request.method == "GET" else None
    state = cache.get(_key(token)) if token else None
    if (
        state is None
        or state["path"] != request.path
        or state["session"] != request.session.session_key
    ):
        return None, {}
    posted = QueryDict(mutable=True)
    for key, values in state["post"].items():
        posted.setlist(key, values)
    return posted, state["extra"]
