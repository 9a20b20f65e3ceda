"""SQL expressions that give the same numbers on SQLite, PostgreSQL and MySQL/MariaDB."""

from typing import Any, override

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, FloatField
from django.db.models.functions import Cast
from django.db.models.sql.compiler import SQLCompiler

__all__ = ["FloatCast"]


class FloatCast(Cast):
    """Cast ``expression`` to a double precision float on every backend.

    Django's ``Cast(x, FloatField())`` on MySQL/MariaDB is ``(x + 0.0)``, a DECIMAL: a quotient
    of it keeps 4 to 5 places (``47 / 13`` gives 3.61538), and ``AVG()`` of integers is a
    4-place DECIMAL too (1.6667). ``CAST(x AS DOUBLE)`` (MariaDB 10.4.5+, MySQL 8.0.17+) keeps
    the full double, as the other databases do: ``AVG(FloatCast("rating"))`` is the exact mean.

    Plans do not need it: the library does the same for a ``float`` field's expression
    (``fetchplan.plan.precision``). It is for querysets written by hand (the bench's ORM
    baselines, a test's ``aggregate()``).
    """

    def __init__(self, expression: str | Expression) -> None:
        super().__init__(expression, output_field=FloatField())

    @override
    def as_mysql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        sql, params = self.as_sql(
            compiler, connection, template="CAST(%(expressions)s AS DOUBLE)", **extra_context
        )
        return sql, tuple(params)
