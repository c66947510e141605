"""Backups of the whole database with pg_dump, and restores with pg_restore.

The client tools come from the pgserver wheel (PostgreSQL 16), which can dump
any server up to 16, so a fresh machine needs nothing installed by hand;
tools on the PATH are the fallback.
"""

import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

from django.db import connection


def client_tool(name):
    try:
        from pgserver._commands import POSTGRES_BIN_PATH

        bundled = Path(POSTGRES_BIN_PATH) / name
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} is not installed and the pgserver wheel is missing.")
    return found


def database_url(settings_dict=None, name=None):
    """A libpq URL for a Django database, optionally naming another database on its server."""
    if settings_dict is None:
        # The embedded database learns its address on the first connection.
        connection.ensure_connection()
    db = settings_dict or connection.settings_dict
    user = quote(db.get("USER") or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    # A socket directory may arrive as HOST or, from a ?host= URL, in OPTIONS.
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host") or ""
    port = db.get("PORT") or ""
    dbname = quote(name or db["NAME"])
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{dbname}?host={quote(host)}" + (
            f"&port={port}" if port else ""
        )
    return f"postgresql://{user}{password}@{host}{':' + str(port) if port else ''}/{dbname}"


def backup(output_path, url=None):
    """Write a compressed, custom-format dump of the database; return its path."""
    output_path = Path(output_path)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            client_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--file",
            str(output_path),
            "--dbname",
            url or database_url(),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return output_path


def restore(dump_path, url=None):
    """Restore a dump into a database, replacing what its tables held."""
    subprocess.run(
        [
            client_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            url or database_url(),
            str(dump_path),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
