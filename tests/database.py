"""The test database's starting point, and a fast way back to it after a test that commits.

Every test starts from the same database: the migrations' rows (groups, permissions) and the
shipped articles and glossary, loaded once per session (per xdist worker) instead of once per
test. A test inside a transaction (`db`) gets there by its rollback. A test that commits
(`transactional_db`: the live server, the job worker) would be followed by Django's flush,
which truncates every table and takes a second or two on PostgreSQL, after which each test had
to load the content again. Instead the database is put back to the recorded starting point:
every table emptied with DELETE (instant on tables this small) and the starting rows copied
back in, in one transaction.

Loaded as a pytest plugin (`-p tests.database` in pyproject.toml), before any test runs.
"""

import io

import django.test
from django.db import connections, transaction

# table -> (columns, rows in PostgreSQL's binary COPY format), recorded once per session.
_starting_rows = {}
# procrastinate's tables, in an order their (not deferrable) foreign keys allow.
QUEUE_TABLES = ("procrastinate_periodic_defers", "procrastinate_jobs", "procrastinate_workers")
# The id sequences of those tables, with the highest id of their starting rows.
_starting_sequences = {}


def record_starting_point(connection):
    """Remember every row the database holds now (the migrations' and the shipped content's)."""
    _starting_rows.clear()
    _starting_sequences.clear()
    with connection.cursor() as cursor:
        for table in _tables(connection):
            columns = _stored_columns(cursor, table)
            buffer = io.BytesIO()
            column_list = ", ".join(f'"{column}"' for column in columns)
            with cursor.copy(f'COPY "{table}" ({column_list}) TO STDOUT (FORMAT BINARY)') as copy:
                for data in copy:
                    buffer.write(data)
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
            if cursor.fetchone()[0]:
                _starting_rows[table] = (column_list, buffer.getvalue())
                _record_sequence(cursor, table, columns)


def _record_sequence(cursor, table, columns):
    if "id" not in columns:
        return
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"'])
    sequence = cursor.fetchone()[0]
    if sequence:
        cursor.execute(f'SELECT max(id) FROM "{table}"')
        _starting_sequences[sequence] = cursor.fetchone()[0]


def back_to_starting_point(connection):
    """Empty every table and copy the recorded starting rows back in, in one transaction.

    Foreign keys are deferrable on PostgreSQL (Django makes them so), so the order of the
    deletes does not matter: they are checked once, at commit, when everything is back.
    Sequences are left alone, as Django's own flush leaves them, except that each stays past
    the starting rows' ids: a test that migrates a table away and back (its sequence starts
    again at 1) must not leave the next test's insert colliding with a starting row.
    """
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in _tables(connection):
            cursor.execute(f'DELETE FROM "{table}"')
        # The job queue's tables are procrastinate's own, not Django models, so not in the
        # list above; a job a committing test queued must not be found by the next test.
        # Their foreign keys are not deferred: the referring rows go first.
        for table in QUEUE_TABLES:
            cursor.execute(f"DELETE FROM {table}")
        for table, (column_list, rows) in _starting_rows.items():
            with cursor.copy(f'COPY "{table}" ({column_list}) FROM STDIN (FORMAT BINARY)') as copy:
                copy.write(rows)
        if _starting_sequences:
            # One round trip: each sequence moved past its starting rows, never back.
            cursor.execute(
                "SELECT "
                + ", ".join(
                    f"setval('{sequence}', GREATEST({highest}, "
                    f"(SELECT last_value FROM {sequence})))"
                    for sequence, highest in _starting_sequences.items()
                )
            )


def _tables(connection):
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return sorted(table for table in tables if table != "django_migrations")


def _stored_columns(cursor, table):
    """The table's columns that hold data: not the generated ones, which COPY FROM refuses."""
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        [f'"{table}"'],
    )
    return [row[0] for row in cursor.fetchall()]


def _back_to_starting_point_after_a_test(self):
    for alias in self._databases_names(include_mirrors=False):
        back_to_starting_point(connections[alias])


def pytest_configure(config):
    # In place of the flush that TransactionTestCase (so pytest-django's `transactional_db`)
    # runs after each test; `django.test.TestCase` keeps its rollback.
    django.test.TransactionTestCase._fixture_teardown = _back_to_starting_point_after_a_test


def without_shipped_content(connection):
    """Empty the education app's tables, for a test of its own rules on a site of its own."""
    from django.apps import apps

    tables = [model._meta.db_table for model in apps.get_app_config("education").get_models()]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            cursor.execute(f'DELETE FROM "{table}"')
