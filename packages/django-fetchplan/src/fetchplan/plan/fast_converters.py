"""Equivalents of Django converters that cost less per value, for the compiled statements.

``compiled_sql.converter`` reads a statement's rows through Django's own converters, so a
value has the type its field declares. One of them is slow for what it does: on SQLite, a
``DecimalField`` column comes back as a float and Django 6.x's converter
(``django.db.backends.sqlite3.operations``, ``get_decimalfield_converter``) makes a new
``decimal.Context(prec=15)`` for every value (``_create_decimal``) before quantizing it. The
replacement here does the same steps with that context made once: the same ``Decimal`` for
every value (``tests/.../test_fast_converters.py`` compares the two over random values), at
0.6 of the time (1.08 against 1.78 µs a value, 10,000 values; docs/performance.md).

A converter is replaced only when it is exactly that one: SQLite, Django's function by module
and name, the backend having ``_create_decimal`` (Django 5.2's converter already makes its
context once, and is left alone), and the same branch Django took (a column with
``decimal_places``, quantized). Anything else keeps Django's converter.

That converter also remembers, for one batch of rows (a statement's rows, a ``stream()``
chunk), the ``Decimal`` it made for each float or int: a column of prices or amounts repeats a
few values over many rows, and a repeat then costs one dict lookup made in C instead of a
conversion (``compiled_sql.converter`` reads the column through :meth:`SQLiteDecimal.memo`).
Only values whose equal repeats must convert alike are remembered: no zero (``-0.0 == 0``
but converts to ``-0.00``), no str, and nothing of 16 digits or more before the point (an int
that equals a float there converts exactly, the float rounded to 15 digits).
"""

from collections.abc import Callable
from decimal import Context, Decimal
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DecimalField
from django.db.models.expressions import Col

from fetchplan.plan.fast_path import FastPath

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]
_memos = FastPath()
memos_disabled = _memos.disabled
"""``with memos_disabled():`` statements compiled in the block convert every value (no memo);
``compiled_sql`` caches them apart from the others. For ``bench.profile``'s comparison."""

_SQLITE_DECIMAL = (
    "django.db.backends.sqlite3.operations",
    "DatabaseOperations.get_decimalfield_converter.<locals>.converter",
)


def replace(
    converters: dict[int, tuple[list[Converter], Any]], connection: BaseDatabaseWrapper
) -> dict[int, tuple[list[Converter], Any]]:
    """Return ``converters`` (``compiler.get_converters()``) with the slow ones replaced."""
    if connection.vendor != "sqlite" or not hasattr(type(connection.ops), "_create_decimal"):
        return converters
    replaced = {}
    for position, (functions, expression) in converters.items():
        replaced[position] = ([_faster(f, expression) for f in functions], expression)
    return replaced


def _faster(function: Converter, expression: Any) -> Converter:
    if (function.__module__, function.__qualname__) != _SQLITE_DECIMAL:
        return function
    field = expression.output_field if isinstance(expression, Col) else None
    if not isinstance(field, DecimalField) or field.decimal_places is None:
        return function
    faster = SQLiteDecimal(field.decimal_places, field.context)
    return faster if _memos.on else faster.convert  # no memo: the plain converter


def memos_on() -> bool:
    """Return False inside :func:`memos_disabled`."""
    return _memos.on


def memo(functions: list[Converter]) -> type[dict[Any, Any]] | None:
    """Return the memo class of a column whose only converter is a :class:`SQLiteDecimal`.

    None for any other column: its converters run on every value (so too a column converted
    inside :func:`memos_disabled`, where :func:`replace` leaves the plain converter).
    """
    if len(functions) == 1 and isinstance(functions[0], SQLiteDecimal):
        return functions[0].memo
    return None


_NUMBERS = (int, float)
_REMEMBERED = 1e15
"""Values remembered are below this in magnitude: fewer than 16 digits before the point."""


class SQLiteDecimal:
    """Django 6's SQLite ``DecimalField`` converter for a column, its context made once.

    Django's steps: ``None`` stays ``None``; an int or a str becomes ``Decimal(value)``, any
    other value ``Context(prec=15).create_decimal_from_float(value)`` (SQLite keeps 15
    significant digits); then ``quantize`` to the field's places in the field's context.
    """

    def __init__(self, decimal_places: int, context: Context) -> None:
        places = Decimal(1).scaleb(-decimal_places)
        from_float = Context(prec=15).create_decimal_from_float

        def convert(value: Any, expression: Any = None, connection: Any = None) -> Any:
            if value is None:
                return None
            number = Decimal(value) if isinstance(value, int | str) else from_float(value)
            return number.quantize(places, context=context)

        class Memo(dict[Any, Decimal | None]):
            """Raw value to converted value for one batch of rows (see the module's doc)."""

            __slots__ = ()

            def __missing__(self, value: Any) -> Decimal | None:
                converted: Decimal | None = convert(value)
                if type(value) in _NUMBERS and value and -_REMEMBERED < value < _REMEMBERED:
                    self[value] = converted
                return converted

        self.convert: Converter = convert
        """The converter alone, every value converted (Django's signature)."""
        self.memo: type[dict[Any, Decimal | None]] = Memo
        """A new empty memo per batch: ``memo()[value]`` converts ``value``, remembering it."""

    def __call__(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        """Convert one value, as Django's converter does (the converter signature)."""
        return self.convert(value, expression, connection)
