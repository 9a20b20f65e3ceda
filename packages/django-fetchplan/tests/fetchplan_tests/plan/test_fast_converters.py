"""fast_converters: Django 6's SQLite ``DecimalField`` converter with its context made once.

It must give the very values Django's gives (same type, same digits, same exponent, the same
error where Django's raises), also through its inline code over a batch with repeated and
equal-but-different values, replace Django's converter on SQLite under Django 6 and nothing
anywhere else, and the compiled statements must convert inline, with a fresh dict per batch.
Django's SQLite converter is taken from its SQLite backend's operations directly, so the
comparisons run on every database.
"""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.db.models import DecimalField
from django.db.models.expressions import Col, Value
from fetchplan import fetch_all
from fetchplan.plan import compiled_sql, fast_converters
from hypothesis import given
from hypothesis import strategies as st

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Novel

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


EQUAL_BUT_DIFFERENT = (-0.0, 0, 0.0, 2.0**55, 2**55, 1e15, 10**15, 1.0, 1, True)
"""Values equal to one another that Django converts differently (or must not be confused)."""


WIDE = DecimalField(max_digits=40, decimal_places=2)
"""Wide enough that 2**55 converts instead of raising (``Novel.price`` has 8 digits)."""


def converter_of(column: Col) -> fast_converters.SQLiteDecimal:
    field = column.output_field
    assert isinstance(field, DecimalField)
    assert field.decimal_places is not None
    return fast_converters.SQLiteDecimal(field.decimal_places, field.context)


def price_column() -> Col:
    return Col(Novel._meta.db_table, Novel._meta.get_field("price"))


def wide_column() -> Col:
    return Col(Novel._meta.db_table, WIDE)


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
    ours = converter_of(column)
    assert outcome(ours, value, column) == outcome(sqlite_converter(column), value, column)


def test_known_values() -> None:
    ours = converter_of(price_column())
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
        assert isinstance(function, fast_converters.SQLiteDecimal)
    else:
        assert function is djangos


def test_other_converters_are_kept() -> None:
    expression = Value(Decimal("1.5"), output_field=DecimalField())  # not a column
    other = [lambda value, expression, connection: value]
    assert fast_converters.replace({0: (other, expression)}, connection)[0][0] == other
    not_a_column = sqlite_converter(expression)  # Django's branch without quantize
    replaced = fast_converters.replace({0: ([not_a_column], expression)}, connection)
    assert replaced[0][0] == [not_a_column]


@pytest.mark.skipif(not DJANGO_6, reason="Django 6's SQLite converter only")
@given(
    st.lists(st.one_of(values, st.sampled_from(EQUAL_BUT_DIFFERENT)), max_size=30),
    st.sampled_from([price_column, wide_column]),
)
def test_a_batch_converted_inline_gives_djangos_values(batch: list[object], make: Any) -> None:
    """One batch through the inline code (its dict of converted floats shared by the whole
    batch): each value as Django converts it alone, and alone the same error where Django's
    raises.

    Catches: remembering zeros (``-0.0 == 0`` converts to ``-0.00``, ``0`` to ``0.00``) or
    ints with floats (``2.0**55 == 2**55``, the float rounded to 15 digits), and the inline
    code converting in any other way than Django's steps.
    """
    column = make()
    djangos = sqlite_converter(column)
    ours = converter_of(column)
    values = [*batch, *EQUAL_BUT_DIFFERENT, *reversed(EQUAL_BUT_DIFFERENT), *batch]
    for value in values:
        alone = outcome(lambda v, e, c: ours.convert_all([v])[0], value, column)
        assert alone == outcome(djangos, value, column)
    converts = [value for value in values if outcome(djangos, value, column)[0] != "raised"]
    together = ours.convert_all(converts)
    expected = [djangos(value, column, connection) for value in converts]
    assert [(type(v).__name__, str(v)) for v in together] == [
        (type(v).__name__, str(v)) for v in expected
    ]


def test_a_batch_remembers_repeats_only_where_they_convert_alike() -> None:
    first, again, same, zero, negative_zero, int_zero, big_float, big_int = converter_of(
        wide_column()
    ).convert_all([12.5, 12.5, 12.5000, 0.0, -0.0, 0, 2.0**55, 2**55])
    assert first is again is same  # one conversion for the repeats
    assert (str(zero), str(negative_zero), str(int_zero)) == ("0.00", "-0.00", "0.00")
    assert str(big_float) == "36028797018964000.00"  # rounded to 15 digits, as Django does
    assert str(big_int) == "36028797018963968.00"  # exact, not the float's


@pytest.mark.django_db
def test_compiled_statements_convert_inline_with_a_dict_per_batch() -> None:
    """Catches: ``compiled_sql.converter`` no longer calling ``fast_converters.replace`` or
    not converting the column inline (no shared ``Decimal`` for a repeat), and the dict of
    converted values kept from one batch to the next."""
    if not replaced_here():
        pytest.skip("replaces Django 6's SQLite converter only")
    queryset = Novel.objects.values_list("title", "price")
    compiler = queryset.query.get_compiler(using=queryset.db)
    compiler.as_sql()
    convert = compiled_sql.converter(queryset, compiler)
    first = convert([("a", 12.5), ("b", 12.5), ("c", None), ("d", 7)])
    assert first == [
        ("a", Decimal("12.50")),
        ("b", Decimal("12.50")),
        ("c", None),
        ("d", Decimal("7.00")),
    ]
    assert first[0][1] is first[1][1]  # one conversion for the repeat
    second = convert([("e", 12.5)])
    assert second == [("e", Decimal("12.50"))]
    assert second[0][1] is not first[0][1]  # a new batch, a new dict


@pytest.mark.django_db
def test_statements_without_memos_are_cached_apart() -> None:
    """Inside ``memos_disabled()`` every price is converted on its own; outside, one ``Decimal``
    serves the repeats. Catches: the statement cache ignoring the switch (a statement would
    keep or lose its memo by which ran first) and ``replace()`` ignoring it."""
    if not replaced_here():
        pytest.skip("replaces Django 6's SQLite converter only")
    make_library(writers=2)
    Novel.objects.update(price=Decimal("12.50"))
    novels = Novel.objects.order_by("id")

    def prices() -> list[Decimal]:
        return [novel.price for novel in fetch_all(plans.NOVEL_BARE, novels)]

    remembered = prices()
    with fast_converters.memos_disabled():
        each = prices()
    again = prices()
    assert len(remembered) > 1
    assert remembered == each == again == [Decimal("12.50")] * len(remembered)
    assert len(set(map(id, remembered))) == 1
    assert len(set(map(id, each))) == len(each)
    assert len(set(map(id, again))) == 1
