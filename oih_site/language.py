"""The patient pages in English (unprefixed URLs) and Spanish (/es/...).

English pages keep their plain addresses (/learn/...), so links shared before Spanish
existed still work. Spanish pages have Spanish words (/es/guias/..., /es/formulario/...):
the "address" entries of the Spanish catalogue. An address under /es/ with the English
words, as links sent before had, still reaches its page (OldSpanishAddressMiddleware). A reader's language is remembered in Django's language cookie, set
only by the switcher. On a first visit (no cookie) a browser that prefers Spanish
(Accept-Language) is sent to the Spanish page; later visits follow the cookie. The admin
is outside the language URLs and stays in English.
"""

from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import Resolver404, get_script_prefix, resolve, reverse, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language_from_path, pgettext

LANGUAGE_NAMES = {"en": "English", "es": "Español"}
# A year: a language choice is a preference, not a secret.
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 60 * 60


def preferred_language(request):
    """The cookie's language, else the browser's (Accept-Language), else English."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in LANGUAGE_NAMES:
        return chosen
    from_browser = translation.get_language_from_request(request)
    return from_browser if from_browser in LANGUAGE_NAMES else settings.LANGUAGE_CODE


class TranslatedSlugConverter:
    """A page's name in an address, in the page's language: the form's "about-you" is
    "sobre-usted" under /es/ (the "address" entries of the catalogue). The view is given
    the page's own (English) name in both languages. `slugs`: the names a subclass knows."""

    regex = "[-a-zA-Z0-9_]+"
    slugs = ()

    def to_python(self, value):
        return _slugs_by_address(type(self), translation.get_language()).get(value, value)

    def to_url(self, value):
        return pgettext("address", value)


@lru_cache(maxsize=64)
def _slugs_by_address(converter, language):
    """A converter's page names by their address in `language`: built once per language,
    not at every address read (the catalogue is read at start-up and never changes)."""
    with translation.override(language):
        return {pgettext("address", slug): slug for slug in converter.slugs}


def address_in(path, language):
    """The same page in another language: /learn/x/ <-> /es/guias/x/.

    The language URLs resolve only under their own language, so the path is read in
    the language its prefix names; a Spanish address with the English words is read as
    the page it leads to.
    """
    return _address_in(path, language, get_script_prefix())


# Every page works this out for each language (the switcher, the hreflang links): a resolve
# and a reverse each time, a tenth of a page's time, for an answer that depends only on the
# address, the URLs and the catalogue. The URLs change only where a test swaps them.
@lru_cache(maxsize=4096)
def _address_in(path, language, script_prefix):
    parts = urlsplit(path)
    old = spanish_address_of_old(parts.path)
    if old is not None:
        path = urlunsplit(parts._replace(path=old))
    with translation.override(get_language_from_path(path) or settings.LANGUAGE_CODE):
        return translate_url(path, language)


def spanish_address_of_old(path):
    """The address of a page under /es/ written with the English words (/es/intake/resume/,
    as sent before Spanish words existed): /es/formulario/retomar/. None for an address
    that is fine as it is, or is no page."""
    language = get_language_from_path(path)
    if language is None or language == settings.LANGUAGE_CODE:
        return None
    return _spanish_address_of_old(path, language, get_script_prefix())


# Asked at every Spanish page (OldSpanishAddressMiddleware): worked out once per address.
@lru_cache(maxsize=4096)
def _spanish_address_of_old(path, language, script_prefix):
    with translation.override(language):
        try:
            resolve(path)
            return None
        except Resolver404:
            pass
    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(path.removeprefix(f"/{language}"))
        except Resolver404:
            return None
    with translation.override(language):
        address = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    # Only a page of the language URLs: /es/admin/ is nobody's page, not the admin.
    return address if address.startswith(f"{get_script_prefix()}{language}/") else None


class OldSpanishAddressMiddleware:
    """An address under /es/ with the English words still reaches its page: a page read
    (GET, HEAD) is sent to the Spanish words; a form sent to it is taken there as it is,
    so nothing typed is lost. After LocaleMiddleware, which sets the language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = spanish_address_of_old(request.path_info)
        if address is not None:
            if request.method in ("GET", "HEAD"):
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(f"{address}?{query}" if query else address)
            request.path = address
            request.path_info = "/" + address.removeprefix(get_script_prefix())
        return self.get_response(request)


class PreferredLanguageRedirectMiddleware:
    """Send a reader who prefers Spanish from an English address to its Spanish one.

    Only page reads (GET, HEAD) of the patient pages move; a form post never does.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self._redirect_for(request)
        response = redirect or self.get_response(request)
        if get_language_from_path(request.path_info) is None:
            # What an unprefixed address shows depends on these two headers.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def _redirect_for(self, request):
        if request.method not in ("GET", "HEAD"):
            return None
        if get_language_from_path(request.path_info) is not None:
            return None
        language = preferred_language(request)
        if language == settings.LANGUAGE_CODE:
            return None
        target = address_in(request.path_info, language)
        if get_language_from_path(target) != language:
            return None  # not a page of the language URLs (the admin, a probe, a 404)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(f"{target}?{query}" if query else target)


def switch_language(request, language):
    """The switcher's link: remember the choice and show the same page in that language.

    A plain link rather than Django's POST-only set_language: patient pages are cached
    whole for anonymous readers, so they cannot carry a per-visitor CSRF token.
    """
    if language not in LANGUAGE_NAMES:
        language = settings.LANGUAGE_CODE
    next_path = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not next_path.startswith("/"):
        next_path = "/"
    response = HttpResponseRedirect(address_in(next_path, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=LANGUAGE_COOKIE_SECONDS,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def language_links(request):
    """Template context: this page's address in each language (switcher, hreflang links)."""
    path = request.get_full_path()
    current = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "language_links": [
            {
                "code": code,
                "name": name,
                "path": address_in(request.path, code),
                "switch_url": reverse("switch_language", kwargs={"language": code})
                + "?"
                + urlencode({"next": path}),
                "is_current": code == current,
            }
            for code, name in LANGUAGE_NAMES.items()
        ]
    }


@receiver(setting_changed)
def _forget_addresses(setting, **kwargs):
    """A test that swaps the URLs or the languages gets addresses worked out anew."""
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        _address_in.cache_clear()
        _spanish_address_of_old.cache_clear()
        _slugs_by_address.cache_clear()
