"""fast_converters: Django 6's SQLite ``DecimalField`` converter with its context made once.

It must give the very values Django's gives (same type, same digits, same exponent, the same
error where Django's raises), and the compiled statements must use it. Runs on SQLite under
Django 6 (elsewhere nothing is replaced: see the last test).
"""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import DecimalField
from django.db.models.expressions import Col, Value
from fetchplan.plan import compiled_sql, fast_converters
from hypothesis import given
from hypothesis import strategies as st

from fetchplan_tests.testapp.models import Novel

REPLACED = "sqlite_decimal.<locals>.convert"
values = st.one_of(
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e7, max_value=1e7),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1, max_value=1),
    st.integers(-(10**7), 10**7),
    st.decimals(places=3, min_value=-(10**5), max_value=10**5).map(str),
)


def price_column() -> Col:
    return Col(Novel._meta.db_table, Novel._meta.get_field("price"))


def decimal_converter(expression: Any) -> Any:
    """Return SQLite's ``DecimalField`` converter for ``expression`` (not in the base class)."""
    return getattr(connection.ops, "get_decimalfield_converter")(expression)  # noqa: B009


def django_6_on_sqlite() -> None:
    if connection.vendor != "sqlite" or not hasattr(type(connection.ops), "_create_decimal"):
        pytest.skip("replaces Django 6's SQLite converter only")


def outcome(convert: Any, value: object, column: Col) -> tuple[str, str]:
    """Return the converted value's type and text, or the error's type."""
    try:
        result = convert(value, column, connection)
    except Exception as error:
        return "raised", type(error).__name__
    return type(result).__name__, str(result)


@given(values)
def test_the_same_value_as_djangos_converter(value: object) -> None:
    django_6_on_sqlite()
    column = price_column()
    djangos = decimal_converter(column)
    ((ours,), _) = fast_converters.replace({0: ([djangos], column)}, connection)[0]
    assert ours.__qualname__ == REPLACED
    assert outcome(ours, value, column) == outcome(djangos, value, column)


def test_known_values() -> None:
    django_6_on_sqlite()
    ours = fast_converters.sqlite_decimal(2, Novel._meta.get_field("price").context)
    column = price_column()
    assert str(ours(12.5, column, connection)) == "12.50"
    assert str(ours(0.1 + 0.2, column, connection)) == "0.30"
    assert str(ours(7, column, connection)) == "7.00"
    assert str(ours("3.14159", column, connection)) == "3.14"
    assert ours(None, column, connection) is None


@pytest.mark.django_db
def test_compiled_statements_use_it() -> None:
    """Catches: ``compiled_sql.converter`` no longer calling ``fast_converters.replace``."""
    django_6_on_sqlite()
    queryset = Novel.objects.values_list("title", "price")
    compiler = queryset.query.get_compiler(using=queryset.db)
    compiler.as_sql()
    convert = compiled_sql.converter(queryset, compiler)
    used = [f.__qualname__ for f in convert.__globals__.values() if callable(f)]
    assert REPLACED in used


def test_anything_else_keeps_djangos_converter() -> None:
    column = price_column()
    djangos = connection.ops.get_db_converters(column)
    kept = fast_converters.replace({0: (djangos, column)}, connection)[0][0]
    if connection.vendor != "sqlite" or not hasattr(type(connection.ops), "_create_decimal"):
        assert kept == djangos
    expression = Value(Decimal("1.5"), output_field=DecimalField())  # not a column
    other = [lambda value, expression, connection: value]
    assert fast_converters.replace({0: (other, expression)}, connection)[0][0] == other
    if connection.vendor == "sqlite":
        not_a_column = decimal_converter(expression)
        replaced = fast_converters.replace({0: ([not_a_column], expression)}, connection)
        assert replaced[0][0] == [not_a_column]
