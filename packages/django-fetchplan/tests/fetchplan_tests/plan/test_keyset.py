"""Keyset chunks: how stream() reads root rows on MySQL/MariaDB, which buffer whole results.

``keyset_chunks`` runs on any database, so it is checked on every test run; which querysets
``stream()`` reads that way is checked per backend.
"""

import datetime as dt
from decimal import Decimal
from itertools import islice

import pytest
from django.db import connection
from django.db.models import F
from fetchplan import fetch_all, stream
from fetchplan.observe import record_queries
from fetchplan.plan.keyset import keyset_chunks, keyset_order

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Novel, Writer

pytestmark = pytest.mark.django_db

MYSQL = connection.vendor == "mysql"


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("chunk_size", [1, 4, 5, 100])
def test_chunks_cover_every_row_once_in_primary_key_order(
    descending: bool, chunk_size: int
) -> None:
    make_library(writers=5, novels_per_writer=4)  # 20 novels
    with record_queries() as recorded:
        chunks = list(
            keyset_chunks(
                Novel.objects.values_list("pk", "title"),
                chunk_size=chunk_size,
                key=(("id", descending),),
                key_of=lambda row: row[:1],
            )
        )
    pks = [row[0] for chunk in chunks for row in chunk]
    assert pks == sorted(Novel.objects.values_list("pk", flat=True), reverse=descending)
    assert all(len(chunk) == chunk_size for chunk in chunks[:-1])
    # One query per chunk, and one more that finds nothing when the last chunk is full.
    assert recorded.count == len(chunks) + (20 % chunk_size == 0)


@pytest.mark.parametrize(
    ("key", "chunk_size"),
    [
        ((("published", False), ("id", False)), 3),
        ((("published", True), ("id", False)), 1),
        ((("in_print", False), ("price", True), ("id", False)), 4),
        ((("writer_id", True), ("title", False), ("id", True)), 7),
    ],
)
def test_chunks_cover_every_row_once_in_a_key_with_ties(
    key: tuple[tuple[str, bool], ...], chunk_size: int
) -> None:
    """Many rows share the first columns' values: the later ones and the pk break the ties."""
    make_library(writers=5, novels_per_writer=4)  # 20 novels
    tied = list(Novel.objects.order_by("pk").values_list("pk", flat=True)[:12])
    Novel.objects.filter(pk__in=tied).update(
        published=dt.date(2001, 1, 1), price=Decimal("9.99")
    )  # 12 of 20 rows tie on published and price
    names = [name for name, _ in key]
    rows = Novel.objects.values_list(*names)
    chunks = list(  # at most 21 chunks: a wrong condition that never ends fails, not hangs
        islice(keyset_chunks(rows, chunk_size=chunk_size, key=key, key_of=lambda row: row), 21)
    )
    streamed = [row for chunk in chunks for row in chunk]
    expected = list(rows)
    for position in reversed(range(len(key))):  # a stable sort per column, last column first
        expected.sort(key=lambda row: row[position], reverse=key[position][1])
    assert streamed == expected
    assert all(len(chunk) == chunk_size for chunk in chunks[:-1])


def test_which_orders_are_read_by_keyset_on_mysql() -> None:
    def expected(*key: tuple[str, bool]) -> object:
        return key if MYSQL else None

    assert keyset_order(Novel.objects.order_by("pk")) == expected(("id", False))
    assert keyset_order(Novel.objects.order_by("-id")) == expected(("id", True))
    assert keyset_order(Novel.objects.order_by()) == expected(("id", False))
    assert keyset_order(Novel.objects.all()) == expected(("title", False), ("id", False))
    assert keyset_order(Novel.objects.order_by("-published", "title")) == expected(
        ("published", True), ("title", False), ("id", False)
    )
    assert keyset_order(Novel.objects.order_by("writer_id", "-pk", "title")) == expected(
        ("writer_id", False), ("id", True)
    )
    assert keyset_order(Novel.objects.order_by("writer")) is None  # the Writer's ordering
    assert keyset_order(Novel.objects.order_by("writer__name")) is None
    assert keyset_order(Novel.objects.order_by(F("title").asc())) is None
    assert keyset_order(Writer.objects.order_by("born")) is None  # nullable: NULLs first
    assert keyset_order(Novel.objects.order_by("title").distinct()) is None
    assert keyset_order(Novel.objects.order_by("title").only("id")) is None
    assert keyset_order(Novel.objects.order_by("pk").only("id")) == expected(("id", False))
    assert keyset_order(Novel.objects.order_by("pk")[:10]) is None


@pytest.mark.parametrize("order", ["pk", "-pk", "title", "-published", "writer_id", "-price"])
def test_stream_yields_what_fetch_all_does(order: str) -> None:
    make_library(writers=4, novels_per_writer=3)
    queryset = Novel.objects.order_by(order, "pk")  # pk: ties in the same order in both
    for plan in (plans.NOVEL, plans.NOVEL.with_strategy("instances")):
        assert list(stream(plan, queryset, chunk_size=5)) == fetch_all(plan, queryset)
