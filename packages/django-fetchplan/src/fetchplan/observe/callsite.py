"""Find the line of project code that caused a query.

A query runs many frames below the code that asked for it: the ORM, the database backend, the
fetch-plan engine, this package. A report that says "django/db/models/query.py:1234" is useless;
the call site is the first frame, walking up from the query, whose file is *not*:

- inside Django itself,
- inside the fetch-plan engine (``fetchplan/``, this package included),
- inside the standard library or any site-packages directory (pytest, asgiref, psycopg, ...),
- a frozen import machinery module (``<frozen importlib._bootstrap>``).

Code typed at a shell (``<string>``, ``<console>``, ``<stdin>``) counts as project code.
The decision per file name is cached, so the walk costs one dictionary lookup per frame.
"""

import os
import site
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import override

import django

UNKNOWN_FILE = "<unknown>"


@dataclass(frozen=True, slots=True)
class CallSite:
    """A line of project code: file, line number and function name."""

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


def _skipped_prefixes() -> tuple[str, ...]:
    """Return the directory prefixes (with a trailing separator) whose frames are skipped."""
    package = Path(__file__).resolve().parent.parent  # the whole fetchplan package
    dirs: set[str] = {str(Path(django.__file__).resolve().parent), str(package)}
    paths = sysconfig.get_paths()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        if key in paths:
            dirs.add(str(Path(paths[key]).resolve()))
    dirs.update(str(Path(p).resolve()) for p in site.getsitepackages())
    user_site = site.getusersitepackages()
    if user_site:
        dirs.add(str(Path(user_site).resolve()))
    return tuple(sorted(d.rstrip(os.sep) + os.sep for d in dirs))


_SKIPPED = _skipped_prefixes()
_SKIP_CACHE: dict[str, bool] = {}


def is_library_file(filename: str) -> bool:
    """Return True when frames of ``filename`` are library code rather than project code."""
    skip = _SKIP_CACHE.get(filename)
    if skip is None:
        if filename.startswith("<"):
            skip = filename.startswith("<frozen ")
        else:
            resolved = os.path.realpath(filename)
            skip = resolved.startswith(_SKIPPED) or filename.startswith(_SKIPPED)
        _SKIP_CACHE[filename] = skip
    return skip


def find_call_site(frame: FrameType | None = None) -> CallSite:
    """Return the first project frame at or above ``frame`` (default: the caller's frame).

    Returns ``UNKNOWN`` when every frame on the stack is library code.
    """
    current: FrameType | None = sys._getframe(1) if frame is None else frame
    cache = _SKIP_CACHE
    while current is not None:
        code = current.f_code
        filename = code.co_filename
        skip = cache.get(filename)
        if skip is None:
            skip = is_library_file(filename)
        if not skip:
            return CallSite(filename, current.f_lineno, code.co_name)
        current = current.f_back
    return UNKNOWN
