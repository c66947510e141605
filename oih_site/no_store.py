"""Pages with patient data or secrets are never kept by the browser or any cache on the way.

A shared or borrowed computer must not show the next person a patient's answers, a resume
code or an authenticator secret from its cache or its back button. Marked by path, so that
every page under a private prefix is covered, including pages added later.
"""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


def is_private_path(path):
    return any(path.startswith(prefix) for prefix in settings.NO_STORE_PATH_PREFIXES)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private_path(request.path_info):
            # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private
            add_never_cache_headers(response)
        return response
