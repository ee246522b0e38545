"""SQLite's planner statistics: the worker's sweep takes them where missing and renews them as tables grow."""

import pytest
from django.db import connection

from invitations import tasks
from invitations.intake.log import log_invitation
from invitations.maintenance.query_planner import GROWTH, refresh_statistics, rows_at_last_analysis

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps no statistics of its own"),
]


def log(user, count, now, start=0):
    for n in range(start, start + count):
        log_invitation(user, client=f"Client {n}", title="Job", received_at=now, now=now)


def statistics():
    with connection.cursor() as cursor:
        return rows_at_last_analysis(cursor)


def test_the_workers_sweep_takes_statistics_for_tables_that_have_rows(alice, now):
    log(alice, 3, now)
    assert statistics() == {}

    tasks.sweep()

    seen = statistics()
    # The pages' tables too, which the sweep itself never reads.
    assert {"invitations_invitation", "invitations_followup", "invitations_client", "auth_user"} <= set(seen)
    assert seen["invitations_invitation"] == 3
    assert "invitations_answerevent" not in seen  # empty: nothing to learn yet


def test_statistics_are_renewed_only_once_a_table_has_grown_tenfold(alice, now):
    log(alice, 2, now)
    refresh_statistics()
    assert refresh_statistics() == []  # nothing changed: nothing analysed

    log(alice, 2 * GROWTH - 2, now, start=2)  # 2 * GROWTH rows: not more than tenfold yet
    assert "invitations_invitation" not in refresh_statistics()

    log(alice, 1, now, start=2 * GROWTH)
    assert "invitations_invitation" in refresh_statistics()
    assert statistics()["invitations_invitation"] == 2 * GROWTH + 1
