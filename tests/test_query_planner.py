"""SQLite's planner statistics: the worker's sweep creates and refreshes them."""

import pytest
from django.db import connection

from invitations import tasks
from invitations.intake import log_invitation

pytestmark = pytest.mark.django_db


def analysed_tables():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchall():
            return set()
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps no statistics of its own")
def test_the_workers_sweep_gives_sqlite_statistics_for_the_invitations(alice, now):
    for n in range(3):
        log_invitation(alice, client=f"Client {n}", title="Job", received_at=now, now=now)
    assert "invitations_invitation" not in analysed_tables()

    tasks.sweep()

    assert {"invitations_invitation", "invitations_followup"} <= analysed_tables()
