"""A cache of the public education pages, invalidated by any edit.

Pages are cached whole for anonymous readers under a key that includes a
content version. Saving or deleting an article, a source or a glossary term
bumps the version, so every page (including neighbours and related links
that show an edited title) is rebuilt on its next visit. The timeout bounds
how late a scheduled publication can appear.
"""

from django.core.cache import cache

VERSION_KEY = "education:content-version"
PAGE_TIMEOUT_SECONDS = 300


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def bump_content_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def page_key(name):
    return f"education:page:{_version()}:{name}"


def cached_page(name):
    return cache.get(page_key(name))


def store_page(name, content):
    cache.set(page_key(name), content, timeout=PAGE_TIMEOUT_SECONDS)
