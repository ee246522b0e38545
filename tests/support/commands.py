"""`manage.py` as a real subprocess, on the test's own database, with arguments as raw bytes."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def subprocess_database_url(folder):
    """A DATABASE_URL for a subprocess: the test database itself on PostgreSQL (its rows must be
    committed: a transactional test), a file copy of it on SQLite (the test's is in memory)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        return f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    copy = Path(folder) / "subprocess.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return f"sqlite:///{copy}"


def manage(*args, database_url, env=None):
    """Run `manage.py *args` (str or bytes each) with the test settings; the CompletedProcess, bytes out."""
    environment = {
        **os.environb, b"DJANGO_SETTINGS_MODULE": b"crm.settings_test", b"DATABASE_URL": database_url.encode(),
        b"LOG_LEVEL": b"WARNING",  # no INFO lines (django-axes says hello) between the user and the error
        **(env or {}),
    }
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True,
                          timeout=120)
