"""The environment the server under test runs in, and the bench's own database.

Set once by `bench/run.py` before Django is imported; the gunicorn server, the
management commands and the in-process measurements all get the same variables.
"""

import os
import secrets
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / ".work"  # git-ignored (bench/.gitignore): logs, cache, path lists
PYTHON = sys.executable
DATABASE_NAME = "oih_bench"
HOST = "127.0.0.1"
ALLOWED_HOSTS = "127.0.0.1,localhost"


def bench_database_url():
    """DATABASE_URL when given; else the `oih_bench` database on the embedded PostgreSQL.

    The bench empties and reseeds the intake tables of the database it uses, so a given
    DATABASE_URL must name a database with "bench" in its name: never a clinic's data.
    """
    if os.environ.get("DATABASE_URL"):
        from urllib.parse import urlsplit

        name = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
        if "bench" not in name:
            raise SystemExit(
                f"DATABASE_URL names the database {name!r}: the bench replaces the intake data "
                "of its database, so it runs only on one whose name contains 'bench' "
                "(for example postgres://postgres@127.0.0.1:5432/oih_bench)."
            )
        return os.environ["DATABASE_URL"]
    import logging
    import warnings

    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    sys.path.insert(0, str(ROOT))
    from oih_site.embedded_postgres import DATA_DIR

    server = pgserver.get_server(DATA_DIR, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return server.get_uri(DATABASE_NAME)


def server_environment():
    """The variables of a production-like server on plain http on loopback."""
    WORK_DIR.mkdir(exist_ok=True)
    key_file = WORK_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": key_file.read_text().strip(),
        "DJANGO_ALLOWED_HOSTS": ALLOWED_HOSTS,
        "DJANGO_SETTINGS_MODULE": "oih_site.settings",
        # Its own page cache, emptied at the start of every run.
        "DJANGO_CACHE_DIR": str(WORK_DIR / "cache"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": bench_database_url(),
    }


def apply():
    """Put the server environment into this process (before Django is imported)."""
    env = server_environment()
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    return env
