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


def site_url(env, tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "crm.settings", "DEBUG": "1",
             "NOGHOST_ENV_FILE": str(tmp_path / "none.env"), **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_development_site_url_follows_the_address_make_run_serves_on(tmp_path):
    """Issue 19, item 8: `make run PORT=8101` left e-mail links on port 8000."""
    for env, url in [
        ({}, "http://127.0.0.1:8000"),
        ({"NOGHOST_PORT": "8101"}, "http://127.0.0.1:8101"),
        ({"NOGHOST_HOST": "localhost", "NOGHOST_PORT": "9000"}, "http://localhost:9000"),
        ({"NOGHOST_HOST": "0.0.0.0", "NOGHOST_PORT": "8101"}, "http://127.0.0.1:8101"),  # a wildcard: reach it locally
        ({"NOGHOST_PORT": "8101", "SITE_URL": "https://noghost.example.com/"}, "https://noghost.example.com"),
    ]:
        assert site_url(env, tmp_path) == url, env


def test_management_commands_print_no_axes_banner(tmp_path):
    """Issue 19, item 12: every command printed "AXES: BEGIN version ..." on stderr."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "crm.settings", "DEBUG": "1",
             "NOGHOST_ENV_FILE": str(tmp_path / "none.env"), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.returncode == 0, result.stderr
    assert "AXES" not in result.stderr and result.stderr == ""
