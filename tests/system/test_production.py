"""Production settings: `check --deploy` is silent with the documented environment; headers are set."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_ENV_FILE = ROOT / "deploy" / "noghost.env.example"
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "kR7x-a-long-random-production-secret-q9Vb3nLm2Zp8Wc4Ty6Hs1Jd5Fg0",
    "ALLOWED_HOSTS": "noghost.example.com",
    "SITE_URL": "https://noghost.example.com",
    "BEHIND_PROXY": "1",
}


def manage(*args, env):
    """Run manage.py with only the given environment (plus PATH), as production would."""
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "crm.settings", **env}
    if os.environ.get("DATABASE_URL"):
        clean["DATABASE_URL"] = os.environ["DATABASE_URL"]
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_reports_nothing_with_the_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_reports_nothing_with_the_documented_example_file_and_a_real_key():
    env = {"NOGHOST_ENV_FILE": str(EXAMPLE_ENV_FILE), "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"]}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_example_files_placeholder_key_is_refused():
    assert f"SECRET_KEY={settings.EXAMPLE_SECRET_KEY}\n" in EXAMPLE_ENV_FILE.read_text()
    result = manage("check", env={"NOGHOST_ENV_FILE": str(EXAMPLE_ENV_FILE)})
    assert result.returncode != 0
    assert "SECRET_KEY is the placeholder from deploy/noghost.env.example" in result.stderr


def test_check_deploy_complains_without_https():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "SITE_URL": "http://noghost.example.com"})
    assert result.returncode != 0
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT: the test can tell a bad setup


@pytest.mark.parametrize(
    "env, message",
    [
        ({"SECRET_KEY": settings.DEVELOPMENT_SECRET_KEY}, "SECRET_KEY is the development key"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off"),
    ],
)
def test_production_refuses_a_missing_or_development_secret_key(env, message):
    result = manage("check", env={**PRODUCTION_ENV, **env})
    assert result.returncode != 0 and message in result.stderr


def test_debug_is_off_unless_asked_for():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "DEBUG"}
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=env)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


@pytest.mark.django_db
def test_security_headers_on_every_page(client, alice):
    client.force_login(alice)
    for url in (reverse("login"), reverse("dashboard"), reverse("quick_add"), reverse("admin:index")):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script> (move it to static/js/)"),
    (re.compile(r"<style\b", re.I), "a <style> block (move it to static/css/app.css)"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute (use a class in app.css)"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on...= handler (attach it from a static script)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_needs_unsafe_inline():
    """The CSP allows no inline script or style, so no template of ours may contain any."""
    problems = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        if "emails" in template.parts:
            continue  # e-mail bodies are read by mail clients, not under our CSP (inline styles are the norm)
        text = template.read_text()
        for pattern, what in INLINE:
            if pattern.search(text):
                problems.append(f"{template.relative_to(ROOT)}: {what}")
    assert not problems, "\n".join(problems)
