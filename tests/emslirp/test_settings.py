"""Settings read the environment once; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret-" + "k" * 30 + "-Zq9!xW#e4rT%y6uI"


def run_manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "emslirp.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DATABASE_URL": "postgres://emslirp@db.example.org:5432/emslirp",
    "REDIS_URL": "redis://redis.example.org:6379/0",
}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set when DJANGO_ENV=production."),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production."),
        ("EMAIL_HOST", "EMAIL_HOST must be set when DJANGO_ENV=production."),
        ("DATABASE_URL", "DATABASE_URL must be set when DJANGO_ENV=production."),
        ("REDIS_URL", "REDIS_URL must be set when DJANGO_ENV=production."),
    ],
)
def test_production_refuses_to_start_without_a_secret(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_manage("check", **env)
    assert result.returncode == 1
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": "short"})
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY must be at least 50 varied characters." in result.stderr


def test_production_passes_the_deploy_check_with_no_finding():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    ), result.stderr


def test_development_defaults_need_nothing_set(tmp_path):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)",
        EMSLIRP_VAR_DIR=str(tmp_path),
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ], result.stderr


def test_database_and_redis_urls_switch_to_postgresql_and_a_broker(tmp_path):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
        EMSLIRP_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://emslirp@127.0.0.1:5432/emslirp",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "redis://127.0.0.1:6379/3",
    ], result.stderr


def test_an_unknown_environment_name_is_refused():
    result = run_manage("check", DJANGO_ENV="prod")
    assert result.returncode == 1
    assert "DJANGO_ENV must be 'development' or 'production', not 'prod'." in result.stderr
