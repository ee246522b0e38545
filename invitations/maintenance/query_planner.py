"""Fresh statistics for SQLite's query planner.

PostgreSQL's autovacuum keeps its planner's statistics; SQLite keeps none until asked, and
without them it can pick a worse index for a page's query as the tables grow. So the worker
analyses, after each sweep, every table that has rows but no statistics yet, or has grown
tenfold since they were taken: rarely, over a bounded sample (about 10 ms for a table of a
million rows), and a run with nothing to do reads one index page per table.
(`PRAGMA optimize` would do this itself, but only from SQLite 3.46 on for tables its own
connection has not queried: the worker never queries most of the pages' tables.)
"""

from django.apps import apps
from django.db import connection

# Rows sampled per index: approximate statistics, enough to choose an index, in milliseconds.
ANALYSIS_LIMIT = 1000
# Statistics taken at N rows are renewed once the table holds GROWTH * N.
GROWTH = 10


def refresh_statistics():
    """Analyse the SQLite tables whose statistics are missing or stale; returns their names (none elsewhere)."""
    if connection.vendor != "sqlite":
        return []
    tables = sorted({model._meta.db_table for model in apps.get_models() if model._meta.managed})
    with connection.cursor() as cursor:
        stale = stale_tables(cursor, tables)
        if stale:
            cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            for table in stale:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return stale


def stale_tables(cursor, tables):
    """Those of `tables` with rows but no statistics, or grown GROWTH-fold since they were taken."""
    seen = rows_at_last_analysis(cursor)
    stale = []
    for table in tables:
        rows = cursor.execute(f"SELECT max(rowid) FROM {connection.ops.quote_name(table)}").fetchone()[0] or 0
        if rows and (table not in seen or rows > GROWTH * seen[table]):
            stale.append(table)
    return stale


def rows_at_last_analysis(cursor):
    """{table: rows it held when last analysed}, from sqlite_stat1 (each row's first figure)."""
    if not cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        return {}
    seen = {}
    for table, stat in cursor.execute("SELECT tbl, stat FROM sqlite_stat1").fetchall():
        rows = int(stat.split()[0])
        seen[table] = max(rows, seen.get(table, 0))
    return seen
