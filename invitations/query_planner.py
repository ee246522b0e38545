"""Fresh statistics for SQLite's query planner.

PostgreSQL's autovacuum keeps its planner's statistics; SQLite keeps none until asked. Without
them it can pick a worse index for a page's query as the tables grow, so the worker asks it
now and then (SQLite's own advice for long-lived applications). `PRAGMA optimize` analyses only
the tables that never were or have grown a lot since, over a bounded sample, so a run with
nothing to do costs well under a millisecond.
"""

from django.db import connection

# Rows sampled per index: approximate statistics, enough to choose an index, in milliseconds.
ANALYSIS_LIMIT = 1000


def refresh_statistics():
    """Let SQLite refresh its planner statistics where they are missing or stale (no-op elsewhere)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        # 0x10000: every table, not only those this connection queried; 0x02: run ANALYZE.
        cursor.execute("PRAGMA optimize = 0x10002")
