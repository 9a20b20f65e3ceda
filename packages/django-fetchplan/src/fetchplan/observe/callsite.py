"""Find the line of project code that caused a query.

A query runs many frames below the code that asked for it: the ORM, the database backend, the
fetch-plan engine, this package. A report that says "django/db/models/query.py:1234" is useless.
Walking up from the query, each frame's file is one of three kinds:

- **infrastructure**, always skipped: Django, the ``fetchplan`` package (wherever either is
  installed, editable or not), the standard library, frozen import machinery
  (``<frozen importlib._bootstrap>``), and the known infrastructure packages of
  :data:`INFRASTRUCTURE` (test runners, servers, database drivers, ...) when installed;
- **project**: any other file outside ``site-packages``/``dist-packages``, and code typed at a
  shell (``<string>``, ``<console>``, ``<stdin>``);
- **installed**: any other file inside ``site-packages``: a third-party app, or the project
  itself when it is deployed as an installed package rather than run from its folder.

The call site is the nearest project frame; when there is none, the nearest installed one; only
when every frame is infrastructure is it ``<unknown>``. The kind of each file name is cached,
so the walk costs one dictionary lookup per frame.
"""

import enum
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import override

import django

UNKNOWN_FILE = "<unknown>"

INFRASTRUCTURE = frozenset(
    {
        # Test runners and their plugins.
        "_pytest",
        "pytest",
        "pluggy",
        "pytest_django",
        "pytest_timeout",
        "xdist",
        "hypothesis",
        # Servers, ASGI/WSGI plumbing and async bridges.
        "asgiref",
        "gunicorn",
        "uvicorn",
        "daphne",
        "channels",
        "starlette",
        "werkzeug",
        "whitenoise",
        # Database drivers and pools.
        "psycopg",
        "psycopg2",
        "psycopg_pool",
        "MySQLdb",
        "oracledb",
        # Frameworks that evaluate the project's querysets for it (serializers, filters).
        "rest_framework",
        "ninja",
        "django_filters",
        "pydantic",
        "pydantic_core",
        "typing_extensions",
        # Interactive shells, tracing and error reporting.
        "IPython",
        "bpython",
        "ptpython",
        "debug_toolbar",
        "sentry_sdk",
        "opentelemetry",
        "ddtrace",
    }
)
"""Top-level packages installed in site-packages whose frames are never call sites."""

SITE_DIRECTORIES = frozenset({"site-packages", "dist-packages"})


class FileKind(enum.Enum):
    """What a frame's file is, for finding call sites (see the module docstring)."""

    INFRASTRUCTURE = "infrastructure"
    INSTALLED = "installed"
    PROJECT = "project"


@dataclass(frozen=True, slots=True)
class CallSite:
    """A line of code that ran a query: file, line number and function name."""

    filename: str
    lineno: int
    function: str

    @override
    def __str__(self) -> str:
        return f"{display_path(self.filename)}:{self.lineno} in {self.function}"


UNKNOWN = CallSite(UNKNOWN_FILE, 0, "?")


def display_path(filename: str) -> str:
    """Return ``filename`` relative to the working directory when it lies below it."""
    try:
        return os.path.relpath(filename) if filename.startswith(os.getcwd() + os.sep) else filename
    except ValueError:  # a different drive on Windows
        return filename


def _with_separator(path: str | Path) -> str:
    return str(path).rstrip(os.sep) + os.sep


def _package_dirs() -> tuple[str, ...]:
    """Return the directories of Django and of this package (with a trailing separator).

    They are named by where they are, so a source checkout or an editable install of either
    is skipped too.
    """
    package = Path(__file__).resolve().parent.parent  # the whole fetchplan package
    return (_with_separator(Path(django.__file__).resolve().parent), _with_separator(package))


def _standard_dirs() -> tuple[str, ...]:
    """Return the standard library's directories and the interpreter's scripts directory.

    The standard library's directory contains the interpreter's own ``site-packages``:
    :func:`file_kind` looks for a site directory first.
    """
    paths = sysconfig.get_paths()
    keys = ("stdlib", "platstdlib", "scripts")
    return tuple(
        sorted({_with_separator(Path(paths[key]).resolve()) for key in keys if key in paths})
    )


_PACKAGE_DIRS = _package_dirs()
_STANDARD_DIRS = _standard_dirs()
_KIND_CACHE: dict[str, FileKind] = {}


def file_kind(filename: str) -> FileKind:
    """Return the kind of the code in ``filename`` (cached per file name)."""
    kind = _KIND_CACHE.get(filename)
    if kind is None:
        kind = _classify(filename)
        _KIND_CACHE[filename] = kind
    return kind


def _classify(filename: str) -> FileKind:
    if filename.startswith("<"):
        return FileKind.INFRASTRUCTURE if filename.startswith("<frozen ") else FileKind.PROJECT
    resolved = os.path.realpath(filename)
    if resolved.startswith(_PACKAGE_DIRS) or filename.startswith(_PACKAGE_DIRS):
        return FileKind.INFRASTRUCTURE
    top = _installed_package(resolved) or _installed_package(filename)
    if top is not None:
        return FileKind.INFRASTRUCTURE if top in INFRASTRUCTURE else FileKind.INSTALLED
    if resolved.startswith(_STANDARD_DIRS) or filename.startswith(_STANDARD_DIRS):
        return FileKind.INFRASTRUCTURE
    return FileKind.PROJECT


def _installed_package(path: str) -> str | None:
    """Return the top-level package of a file inside a site-packages directory, else None."""
    parts = Path(path).parts
    for index in range(len(parts) - 2, -1, -1):  # the innermost site directory wins
        if parts[index] in SITE_DIRECTORIES:
            return parts[index + 1].removesuffix(".py")
    return None


def is_library_file(filename: str) -> bool:
    """Return True when frames of ``filename`` are not project code (infrastructure or
    installed)."""
    return file_kind(filename) is not FileKind.PROJECT


def find_call_site(frame: FrameType | None = None) -> CallSite:
    """Return the call site of a query run at ``frame`` (default: the caller's frame).

    That is the nearest project frame at or above ``frame``; else the nearest installed one;
    ``UNKNOWN`` only when every frame on the stack is infrastructure.
    """
    current: FrameType | None = sys._getframe(1) if frame is None else frame
    cache = _KIND_CACHE
    project, installed = FileKind.PROJECT, FileKind.INSTALLED
    fallback: FrameType | None = None
    while current is not None:
        filename = current.f_code.co_filename
        kind = cache.get(filename)
        if kind is None:
            kind = file_kind(filename)
        if kind is project:
            return _call_site(current)
        if kind is installed and fallback is None:
            fallback = current
        current = current.f_back
    return UNKNOWN if fallback is None else _call_site(fallback)


def _call_site(frame: FrameType) -> CallSite:
    return CallSite(frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)
