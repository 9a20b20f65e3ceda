"""Float fields filled from aggregates carry a double's full precision on every backend.

MySQL/MariaDB's ``AVG()`` of integers is a 4-place DECIMAL (the mean of 1, 2, 2 is 1.6667
there), and Django's ``Cast(x, FloatField())`` is ``(x + 0.0)``, a DECIMAL too. The engine
compiles a ``float`` field's averages and float casts as ``CAST(... AS DOUBLE)`` there and leaves
the SQL of SQLite and PostgreSQL as written (``fetchplan.plan.precision``).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Avg, Count, F, FloatField, Sum
from django.db.models.functions import Cast
from fetchplan import fetch_one
from fetchplan.dto import DTO
from fetchplan.plan.declare import Plan
from fetchplan.plan.precision import full_precision

from fetchplan_tests.testapp.models import Chapter, Novel, Writer

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


class NovelMeans(DTO):
    id: int
    mean_words: float | None
    words_per_chapter: float | None


class WriterPrices(DTO):
    id: int
    mean_price: Decimal | None


MEANS = Plan(
    Novel,
    NovelMeans,
    fields={
        "mean_words": Avg("chapters__words"),
        "words_per_chapter": Cast(Sum("chapters__words"), FloatField()) / Count("chapters"),
    },
)
PRICES = Plan(Writer, WriterPrices, fields={"mean_price": Avg("novels__price")})


def _novel_with_words(*words: int) -> Novel:
    writer = Writer.objects.create(name="W")
    novel = Novel.objects.create(
        title="N", price=Decimal("1.00"), published=dt.date(2000, 1, 1), writer=writer
    )
    Chapter.objects.bulk_create(
        [Chapter(novel=novel, number=n, words=w, written=WHEN) for n, w in enumerate(words)]
    )
    return novel


def test_average_of_integers_is_the_exact_double() -> None:
    novel = _novel_with_words(1, 2, 2)
    means = fetch_one(MEANS, Novel.objects.all(), pk=novel.pk)
    assert means.mean_words == 5 / 3  # not 1.6667 (MySQL/MariaDB's 4-place DECIMAL)
    assert means.words_per_chapter == 5 / 3


def test_average_of_no_rows_is_none() -> None:
    novel = _novel_with_words()
    means = fetch_one(
        Plan(Novel, NovelMeans, fields=MEANS.fields), Novel.objects.all(), pk=novel.pk
    )
    assert means.mean_words is None


def test_sql_is_unchanged_outside_mysql() -> None:
    """SQLite and PostgreSQL run the expression as written; MySQL/MariaDB cast to DOUBLE."""
    written = Avg("chapters__words")
    as_written = str(Novel.objects.annotate(v=written).query)
    rewritten = str(Novel.objects.annotate(v=full_precision(written)).query)
    if connection.vendor == "mysql":
        assert "AS DOUBLE" in rewritten
        assert "AS DOUBLE" not in as_written
    else:
        assert rewritten == as_written


def test_the_plans_expression_is_not_changed() -> None:
    expression = Avg(F("chapters__words"))
    full_precision(expression)
    argument = expression.get_source_expressions()[0]  # then the filter (and order_by)
    assert isinstance(argument, F)


def test_decimal_average_keeps_the_databases_decimal() -> None:
    """A ``Decimal`` field gets the database's own decimal, which is not rewritten.

    MySQL/MariaDB give the column's places plus 4 (6 for ``DECIMAL(8,2)``), PostgreSQL a
    numeric of 16 places, SQLite a double that Django rounds to 15 significant digits.
    """
    writer = Writer.objects.create(name="W")
    Novel.objects.bulk_create(
        [
            Novel(title=f"N{i}", price=price, published=dt.date(2000, 1, 1), writer=writer)
            for i, price in enumerate([Decimal("1.00"), Decimal("2.00"), Decimal("2.00")])
        ]
    )
    prices = fetch_one(PRICES, Writer.objects.all(), pk=writer.pk)
    assert isinstance(prices.mean_price, Decimal)
    assert abs(prices.mean_price - Decimal(5) / 3) < Decimal("0.0001")
    expected = {
        "mysql": "1.666667",
        "postgresql": "1.6666666666666667",
        "sqlite": "1.66666666666667",
    }
    assert prices.mean_price == Decimal(expected[connection.vendor])
