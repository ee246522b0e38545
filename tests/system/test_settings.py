"""The environment decides the engine and the broker; the embedded default needs no server."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def test_sqlite_runs_with_wal_busy_timeout_and_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite run only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_broker_follows_redis_url():
    from django_q.brokers import get_broker

    broker = get_broker()
    if os.environ.get("REDIS_URL"):
        assert type(broker).__name__ == "Redis"
        assert broker.ping(), "REDIS_URL is set but Redis does not answer"
    else:
        assert type(broker).__name__ == "ORM"


def test_database_follows_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def run_settings(env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    return subprocess.run(
        [sys.executable, "-c", code], env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "crm.settings", **env},
        capture_output=True, text=True, cwd=settings.BASE_DIR,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_settings({"DEBUG": "0", "NOGHOST_ENV_FILE": str(tmp_path / "none.env")})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_database_url_selects_postgresql_without_touching_code(tmp_path):
    result = run_settings({
        "SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u:p@db.example:5432/noghost",
        "NOGHOST_ENV_FILE": str(tmp_path / "none.env"),
    })
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr
