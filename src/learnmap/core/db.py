"""Database helpers every app shares: SQLite's real variable limit per statement, bulk
writes as one ``executemany``, and a database set up before a command uses it."""

from __future__ import annotations

import sqlite3


def tune_sqlite_connection(sender, connection, **kwargs) -> None:
    """Let bulk operations use SQLite's real variable limit, not Django 5.2's assumed 999.

    Modern SQLite allows 32,766 variables per statement; with Django's conservative default a
    10,000-row bulk insert is split into ~170 statements instead of a handful.
    """
    if connection.vendor != "sqlite":
        return
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    connection.features.max_query_params = limit


def bulk_update_rows(model, objs, fields) -> None:
    """Write ``fields`` of each object to its row, as one ``executemany`` of plain UPDATEs.

    Django's ``bulk_update`` builds one ``CASE WHEN id=... THEN ...`` expression per field over
    the whole batch; on SQLite that is quadratic and took a minute for 10,000 rows. Prepared
    UPDATEs by primary key run the same work in well under a second on SQLite and PostgreSQL.
    ``fields`` are field names or attnames (``node`` or ``node_id``).
    """
    if not objs:
        return
    from django.db import connections, router

    by_name = {}
    for field in model._meta.concrete_fields:
        by_name[field.name] = by_name[field.attname] = field
    columns = [by_name[name] for name in fields]
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    pk = model._meta.pk
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def bulk_update_plain(model, fields, rows) -> None:
    """Like ``bulk_update_rows`` for columns whose values need no conversion (integers,
    strings): ``rows`` are ``(value, ..., pk)`` tuples, and no model instance is built. For
    the thousands of rows whose line numbers an edit near the top of a file shifts."""
    if not rows:
        return
    from django.db import connections, router

    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name).column for name in fields]
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    pk = quote(model._meta.pk.column)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {pk} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def bulk_insert_rows(model, rows) -> None:
    """INSERT ``rows`` (dicts of field name or attname -> value) with one ``executemany``.

    For large imports where the new ids are not needed: Django's ``bulk_create`` compiles
    every value through the ORM and spent 1.5 s of a 10,000-resource import doing so.
    Fields left out get their default (``auto_now``/``auto_now_add`` get the current time).
    """
    if not rows:
        return
    from django.db import connections, models, router
    from django.utils import timezone

    connection = connections[router.db_for_write(model)]
    plain = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = []
    for field in fields:
        if isinstance(field, models.ForeignKey):
            target = field.target_field
            simple = isinstance(target, plain) and not isinstance(target, models.UUIDField)
        else:
            simple = isinstance(field, plain)
        auto_time = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        columns.append((field, simple, auto_time))
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    now_db = {}
    params = []
    for row in rows:
        values = []
        for field, simple, auto_time in columns:
            if field.attname in row or field.name in row:
                value = row[field.attname] if field.attname in row else row[field.name]
            elif auto_time:
                if field not in now_db:
                    now_db[field] = field.get_db_prep_save(now, connection)
                values.append(now_db[field])
                continue
            else:
                value = field.get_default()
            values.append(
                value if simple or value is None else field.get_db_prep_save(value, connection)
            )
        params.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def ensure_schema() -> str | None:
    """Make sure the database has every table before a command uses it.

    On the embedded default (SQLite) a fresh data directory is set up on the spot, as
    ``learnmap serve`` does, and a sentence saying so is returned. Elsewhere (PostgreSQL in
    production) migrating is the operator's deliberate step: a clear error says what to run.
    """
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    from learnmap.core.errors import ApplicationError

    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return None
    if connection.vendor != "sqlite":
        raise ApplicationError(
            "The database is not set up (or not up to date): run `learnmap migrate` first.",
            code="unmigrated",
        )
    call_command("migrate", interactive=False, verbosity=0)
    return f"Set up a new database at {connection.settings_dict['NAME']}."
