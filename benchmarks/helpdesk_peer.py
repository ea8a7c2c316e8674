"""The peer: django-helpdesk's ``escalate_tickets`` over a backlog like the clock worker's.

django-helpdesk is installed from PyPI into its own virtualenv under ``benchmarks/.peers/``
(git-ignored), created on first use with ``python -m venv`` and ``pip install``; the Django
project it needs (settings, urls, manage.py) is written there by this module, and
``helpdesk_driver.py`` is copied next to it and run with the peer's interpreter.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import progress

__all__ = ["PEER_LABEL", "PeerUnavailable", "run_helpdesk"]

PEER_DIR = Path(__file__).with_name(".peers") / "django-helpdesk"
VENV = PEER_DIR / "venv"
PROJECT = PEER_DIR / "project"
REQUIREMENTS = ("django-helpdesk==2.6.1", "Django==5.2.19", "psycopg[binary]==3.3.9")
PEER_LABEL = "django-helpdesk 2.6.1 on Django 5.2.19"
INSTALL_TIMEOUT_S = 900
RUN_TIMEOUT_S = 1_800

SETTINGS = '''"""Django settings of the benchmark's django-helpdesk peer (written by benchmarks)."""
import os
from urllib.parse import parse_qs, urlsplit

SECRET_KEY = "benchmark-only"
DEBUG = False
ALLOWED_HOSTS = ["localhost"]
USE_TZ = True
TIME_ZONE = "UTC"
SITE_ID = 1
ROOT_URLCONF = "urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HELPDESK_TEAMS_MODE_ENABLED = False  # teams need pinax-teams; escalation does not use them
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
STATIC_URL = "/static/"

_url = urlsplit(os.environ["PEER_DATABASE_URL"])
if _url.scheme == "sqlite":
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": _url.path}}
    if os.environ.get("PEER_SQLITE_PRAGMAS"):
        DATABASES["default"]["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        }
else:
    _options = {k: v[0] for k, v in parse_qs(_url.query).items()}
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _url.path.lstrip("/"),
            "USER": _url.username or "",
            "PASSWORD": _url.password or "",
            "HOST": _url.hostname or "",
            "PORT": str(_url.port or ""),
            "OPTIONS": _options,
        }
    }
'''

URLS = """from django.urls import include, path

urlpatterns = [path("helpdesk/", include("helpdesk.urls"))]
"""

MANAGE = """#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""


class PeerUnavailable(RuntimeError):
    """django-helpdesk could not be installed or run here; the message says why."""


def _python() -> Path:
    return VENV / "bin" / "python"


def _installed() -> bool:
    if not _python().exists():
        return False
    check = subprocess.run(
        [str(_python()), "-m", "pip", "freeze", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=False,
    )
    frozen = {line.strip().lower() for line in check.stdout.splitlines()}
    wanted = [r.replace("[binary]", "").lower() for r in REQUIREMENTS]
    return check.returncode == 0 and all(w in frozen for w in wanted)


def ensure_peer() -> Path:
    """The peer's interpreter, installing django-helpdesk first if needed; writes the project."""
    if not _installed():
        progress(f"peer: creating {VENV} and installing {', '.join(REQUIREMENTS)} from PyPI")
        started = time.perf_counter()
        shutil.rmtree(VENV, ignore_errors=True)
        for command in (
            [sys.executable, "-m", "venv", str(VENV)],
            [
                str(_python()),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                *REQUIREMENTS,
            ],
        ):
            _run(command, "installing django-helpdesk", timeout=INSTALL_TIMEOUT_S)
        progress(f"peer: installed in {time.perf_counter() - started:.0f} s")
    PROJECT.mkdir(parents=True, exist_ok=True)
    for name, body in (("settings.py", SETTINGS), ("urls.py", URLS), ("manage.py", MANAGE)):
        (PROJECT / name).write_text(body)
    shutil.copy(Path(__file__).with_name("helpdesk_driver.py"), PROJECT / "helpdesk_driver.py")
    return _python()


def run_helpdesk(
    database_url: str, tickets: int, due: int, *, repeats: int, label: str
) -> list[tuple[str, dict[str, Any]]]:
    """Populate, then time escalate_tickets: Django's defaults, and on SQLite fairlane's pragmas.

    Returns (setting, result) pairs, each result with ``seconds`` (one per repeat).
    """
    python = ensure_peer()
    env = {**os.environ, "PEER_DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "settings"}
    progress(f"{label}: migrate + bulk_create {tickets:,} django-helpdesk tickets ({due:,} due)")
    filled = _driver(python, ["populate", str(tickets), str(due)], env)
    progress(
        f"{label}: peer populated in {filled['populate_s']:.1f} s "
        f"(migrate {filled['migrate_s']:.1f} s)"
    )
    settings = [("Django defaults", env)]
    if database_url.startswith("sqlite"):
        settings.append(("WAL + synchronous=NORMAL", {**env, "PEER_SQLITE_PRAGMAS": "1"}))
    results: list[tuple[str, dict[str, Any]]] = []
    for name, settings_env in settings:
        result = _driver(python, ["escalate", str(repeats)], settings_env)
        times = ", ".join(f"{s:.2f}" for s in result["seconds"])
        progress(f"{label}: escalate_tickets ({name}): {times} s")
        results.append((name, result))
    return results


def _driver(python: Path, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    out = _run(
        [str(python), "helpdesk_driver.py", *args],
        f"running django-helpdesk ({args[0]})",
        timeout=RUN_TIMEOUT_S,
        env=env,
        cwd=PROJECT,
    )
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _run(
    command: list[str],
    what: str,
    *,
    timeout: float,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> str:
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PeerUnavailable(f"{what}: {exc}") from exc
    if done.returncode != 0:
        lines = [
            line.strip()
            for line in (done.stderr or done.stdout).splitlines()
            if line.strip() and not line.startswith("WARNING: Location")
        ]
        tail = " | ".join(lines[-3:])
        raise PeerUnavailable(f"{what} failed (exit {done.returncode}): {tail}")
    return done.stdout
