"""Backup and restore of the whole database, consistent while the app runs, checked both ways.

SQLite: the online backup API copies the live file page by page under its own read lock, so a
backup taken while the web server and the worker write is still one consistent moment. Other
engines (PostgreSQL): every row read inside one REPEATABLE READ transaction (one snapshot) into
noghost's JSON lines format (snapshot_format.py: any text, times to the microsecond, a header
and a row count), restored by flush + loaddata in one transaction. For large PostgreSQL
installations pg_dump/pg_restore are the better tools; this pair works the same everywhere.

A backup is written to a temporary file beside the target and renamed over it only once it is
complete and has been read back (check), so a failed backup leaves the last good one as it was.
A restore checks the file first (noghost's tables, the same applied migrations as this database,
the format's version, nothing cut short or damaged) and replaces nothing when any of it fails;
every failure is an OSError or a ValueError whose message is one line (the commands print it).
"""

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction

from invitations.maintenance import snapshot_format

SQLITE_MAGIC = b"SQLite format 3\x00"
# Rebuilt by migrate/flush with the same natural keys; dumped rows refer to them by name.
NOT_DUMPED = ["contenttypes", "auth.permission"]


def backup(path):
    """Write a snapshot of the database to `path`; returns 'sqlite' or 'jsonl'."""
    path = Path(path)
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    except OSError as exc:
        raise OSError(f"Cannot write a backup to {path}: {exc.strerror}.") from exc
    os.close(handle)
    partial = Path(name)
    try:
        kind = _write_sqlite(partial) if connection.vendor == "sqlite" else _write_jsonl(partial)
        _check(partial, kind)  # read back before it may replace anything
        _fsync(partial)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync(path.parent)
    return kind


def _write_sqlite(partial):
    connection.ensure_connection()
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    except sqlite3.Error as exc:  # a full disk, a file size limit
        raise OSError(f"The backup could not be written: {exc}.") from exc
    finally:
        target.close()
    return "sqlite"


def _write_jsonl(partial):
    snapshot_format.register()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            call_command("dumpdata", format=snapshot_format.FORMAT, natural_foreign=True, exclude=NOT_DUMPED,
                         output=str(partial), verbosity=0)
    except DatabaseError as exc:
        raise ValueError(f"The database could not be read: {' '.join(str(exc).split())}") from exc
    return "jsonl"


def _fsync(path):
    """Make `path` (a file, or the folder a rename happened in) durable before saying it is done."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def kind_of(path):
    """'sqlite', 'jsonl' or 'xml' (a backup from before the JSON lines format), by what the file holds."""
    try:
        with Path(path).open("rb") as file:
            first_line = file.readline(1024 * 1024)
    except OSError as exc:
        raise OSError(f"Cannot read {path}: {exc.strerror}.") from exc
    if first_line.startswith(SQLITE_MAGIC):
        return "sqlite"
    if snapshot_format.is_snapshot(first_line):
        return "jsonl"
    if first_line.lstrip().startswith(b"<?xml") and b"<django-objects" in _head(path):
        return "xml"
    raise ValueError(f"{path} is not a noghost backup (an SQLite file or a `manage.py backup` dump).")


def _head(path):
    with Path(path).open("rb") as file:
        return file.read(4096)


def _check(path, kind):
    """What restore() checks before it replaces anything (and backup() before it keeps a file)."""
    if kind == "sqlite":
        found = _sqlite_migrations(path)
    elif kind == "jsonl":
        found = {tuple(pair) for pair in snapshot_format.check(path)["migrations"]}
    else:
        return  # an XML dump carries no migration state: loaddata checks each row as it goes
    _same_schema(path, found)


def _sqlite_migrations(path):
    """The applied migrations of the SQLite file at `path`, once it proved whole and noghost's."""
    _whole_sqlite_file(path)
    try:
        source = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise ValueError(f"{path} is a damaged SQLite file.")
            tables = {name for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            needed = {model._meta.db_table for model in apps.get_app_config("invitations").get_models()}
            missing = sorted((needed | {"django_migrations"}) - tables)
            if missing:
                raise ValueError(f"{path} is not a noghost database: it has no {missing[0]} table.")
            if source.execute("PRAGMA foreign_key_check").fetchone():
                raise ValueError(f"{path} has rows that refer to rows it does not have (foreign keys).")
            return set(source.execute("SELECT app, name FROM django_migrations"))
        finally:
            source.close()
    except sqlite3.Error as exc:  # not a database, encrypted, truncated
        raise ValueError(f"{path} is not a readable SQLite database: {exc}.") from exc


def _whole_sqlite_file(path):
    """The file is as long as its header says (SQLite reads a missing end as zeros, and quick_check
    may not notice): the page size at offset 16, the page count at 28, valid when the change
    counter at 24 matches the one at 92 (https://www.sqlite.org/fileformat.html)."""
    with Path(path).open("rb") as file:
        header = file.read(100)
    if len(header) < 100:
        raise ValueError(f"{path} is cut short: it has no whole SQLite header.")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] == header[92:96] and Path(path).stat().st_size < page_size * pages:
        raise ValueError(f"{path} is cut short: its header promises {pages} pages of {page_size} bytes.")


def _same_schema(path, found):
    """A snapshot is restored into a database at the same migrations, or not at all."""
    here = {tuple(pair) for pair in snapshot_format.applied_migrations()}
    if found == here:
        return
    ahead, behind = sorted(found - here), sorted(here - found)
    what = (f"it has migration {'.'.join(ahead[0])}, which this database has not" if ahead
            else f"it lacks migration {'.'.join(behind[0])}, which this database has")
    raise ValueError(f"{path} was written at another schema ({what}); restore it with the noghost "
                     "version that wrote it, then upgrade.")


def restore(path):
    """Replace every row of the database with the snapshot at `path` (from backup()), once checked."""
    path = Path(path)
    kind = kind_of(path)
    if kind == "sqlite" and connection.vendor != "sqlite":
        raise ValueError(f"{path} is an SQLite backup; this database is {connection.vendor}.")
    _check(path, kind)
    if kind == "sqlite":
        _restore_sqlite(path)
    else:
        _load(path, kind)
    return kind


def _restore_sqlite(path):
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise ValueError(f"{path} could not be restored: {exc}.") from exc
    finally:
        source.close()


def _load(path, kind):
    """flush + loaddata in one transaction: a row that does not fit rolls everything back."""
    if kind == "jsonl":
        snapshot_format.register()
    extension = snapshot_format.FORMAT if kind == "jsonl" else "xml"
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / f"backup.{extension}"  # loaddata knows the format by the file's name
        shutil.copyfile(path, fixture)
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        # Run deferred FK checks now, or TRUNCATE refuses a transaction that wrote before.
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(fixture), verbosity=0)
        except (DatabaseError, DeserializationError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]  # not PostgreSQL's DETAIL lines
            first = first.split("': ", 1)[-1] if first.startswith("Problem installing fixture") else first
            raise ValueError(f"{path} could not be restored, so nothing was changed: {first}") from exc
