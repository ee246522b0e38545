"""Backup and restore of the whole database, consistent while the app runs.

SQLite: the online backup API copies the live file page by page under its own read lock,
so a backup taken while the web server and the worker write is still one consistent moment.
Other engines (PostgreSQL): a dump of every row read inside one REPEATABLE READ transaction
(one snapshot), restored by flush + loaddata in one transaction. The dump is Django's XML
format, because its JSON encoder cuts times to milliseconds and a restore must lose nothing. For large
PostgreSQL installations pg_dump/pg_restore are the better tools; this pair is the one that
works the same everywhere and is tested.
"""

import shutil
import sqlite3
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction

SQLITE_MAGIC = b"SQLite format 3\x00"
# Rebuilt by migrate/flush with the same natural keys; dumped rows refer to them by name.
NOT_DUMPED = ["contenttypes", "auth.permission"]


def backup(path):
    """Write a snapshot of the database to `path`; returns 'sqlite' or 'xml'."""
    path = Path(path)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return "sqlite"
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command(
            "dumpdata", format="xml", natural_foreign=True, exclude=NOT_DUMPED, output=str(path), verbosity=0,
        )
    return "xml"


def restore(path):
    """Replace every row of the database with the snapshot at `path` (from backup())."""
    path = Path(path)
    with path.open("rb") as file:
        is_sqlite = file.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    if is_sqlite:
        if connection.vendor != "sqlite":
            raise ValueError(f"{path} is an SQLite backup; this database is {connection.vendor}.")
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return "sqlite"
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "backup.xml"  # loaddata knows the format by the file's name
        shutil.copyfile(path, fixture)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # Run deferred FK checks now, or TRUNCATE refuses a transaction that wrote before.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(fixture), verbosity=0)
    return "xml"
