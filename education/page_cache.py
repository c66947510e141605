"""A cache of the public education pages, invalidated by any edit.

Pages are cached whole for anonymous readers under a key that includes a
content version. Every change to the content (save, delete, bulk delete,
related-article links) reaches `content_changed` through the signals in
`education/signals.py`, which bumps the version, so every page (including
neighbours and related links that show an edited title) is rebuilt on its
next visit. The timeout bounds how late a scheduled publication can appear.

Each worker also keeps the pages it served in memory, bounded in count and in
bytes (least recently used first out), and re-reads the shared version at most
once a second: a cached page then costs no file or network read at all. The
worker that saved an edit sees it at once, the others (on this server or, with
Redis, on any server) within `VERSION_CHECK_SECONDS`.
"""

import threading
import time
from collections import OrderedDict
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "education:content-version"
PAGE_TIMEOUT_SECONDS = 300
VERSION_CHECK_SECONDS = 1.0

# One per worker process, shared by its threads under a lock.
_local = SimpleNamespace(pages=OrderedDict(), size=0, version=None, checked_at=0.0)
_lock = threading.Lock()


def local_limits():
    """(pages, bytes) this worker keeps in memory at most."""
    return (
        getattr(settings, "EDUCATION_PAGE_CACHE_LOCAL_PAGES", 500),
        getattr(settings, "EDUCATION_PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024),
    )


def forget_local():
    """Drop this worker's copies (tests start each case with an empty cache)."""
    with _lock:
        _local.pages, _local.size = OrderedDict(), 0
        _local.version, _local.checked_at = None, 0.0


def local_usage():
    """(pages, bytes) this worker holds now."""
    return len(_local.pages), _local.size


def _version():
    state = _local
    now = time.monotonic()
    if state.version is not None and now - state.checked_at < VERSION_CHECK_SECONDS:
        return state.version
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    with _lock:
        if version != state.version:
            state.pages, state.size = OrderedDict(), 0
        state.version, state.checked_at = version, now
    return version


def bump_content_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
    _local.version = None


def content_changed():
    """Invalidate every cached page, now and again when the transaction commits.

    The second bump matters with several servers: a page rebuilt by another server
    between the first bump and the commit still shows the old text, and would
    otherwise be cached under the new version.
    """
    bump_content_version()
    transaction.on_commit(bump_content_version)


def page_key(name):
    return f"education:page:{_version()}:{name}"


def _keep_locally(key, content):
    max_pages, max_bytes = local_limits()
    if len(content) > max_bytes:
        return
    with _lock:
        pages = _local.pages
        if key in pages:
            pages.move_to_end(key)
            return
        pages[key] = content
        _local.size += len(content)
        while len(pages) > max_pages or _local.size > max_bytes:
            _, dropped = pages.popitem(last=False)
            _local.size -= len(dropped)


def cached_page(name):
    key = page_key(name)
    content = _local.pages.get(key)
    if content is None:
        content = cache.get(key)
        if content is not None:
            _keep_locally(key, content)
    return content


def store_page(name, content):
    key = page_key(name)
    cache.set(key, content, timeout=PAGE_TIMEOUT_SECONDS)
    _keep_locally(key, content)
