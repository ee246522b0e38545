"""Racing on PostgreSQL: the same work started at once on several threads, each with its own
database connection, as N workers on N machines would (tests/*/test_*_race.py)."""

import threading

from django.db import connection


def at_once(work, runs):
    """Call `work()` on `runs` threads released together; returns what each returned or raised."""
    barrier = threading.Barrier(runs)
    outcomes = []

    def one_run():
        try:
            barrier.wait()
            outcomes.append(work())
        except Exception as exc:  # returned to the test, which says what it expects
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
