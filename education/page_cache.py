"""A cache of the public education pages, invalidated by any edit.

Pages are cached whole for anonymous readers under a key that includes a
content version. Saving or deleting an article, a source or a glossary term
bumps the version, so every page (including neighbours and related links
that show an edited title) is rebuilt on its next visit. The timeout bounds
how late a scheduled publication can appear.

Each worker also keeps the pages it served in memory, and re-reads the shared
version at most once a second: a cached page then costs no file or network
read at all. The worker that saved an edit sees it at once, the others within
`VERSION_CHECK_SECONDS`.
"""

import time
from types import SimpleNamespace

from django.core.cache import cache

VERSION_KEY = "education:content-version"
PAGE_TIMEOUT_SECONDS = 300
VERSION_CHECK_SECONDS = 1.0
LOCAL_PAGES_MAX = 500

# One per worker process, shared by its threads (dict reads and writes are atomic).
_local = SimpleNamespace(pages={}, version=None, checked_at=0.0)


def forget_local():
    """Drop this worker's copies (tests start each case with an empty cache)."""
    _local.pages, _local.version, _local.checked_at = {}, None, 0.0


def _version():
    state = _local
    now = time.monotonic()
    if state.version is not None and now - state.checked_at < VERSION_CHECK_SECONDS:
        return state.version
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    if version != state.version:
        state.pages = {}
    state.version, state.checked_at = version, now
    return version


def bump_content_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
    _local.version = None


def page_key(name):
    return f"education:page:{_version()}:{name}"


def cached_page(name):
    key = page_key(name)
    pages = _local.pages
    content = pages.get(key)
    if content is None:
        content = cache.get(key)
        if content is not None and len(pages) < LOCAL_PAGES_MAX:
            pages[key] = content
    return content


def store_page(name, content):
    key = page_key(name)
    cache.set(key, content, timeout=PAGE_TIMEOUT_SECONDS)
    pages = _local.pages
    if len(pages) < LOCAL_PAGES_MAX:
        pages[key] = content
