"""Services and DTOs import no model and no database code: they cannot query."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FORBIDDEN = ("bookstore.models", "django.db")
CHECKED = [
    *sorted((ROOT / "bookstore" / "services").rglob("*.py")),
    *sorted((ROOT / "dtos").rglob("*.py")),
]


def forbidden_imports(source: str) -> list[str]:
    """Return the modules of ``source``'s imports that are, or are inside, FORBIDDEN."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        found += [n for n in names if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)]
    return found


def test_the_scan_sees_the_modules() -> None:
    names = {path.name for path in CHECKED}
    assert {"ratings.py", "pricing.py", "authors.py", "books.py", "writes.py"} <= names


@pytest.mark.parametrize(
    "source",
    [
        "from bookstore.models import Book",
        "import bookstore.models",
        "from bookstore import models",
        "from django.db.models import Count",
        "import django.db",
        "from django import db",
        "def f():\n    from django.db import connection",
    ],
)
def test_the_scan_catches_each_spelling(source: str) -> None:
    assert forbidden_imports(source)


def test_the_scan_allows_pure_imports() -> None:
    assert forbidden_imports("from dtos.books import BookRow\nimport decimal") == []


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_imports_no_model_and_no_database(path: Path) -> None:
    assert forbidden_imports(path.read_text()) == [], path
