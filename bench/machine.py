"""Describe the machine and the software versions a run used (for results.json and README)."""

import os
import platform
import sqlite3
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent


def _first(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def postgres_version(server: str) -> str | None:
    """Return the PostgreSQL server's version string, or None if it does not answer."""
    try:
        with psycopg.connect(f"{server.rstrip('/')}/postgres", connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error:
        return None
    return str(row[0]) if row else None


def describe(postgres_server: str) -> dict[str, Any]:
    """Return the machine's CPU, cores, RAM, load and the versions that matter here."""
    memory = _first("/proc/meminfo", "MemTotal")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": os.cpu_count(),
        "ram_gib": round(int(memory.split()[0]) / 1024**2, 1) if memory else None,
        "load_average": list(os.getloadavg()),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": _version("Django"),
        "pydantic": _version("pydantic"),
        "psycopg": _version("psycopg"),
        "django_readers": _version("django-readers"),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version(postgres_server),
        "git_commit": commit or None,
    }
