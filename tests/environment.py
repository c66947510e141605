"""The environment the test suite runs in, set before Django reads its settings.

Loaded as a pytest plugin (`-p tests.environment`) so that it runs before
pytest-django imports the settings module.
"""

import os

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The live test server listens on a random port, which its Host header names.
os.environ.setdefault("DJANGO_ALLOWED_HOST_PORTS", "*")
# The live test server speaks plain http on loopback.
os.environ.setdefault("DJANGO_HTTPS", "0")
# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by fixtures around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# With no server named, the tests ask for the embedded PostgreSQL (as `make test` does).
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("OIH_EMBEDDED_DB", "1")
