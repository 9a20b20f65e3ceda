"""Float fields filled from expressions keep a double's full precision on every backend.

MySQL/MariaDB compute ``AVG()`` of integers as a DECIMAL with 4 more places than its argument
(``div_precision_increment``): the mean of 1, 2, 2 comes back as 1.6667, not 5/3. Django's
``Cast(x, FloatField())`` does not help there: on MySQL it is ``(x + 0.0)``, a DECIMAL too.
SQLite and PostgreSQL give the full double (or a numeric with more digits than a double holds).

When a DTO field declares ``float`` (and not ``Decimal``) and its source is an expression,
:func:`full_precision` returns a copy of the expression in which

- every ``Avg(...)``'s arguments are ``CAST(... AS DOUBLE)`` on MySQL/MariaDB, and
- every ``Cast(..., FloatField())`` is ``CAST(... AS DOUBLE)`` on MySQL/MariaDB,

so the average is computed over doubles there. On every other backend both compile to exactly
the SQL of the expression as written. ``CAST(... AS DOUBLE)`` needs MariaDB 10.4.5 or MySQL
8.0.17. A field declaring ``Decimal`` is left alone: it gets the database's own decimal (see
``docs/databases.md`` of the repository for the precision each backend gives).
"""

import decimal
from typing import Any, override

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Avg, FloatField, Func
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Cast
from django.db.models.sql.compiler import SQLCompiler

from fetchplan.plan.type_rules import union_args

__all__ = ["full_precision", "wants_float"]

_MYSQL_DOUBLE = "CAST(%(expressions)s AS DOUBLE)"


class AsDouble(Func):
    """An argument of ``Avg``: ``CAST(x AS DOUBLE)`` on MySQL/MariaDB, ``x`` unchanged elsewhere."""

    template = "%(expressions)s"
    output_field = FloatField()

    def as_mysql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> Any:
        """Compile as a cast to a double (MariaDB 10.4.5+, MySQL 8.0.17+)."""
        return self.as_sql(compiler, connection, template=_MYSQL_DOUBLE, **extra_context)


class DoubleCast(Cast):
    """A float ``Cast``: ``CAST(x AS DOUBLE)`` on MySQL/MariaDB, Django's own cast elsewhere."""

    @override
    def as_mysql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> Any:
        """Compile as a cast to a double instead of Django's ``(x + 0.0)``, a DECIMAL."""
        return self.as_sql(compiler, connection, template=_MYSQL_DOUBLE, **extra_context)


def wants_float(annotation: Any) -> bool:
    """Return True if a DTO field of ``annotation`` takes a float and not a ``Decimal``."""
    members = union_args(annotation)
    return float in members and decimal.Decimal not in members


def full_precision(expression: BaseExpression) -> BaseExpression:
    """Return a copy of ``expression`` whose averages and float casts are doubles on MySQL.

    The expression given is not changed (plans share theirs between runs).
    """
    if isinstance(expression, Cast) and isinstance(expression.output_field, FloatField):
        (inner,) = expression.get_source_expressions()
        return DoubleCast(_rewrite(inner), output_field=FloatField())
    copy = expression.copy()
    sources = copy.get_source_expressions()
    rewritten = [_rewrite(source) for source in sources]
    if isinstance(copy, Avg):
        arguments = len(copy.source_expressions)
        rewritten[:arguments] = [AsDouble(source) for source in rewritten[:arguments]]
    copy.set_source_expressions(rewritten)
    return copy


def _rewrite(source: Any) -> Any:
    if isinstance(source, BaseExpression):
        return full_precision(source)
    return source  # None (an aggregate with no filter), a Q, a plain value
