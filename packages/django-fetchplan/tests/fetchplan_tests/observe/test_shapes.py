"""Statements that differ only in values have the same shape."""

import pytest
from fetchplan.observe.shapes import abbreviate, shape_of


@pytest.mark.parametrize(
    ("sql", "shape"),
    [
        (
            'SELECT "a"."id" FROM "a" WHERE "a"."id" = %s LIMIT 21',
            'SELECT "a"."id" FROM "a" WHERE "a"."id" = ? LIMIT ?',
        ),
        (
            "SELECT * FROM a WHERE name = 'O''Brien' AND x > 3.5",
            "SELECT * FROM a WHERE name = ? AND x > ?",
        ),
        ("SELECT * FROM a WHERE id IN (%s, %s, %s)", "SELECT * FROM a WHERE id IN (...)"),
        ("SELECT * FROM a WHERE id in (1,2)", "SELECT * FROM a WHERE id IN (...)"),
        ("SELECT * FROM a WHERE id = %(id)s OR id = ?", "SELECT * FROM a WHERE id = ? OR id = ?"),
        (
            'INSERT INTO "t" ("a", "b") VALUES (%s, %s), (%s, %s)',
            'INSERT INTO "t" ("a", "b") VALUES (...)',
        ),
        ('SELECT "t2"."c1" FROM "t2"', 'SELECT "t2"."c1" FROM "t2"'),
        ("SELECT  a\n  FROM t1   WHERE b = -4", "SELECT a FROM t1 WHERE b = ?"),
    ],
)
def test_shape_of(sql: str, shape: str) -> None:
    assert shape_of(sql) == shape


def test_in_lists_of_any_length_share_a_shape() -> None:
    one = shape_of("SELECT * FROM a WHERE id IN (%s)")
    many = shape_of("SELECT * FROM a WHERE id IN (%s, %s, %s, %s)")
    assert one == many


def test_array_parameters_share_a_shape_whatever_their_type() -> None:
    """psycopg writes a list of ids as an array literal typed by its largest value (the parent
    ids of a child query on PostgreSQL): small and large ids are still one shape."""
    small = shape_of("SELECT * FROM a WHERE a.b_id = ANY('{1,2}'::int2[])")
    large = shape_of("SELECT * FROM a WHERE a.b_id = ANY('{40000,70000}'::int4[])")
    assert small == large == "SELECT * FROM a WHERE a.b_id = ANY(?)"


def test_abbreviate_elides_the_select_list_and_cuts() -> None:
    shape = 'SELECT "a"."id", "a"."name" FROM "a" WHERE "a"."id" = ?'
    assert abbreviate(shape) == 'SELECT ... FROM "a" WHERE "a"."id" = ?'
    assert abbreviate("SELECT DISTINCT x, y FROM t") == "SELECT DISTINCT ... FROM t"
    assert abbreviate("UPDATE t SET a = ? WHERE id = ?", width=12) == "UPDATE t ..."
