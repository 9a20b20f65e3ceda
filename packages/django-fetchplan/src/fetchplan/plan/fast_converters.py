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

Its rows are converted inline: ``compiled_sql.converter`` writes the column's conversion
into the statement's generated row expression (:meth:`SQLiteDecimal.inline`), with no Python
call per value. A float, the type SQLite returns for a ``DECIMAL`` column with a fraction, is
looked up in a dict made per batch of rows (a statement's rows, a ``stream()`` chunk); a miss
converts it with the same two C calls Django makes (``create_decimal_from_float``, then
``quantize``) and stores it with ``dict.setdefault``, so a column of prices that repeats a few
values over many rows costs one or two dict lookups per repeat. Only nonzero floats are
remembered: two equal nonzero floats are the same number and convert alike, while ``-0.0 ==
0.0`` converts to ``-0.00``. Anything else (None, an int, a str, a zero) goes through
:attr:`SQLiteDecimal.convert`, a Python call. The 10,000 prices of the bench's list (5,982
distinct) took 29.3 ms through the previous form, a dict whose ``__missing__`` converted (a
Python call per distinct value), and take 17.5 ms inline (medians, ``docs/performance.md``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Context, Decimal
from functools import cached_property
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


def inline(functions: list[Converter]) -> "SQLiteDecimal | None":
    """Return the :class:`SQLiteDecimal` of a column whose only converter is one, else None.

    Such a column is converted inline (:meth:`SQLiteDecimal.inline`); any other column's
    converters run on every value (so too a column converted inside :func:`memos_disabled`,
    where :func:`replace` leaves the plain converter).
    """
    if len(functions) == 1 and isinstance(functions[0], SQLiteDecimal):
        return functions[0]
    return None


@dataclass(frozen=True)
class Inline:
    """One column's conversion, written into a generated function (``SQLiteDecimal.inline``)."""

    names: dict[str, Any]
    """What the code refers to, for the generated function's namespace."""
    setup: str
    """One statement run once per batch of rows, before the rows (makes the batch's dict)."""
    expression: str
    """The converted value, an expression over the raw value's expression."""


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

        self.convert: Converter = convert
        """The converter alone, every value converted (Django's signature)."""
        self.places = places
        self.context = context
        self.from_float = from_float

    def convert_all(self, values: Iterable[Any]) -> list[Any]:
        """Convert a batch of values through :meth:`inline`'s code, as a statement does."""
        return self._batch_converter(values)

    @cached_property
    def _batch_converter(self) -> Callable[[Iterable[Any]], list[Any]]:
        """:meth:`convert_all`'s generated function, made on first use (statements never call
        it: they write :meth:`inline`'s code into their own)."""
        batch = self.inline("_d", "value")
        namespace = dict(batch.names)
        source = f"def convert_all(values):\n    {batch.setup}\n"
        source += f"    return [{batch.expression} for value in values]\n"
        exec(source, namespace)
        made: Callable[[Iterable[Any]], list[Any]] = namespace["convert_all"]
        return made

    def inline(self, name: str, value: str) -> Inline:
        """Return the code converting ``value`` (a Python expression) in a generated function.

        ``name`` prefixes every name the code binds (unique per column of a statement). A
        nonzero float is read from the batch's dict, or converted with Django's two C calls
        and stored there; any other value goes to :attr:`convert`. The walrus keeps the raw
        value in ``<name>_v``: inside a comprehension it binds in the enclosing function.
        """
        v, remembered = f"{name}_v", f"{name}_m"
        converted = f"_quantize({name}_f({v}), {name}_p, None, {name}_x)"
        return Inline(
            names={
                "_quantize": Decimal.quantize,
                "_float": float,
                f"{name}_f": self.from_float,
                f"{name}_p": self.places,
                f"{name}_x": self.context,
                f"{name}_c": self.convert,
            },
            setup=f"{remembered} = {{}}; {name}_s = {remembered}.setdefault",
            expression=(
                f"(({remembered}[{v}] if {v} in {remembered} else {name}_s({v}, {converted}))"
                f" if ({v} := {value}).__class__ is _float and {v} else {name}_c({v}))"
            ),
        )

    def __call__(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        """Convert one value, as Django's converter does (the converter signature)."""
        return self.convert(value, expression, connection)
