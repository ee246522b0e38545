"""Benchmark importing a CSV: 10,000 rows of noghost's own export into an empty account.

    nice .venv/bin/python -m bench.import_csv                 # 10,000 rows, var/bench-import.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/noghost_bench \\
        nice .venv/bin/python -m bench.import_csv             # PostgreSQL
    nice .venv/bin/python -m bench.import_csv --scale 0.01    # quick: 100 rows

A source user gets a plausible history (bench.world), it is exported as the CSV the download
gives, and the file is previewed and then imported into a new user through the domain
(imports.plan, then imports.apply and imports.writing: the rules of log_invitation and respond for
every row, written in bulk, one transaction). The limit, in the same run: the preview alone (the
CSV read, mapped and every row checked as the import checks it, nothing written), which the
import does again inside its transaction; the ratio is the import's time to it. Wall and CPU time
are both kept: on a shared machine the first grows with the neighbours' load. Results in
import_csv-<vendor>.json (bench/results/ at --scale 1, else var/bench-results/).
"""

import argparse
import os
import platform
import time

from bench import ROOT, add_scale, write_results

FULL_ROWS = 10_000
TARGET_SECONDS = 30


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings_test")
    if not os.environ.get("DATABASE_URL"):
        var = ROOT / "var"
        var.mkdir(exist_ok=True)
        db = var / "bench-import.sqlite3"
        db.unlink(missing_ok=True)  # a fresh file each run: the import's cost, not a grown database's
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    import django

    django.setup()


def exported_csv(rows, now):
    """The CSV a user with `rows` invitations downloads from /invitations/export.csv."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from bench.world import populate
    from invitations.insights.exports import csv_lines, invitation_rows
    from invitations.models import Invitation

    User = get_user_model()
    User.objects.filter(username__in=["bench-export", "bench-import"]).delete()
    source = User.objects.create_user("bench-export", "export@example.com", "bench-pw-1")
    source.profile.timezone = "Europe/Berlin"
    source.profile.save()
    with transaction.atomic():
        populate(source, rows, now=now, span_days=365)
    return "".join(csv_lines(invitation_rows(Invitation.objects.filter(owner=source), source.profile.zone)))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.import_csv", description=__doc__.split("\n")[0])
    add_scale(parser, f"{FULL_ROWS:,} rows")
    args = parser.parse_args(argv)

    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from invitations.imports.apply import import_rows
    from invitations.imports.columns import guess_mapping, read
    from invitations.imports.plan import plan
    from invitations.models import Client, Invitation

    call_command("migrate", verbosity=0)
    rows = max(1, round(FULL_ROWS * args.scale))
    now = timezone.now()
    text = exported_csv(rows, now)
    target = get_user_model().objects.create_user("bench-import", "import@example.com", "bench-pw-1")
    target.profile.timezone = "Europe/Berlin"
    target.profile.save()

    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    header, table = read(text)
    mapping = guess_mapping(header)
    preview = plan(target, header, table, mapping, now=now)
    previewed, previewed_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    done = import_rows(target, header, table, mapping, now=now)
    imported, imported_cpu = time.perf_counter() - started, time.process_time() - cpu

    assert preview.bad == [] and done.invitations == rows, (preview.bad[:5], done)
    results = {
        "vendor": connection.vendor, "scale": args.scale, "rows": rows, "bytes": len(text.encode()),
        "preview_s": round(previewed, 2), "preview_cpu_s": round(previewed_cpu, 2), "import_s": round(imported, 2),
        "import_cpu_s": round(imported_cpu, 2), "ratio": round(imported / previewed, 2),
        "ratio_cpu": round(imported_cpu / previewed_cpu, 2), "load_average": [round(load, 2), round(os.getloadavg()[0], 2)],
        "rows_per_s": round(rows / imported), "answered": done.answered,
        "clients": Client.objects.filter(owner=target).count(),
        "invitations": Invitation.objects.filter(owner=target).count(), "target_s": TARGET_SECONDS,
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
    }
    out = write_results(f"import_csv-{connection.vendor}.json", results, args.scale)
    print(f"{connection.vendor}: {rows} rows ({results['bytes'] / 1e6:.1f} MB): preview {previewed:.1f} s, "
          f"import {imported:.1f} s, {imported_cpu:.1f} s of CPU ({results['rows_per_s']} rows/s; target under {TARGET_SECONDS} s for "
          f"{FULL_ROWS:,}); {done.answered} answered, {results['clients']} clients")
    print(f"limit (read, map and check every row, nothing written): {previewed:.1f} s; import/limit: "
          f"{results['ratio']}x wall, {results['ratio_cpu']}x CPU")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
