"""fast_converters: Django 6's SQLite ``DecimalField`` converter with its context made once.

It must give the very values Django's gives (same type, same digits, same exponent, the same
error where Django's raises), replace Django's converter on SQLite under Django 6 and nothing
anywhere else, and the compiled statements must use it. Django's SQLite converter is taken
from its SQLite backend's operations directly, so the comparisons run on every database.
"""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.db.models import DecimalField
from django.db.models.expressions import Col, Value
from fetchplan.plan import compiled_sql, fast_converters
from hypothesis import given
from hypothesis import strategies as st

from fetchplan_tests.testapp.models import Novel

REPLACED = "sqlite_decimal.<locals>.convert"
SQLiteOperations = SQLiteWrapper.ops_class  # via the backend: its module imports in that order
DJANGO_6 = hasattr(SQLiteOperations, "_create_decimal")
"""Django 6's SQLite converter (the one replaced); Django 5.2's makes its context once."""
values = st.one_of(
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e7, max_value=1e7),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1, max_value=1),
    st.integers(-(10**7), 10**7),
    st.decimals(places=3, min_value=-(10**5), max_value=10**5).map(str),
)


def price_column() -> Col:
    return Col(Novel._meta.db_table, Novel._meta.get_field("price"))


def sqlite_converter(expression: Any) -> Any:
    """Return Django's SQLite ``DecimalField`` converter for ``expression``."""
    return SQLiteOperations(connection).get_decimalfield_converter(expression)


def replaced_here() -> bool:
    """Return True if this suite's database is one where the converter is replaced."""
    return connection.vendor == "sqlite" and DJANGO_6


def outcome(convert: Any, value: object, column: Col) -> tuple[str, str]:
    """Return the converted value's type and text, or the error's type."""
    try:
        result = convert(value, column, connection)
    except Exception as error:
        return "raised", type(error).__name__
    return type(result).__name__, str(result)


@pytest.mark.skipif(not DJANGO_6, reason="Django 6's SQLite converter only")
@given(values)
def test_the_same_value_as_djangos_converter(value: object) -> None:
    column = price_column()
    field = Novel._meta.get_field("price")
    assert isinstance(field, DecimalField)
    ours = fast_converters.sqlite_decimal(field.decimal_places, field.context)
    assert outcome(ours, value, column) == outcome(sqlite_converter(column), value, column)


def test_known_values() -> None:
    ours = fast_converters.sqlite_decimal(2, Novel._meta.get_field("price").context)
    column = price_column()
    assert str(ours(12.5, column, connection)) == "12.50"
    assert str(ours(0.1 + 0.2, column, connection)) == "0.30"
    assert str(ours(7, column, connection)) == "7.00"
    assert str(ours("3.14159", column, connection)) == "3.14"
    assert ours(None, column, connection) is None


def test_djangos_converter_is_replaced_on_django_6_sqlite_only() -> None:
    column = price_column()
    djangos = sqlite_converter(column)
    ((function,), _) = fast_converters.replace({0: ([djangos], column)}, connection)[0]
    if replaced_here():
        assert function.__qualname__ == REPLACED
    else:
        assert function is djangos


def test_other_converters_are_kept() -> None:
    expression = Value(Decimal("1.5"), output_field=DecimalField())  # not a column
    other = [lambda value, expression, connection: value]
    assert fast_converters.replace({0: (other, expression)}, connection)[0][0] == other
    not_a_column = sqlite_converter(expression)  # Django's branch without quantize
    replaced = fast_converters.replace({0: ([not_a_column], expression)}, connection)
    assert replaced[0][0] == [not_a_column]


@pytest.mark.django_db
def test_compiled_statements_use_it() -> None:
    """Catches: ``compiled_sql.converter`` no longer calling ``fast_converters.replace``."""
    if not replaced_here():
        pytest.skip("replaces Django 6's SQLite converter only")
    queryset = Novel.objects.values_list("title", "price")
    compiler = queryset.query.get_compiler(using=queryset.db)
    compiler.as_sql()
    convert = compiled_sql.converter(queryset, compiler)
    used = [f.__qualname__ for f in convert.__globals__.values() if callable(f)]
    assert REPLACED in used
