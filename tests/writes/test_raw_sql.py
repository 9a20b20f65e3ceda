"""No SQL built with string formatting anywhere in the project (and the scanner can see it)."""

from pathlib import Path

import pytest

from tests.writes.raw_sql import project_files, scan_source

ROOT = Path(__file__).resolve().parents[2]

UNSAFE = [
    'cursor.execute(f"SELECT * FROM t WHERE id = {x}")',
    'cursor.execute("SELECT * FROM t WHERE id = %s" % x)',
    'cursor.execute("SELECT * FROM t WHERE id = {}".format(x))',
    'cursor.execute("SELECT * FROM t WHERE name = \'" + name + "\'")',
    'def f(x):\n    sql = f"DELETE FROM t WHERE id = {x}"\n    connection.cursor().execute(sql)',
    'def f(x):\n    sql = "SELECT 1"\n    sql += " WHERE a = " + x\n    c.execute(sql)',
    "Book.objects.raw(f\"SELECT * FROM bookstore_book WHERE title = '{t}'\")",
    'Book.objects.annotate(n=RawSQL("SELECT %s" % x, []))',
    "Book.objects.extra(where=[f\"title = '{t}'\"])",
    'cursor.executemany(f"INSERT INTO {table} VALUES (%s)", rows)',
]
SAFE = [
    'cursor.execute("SELECT * FROM t WHERE id = %s", [x])',
    'cursor.execute("SELECT 1 " "FROM t")',
    'Book.objects.raw("SELECT * FROM bookstore_book WHERE id = %s", [x])',
    'conn.execute(psycopg.sql.SQL("DROP DATABASE {}").format(psycopg.sql.Identifier(n)))',
    'sql = f"{x}"\ndef f():\n    sql = "SELECT 1"\n    cursor.execute(sql)',
    'message = "%s rows" % n\nlogger.info(message)',
]


@pytest.mark.parametrize("source", UNSAFE)
def test_scanner_finds_formatted_sql(source: str) -> None:
    assert len(scan_source(source)) == 1


@pytest.mark.parametrize("source", SAFE)
def test_scanner_allows_parameters_and_composition(source: str) -> None:
    assert scan_source(source) == []


def test_the_project_has_no_formatted_sql() -> None:
    files = list(project_files(ROOT))
    assert any(path.name == "orders.py" for path in files)  # the walk reaches the code
    findings = [
        str(finding)
        for path in files
        for finding in scan_source(path.read_text(), path=str(path.relative_to(ROOT)))
    ]
    assert findings == []
