"""An embedded, real PostgreSQL for machines where DATABASE_URL is unset.

A fresh clone must run and test with nothing installed by hand, so where it is
asked for (OIH_EMBEDDED_DB=1) we start the PostgreSQL that the `pgserver` wheel ships, with
its data in `.pgdata/` beside manage.py. The server keeps running after the
process exits, so the next command reuses it instead of paying start-up again.
"""

import functools
import logging
import os
import warnings
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata"
DATABASE_NAME = "oih"


@functools.cache
def database_url():
    """Start the embedded server if needed and return a URL for its database (once a process)."""
    # pgserver keeps its lock under the user's runtime dir; a container often has none.
    os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver  # Imported here: a deployment with DATABASE_URL never needs it.
    # Its shutdown bookkeeping is logged at INFO on every exit; that is noise here.
    logging.getLogger("pgserver").setLevel(logging.WARNING)

    server = pgserver.get_server(DATA_DIR, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return server.get_uri(DATABASE_NAME)
