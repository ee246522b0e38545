"""Benchmark `/` and the admin invitation list for one user with many invitations.

    nice .venv/bin/python -m bench.dashboard                # 100,000 invitations, var/bench-dashboard.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/noghost_bench \\
        nice .venv/bin/python -m bench.dashboard            # PostgreSQL
    nice .venv/bin/python -m bench.dashboard --scale 0.02   # quick: 2,000 invitations

Requests go through Django's test Client (the whole stack minus the socket): median, p95 and
the query count per page; results in dashboard-<vendor>.json (bench/results/ at --scale 1, else
var/bench-results/). The data is kept between runs when the size matches (--fresh rebuilds it).
"""

import argparse
import os
import platform
import statistics
import time

from bench import ROOT, add_scale, write_results

FULL_INVITATIONS = 100_000
USERNAME = "bench-dashboard"


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings_test")
    if not os.environ.get("DATABASE_URL"):
        var = ROOT / "var"
        var.mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{var / 'bench-dashboard.sqlite3'}"
    import django

    django.setup()


def bench_user(count, *, fresh):
    """The benchmark's user with exactly `count` invitations, built once and reused."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.world import populate
    from invitations.maintenance.query_planner import refresh_statistics
    from invitations.models import Invitation

    User = get_user_model()
    user = User.objects.filter(username=USERNAME).first()
    if user and not fresh and Invitation.objects.filter(owner=user).count() == count:
        return user, False
    if user:
        Invitation.objects.filter(owner=user).delete()
        user.delete()
    user = User.objects.create_user(USERNAME, "bench@example.com", "bench-pw-1", is_staff=True)
    user.profile.timezone = "Europe/Berlin"
    user.profile.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="invitations"))
    started = time.perf_counter()
    with transaction.atomic():
        populate(user, count, now=timezone.now(), span_days=730)
    # What a live database has: autovacuum's statistics on PostgreSQL, the worker's
    # query_planner.refresh_statistics() on SQLite.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    refresh_statistics()
    print(f"populated {count} invitations in {time.perf_counter() - started:.1f}s")
    return user, True


def measure(client, url, requests):
    """(median ms, p95 ms, max ms, queries) over `requests` GETs of `url`, after a warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = len(ctx)  # now: the next request resets the connection's query log
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    return {
        "median_ms": round(statistics.median(timings), 1), "p95_ms": round(p95, 1),
        "max_ms": round(timings[-1], 1), "queries": queries,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__.split("\n")[0])
    add_scale(parser, f"{FULL_INVITATIONS:,} invitations of one user")
    parser.add_argument("--requests", type=int, default=50, help="requests per page (default 50)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the data even when the size matches")
    args = parser.parse_args(argv)

    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    invitations = max(1, round(FULL_INVITATIONS * args.scale))
    user, built = bench_user(invitations, fresh=args.fresh)
    client = Client()
    client.force_login(user)
    pages = {
        "dashboard": reverse("dashboard"),
        "dashboard_365_days": reverse("dashboard") + "?period=365",
        "admin_invitations": reverse("admin:invitations_invitation_changelist"),
    }
    results = {
        "vendor": connection.vendor, "scale": args.scale, "invitations": invitations, "requests": args.requests,
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
        "pages": {name: {"url": url, **measure(client, url, args.requests)} for name, url in pages.items()},
    }
    out = write_results(f"dashboard-{connection.vendor}.json", results, args.scale)
    for name, page in results["pages"].items():
        print(f"{connection.vendor:10} {name:20} median {page['median_ms']:7.1f} ms  p95 {page['p95_ms']:7.1f} ms"
              f"  max {page['max_ms']:7.1f} ms  {page['queries']} queries")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
