"""The sweep benchmark's world, on a database of its own: users with 100 invitations each, one newly due.

Built apart from the measuring (bench/sweep.py) because bench/scaling.py builds the same world at several sizes.
"""

import datetime as dt
import os
import sys
from pathlib import Path

from bench import ROOT, measure_whole_runs, require_bench_database

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)
PER_USER = 100
INVITATION_COLUMNS = [
    "owner_id", "client_id", "title", "platform", "url", "notes", "received_at", "reply_by", "status", "flagged_at",
    "responded_at", "response_channel", "decline_reason", "response_message", "created_at", "updated_at",
]


def setup_django(*, keep_database=False):
    """The real settings on the benchmark's own database (new, unless `keep_database`), mail kept in memory."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "crm.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    os.environ["DEBUG"] = "0"  # DEBUG would keep every query in memory
    if not os.environ.get("DATABASE_URL"):
        database = ROOT / "var" / "bench-sweep.sqlite3"
        database.parent.mkdir(exist_ok=True)
        for leftover in () if keep_database else (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    measure_whole_runs(settings)


def empty_database():
    """Migrate, then empty: refuses a PostgreSQL database whose name does not say it is for benchmarks."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        require_bench_database(f"/{connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)


def build(users):
    """users x 100 invitations; one per user newly due. Returns the number of rows."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from invitations.models import Client, Invitation, Profile

    User = get_user_model()
    owners = User.objects.bulk_create(
        (User(username=f"user{n:05}", email=f"user{n:05}@example.com", password="!") for n in range(users)),
        batch_size=2000,
    )
    Profile.objects.bulk_create((Profile(user=owner, timezone="Europe/Berlin") for owner in owners), batch_size=2000)
    clients = Client.objects.bulk_create(
        (Client(owner=owner, name=f"Client of {owner.username}", company="Acme") for owner in owners), batch_size=2000
    )
    pairs = [(owner.pk, client.pk) for owner, client in zip(owners, clients)]
    rows = invitation_rows(pairs)
    table = Invitation._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_rows(cursor, table, rows)
        else:
            insert_rows(cursor, table, rows)
    analyze()
    return len(pairs) * PER_USER


def copy_rows(cursor, table, rows):
    """PostgreSQL: COPY, the fastest way in for millions of rows."""
    with cursor.cursor.copy(f"COPY {table} ({', '.join(INVITATION_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_rows(cursor, table, rows):
    """SQLite: INSERTs in chunks of 50,000, so the lazily generated rows never all sit in memory."""
    from django.db import connection

    adapt = connection.ops.adapt_datetimefield_value
    sql = f"INSERT INTO {table} ({', '.join(INVITATION_COLUMNS)}) VALUES ({', '.join(['%s'] * len(INVITATION_COLUMNS))})"
    chunk = []
    for row in rows:
        chunk.append([adapt(v) if isinstance(v, dt.datetime) else v for v in row])
        if len(chunk) == 50_000:
            cursor.executemany(sql, chunk)
            chunk = []
    cursor.executemany(sql, chunk)


def invitation_rows(pairs):
    """Invitation rows, generated lazily: slot 0 newly due, 1-2 not yet due, 3-4 flagged long
    ago, the rest answered over the last months."""
    minute, day = dt.timedelta(minutes=1), dt.timedelta(days=1)
    answered = ["accepted", "declined", "declined", "withdrawn"]
    for slot in range(PER_USER):
        for n, (owner_id, client_id) in enumerate(pairs):
            status, flagged_at, responded_at, channel, reason = "open", None, None, "", ""
            if slot == 0:
                received = NOW - day - (1 + n % 600) * minute
            elif slot < 3:
                received = NOW - (n % 600) * minute
            else:
                received = NOW - slot * 2 * day - (n % 1440) * minute
            reply_by = received + day
            if 3 <= slot < 5:
                flagged_at = reply_by + 5 * minute
            elif slot >= 5:
                status = answered[(n + slot) % len(answered)]
                responded_at, channel = received + 2 * dt.timedelta(hours=1), "email"
                reason = "busy" if status == "declined" else ""
            yield (owner_id, client_id, f"Job {slot}", "upwork", "", "", received, reply_by, status, flagged_at,
                   responded_at, channel, reason, "", received, received)


def analyze():
    """PostgreSQL's autovacuum keeps statistics; a SQLite install never runs ANALYZE, so neither do we."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def engine_version():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        return cursor.fetchone()[0]
