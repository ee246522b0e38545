"""noghost's backup format on databases other than SQLite: JSON lines that carry any text, exactly.

Django's JSON Lines serializer, with three changes: a header line first (the format's version,
the database it came from and its applied migrations, so a restore knows what it holds before it
replaces anything), an end line with the number of rows (a truncated file is told from a whole
one), and times written to the microsecond (Django's encoder cuts them to milliseconds, which a
restore would lose). JSON escapes every control character, so a username like 'ad\\x0bmin' that
django-axes stored, or a form feed in a note, is carried as it is (XML 1.0 cannot hold them).

Registered as the serialization format "noghost" (register()), so dumpdata writes it and
loaddata reads a file named *.noghost.
"""

import datetime as dt
import json

from django.apps import apps
from django.core import serializers
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "noghost"
VERSION = 1
HEADER = "noghost_backup"  # the header line: {"noghost_backup": VERSION, "vendor": ..., "migrations": [...]}
END = "noghost_backup_rows"  # the last line: {"noghost_backup_rows": N}


def register():
    serializers.register_serializer(FORMAT, __name__)


def applied_migrations():
    """The database's applied migrations, as the sorted [app, name] pairs a header holds."""
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


class ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but a time keeps its microseconds."""

    def default(self, o):
        if isinstance(o, (dt.datetime, dt.time)):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def start_serialization(self):
        super().start_serialization()
        self.json_kwargs.update(cls=ExactEncoder, ensure_ascii=True)  # ASCII: any text, any file encoding
        self.rows = 0
        header = {HEADER: VERSION, "vendor": connection.vendor, "migrations": applied_migrations()}
        self.stream.write(json.dumps(header) + "\n")

    def end_object(self, obj):
        super().end_object(obj)
        self.rows += 1

    def end_serialization(self):
        self.stream.write(json.dumps({END: self.rows}) + "\n")


class Deserializer(jsonl.Deserializer):
    """The rows of a file check() accepted, without its header and end lines."""

    def __init__(self, stream_or_string, **options):
        if isinstance(stream_or_string, bytes):
            stream_or_string = stream_or_string.decode()
        if isinstance(stream_or_string, str):
            stream_or_string = stream_or_string.splitlines()
        rows = (row for row in jsonl.Deserializer._get_lines(stream_or_string) if HEADER not in row and END not in row)
        PythonDeserializer.__init__(self, rows, **options)


def is_snapshot(first_line):
    """Whether a file's first line (bytes) is this format's header."""
    try:
        return HEADER in json.loads(first_line)
    except ValueError:
        return False


def check(path):
    """Read the whole file at `path` (one row at a time) and return its header, or raise ValueError
    saying what is wrong: not this format, another version, a row that is not a known model's,
    or no end line with the right count (cut short)."""
    try:
        return _check(path)
    except UnicodeDecodeError:
        raise ValueError(f"{path} is damaged: it holds bytes that are not text.")


def _check(path):
    with open(path, encoding="utf-8") as file:
        header = _line(file.readline(), path, 1)
        if header.get(HEADER) != VERSION:
            raise ValueError(f"{path} is not a noghost backup of format version {VERSION}.")
        rows, end = 0, None
        for number, text in enumerate(file, start=2):
            if end is not None:
                raise ValueError(f"{path} goes on after its end line (line {number}).")
            row = _line(text, path, number)
            if END in row:
                end = row[END]
                continue
            _model(row, path, number)
            rows += 1
    if end != rows:
        raise ValueError(f"{path} is cut short: {rows} rows and no end line saying so.")
    return header


def _line(text, path, number):
    try:
        row = json.loads(text)
    except ValueError:
        raise ValueError(f"{path} is damaged: line {number} is not JSON.")
    if not isinstance(row, dict):
        raise ValueError(f"{path} is damaged: line {number} is not a row.")
    return row


def _model(row, path, number):
    try:
        apps.get_model(row["model"])
    except (KeyError, TypeError, ValueError, LookupError):
        raise ValueError(f"{path} holds a row that is not one of noghost's (line {number}).")
