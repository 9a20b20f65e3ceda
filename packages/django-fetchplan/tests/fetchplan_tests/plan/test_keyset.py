"""Keyset chunks: how stream() reads root rows on MySQL/MariaDB, which buffer whole results.

``keyset_chunks`` runs on any database, so it is checked on every test run; which querysets
``stream()`` reads that way is checked per backend.
"""

import pytest
from django.db import connection
from fetchplan import fetch_all, stream
from fetchplan.observe import record_queries
from fetchplan.plan.keyset import keyset_chunks, keyset_order

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Novel

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
                descending=descending,
                pk_of=lambda row: row[0],
            )
        )
    pks = [row[0] for chunk in chunks for row in chunk]
    assert pks == sorted(Novel.objects.values_list("pk", flat=True), reverse=descending)
    assert all(len(chunk) == chunk_size for chunk in chunks[:-1])
    # One query per chunk, and one more that finds nothing when the last chunk is full.
    assert recorded.count == len(chunks) + (20 % chunk_size == 0)


def test_only_a_primary_key_order_on_mysql_is_read_by_keyset() -> None:
    expected = (lambda descending: descending) if MYSQL else (lambda descending: None)
    assert keyset_order(Novel.objects.order_by("pk")) == expected(False)
    assert keyset_order(Novel.objects.order_by("-id")) == expected(True)
    assert keyset_order(Novel.objects.order_by()) == expected(False)
    assert keyset_order(Novel.objects.all()) is None  # Meta.ordering: title, id
    assert keyset_order(Novel.objects.order_by("title")) is None
    assert keyset_order(Novel.objects.order_by("pk")[:10]) is None


@pytest.mark.parametrize("order", ["pk", "-pk", "title"])
def test_stream_yields_what_fetch_all_does(order: str) -> None:
    make_library(writers=4, novels_per_writer=3)
    queryset = Novel.objects.order_by(order)
    for plan in (plans.NOVEL, plans.NOVEL.with_strategy("instances")):
        assert list(stream(plan, queryset, chunk_size=5)) == fetch_all(plan, queryset)
