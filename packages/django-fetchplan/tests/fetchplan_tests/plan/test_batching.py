"""Child rows selected by parent ids, in batches: every batch runs, and none is lost.

A sliced queryset (a page) and every stream chunk select their children by a list of parent
ids, split to fit the backend's parameter limit (``querysets.batch_size``). The limit is far
above what a test's data reaches, so these tests force a batch size of 4 and load more
parents than that, on whichever database the suite runs on (SQLite and PostgreSQL).
"""

from collections import defaultdict
from math import ceil
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fetchplan import fetch_all, require, stream
from fetchplan.plan import values_strategy

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Chapter, Novel, Writer

pytestmark = pytest.mark.django_db

BATCH = 4


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every id-list child query take at most ``BATCH`` parent ids."""
    monkeypatch.setattr(values_strategy, "batch_size", lambda using: BATCH)


def chapters_in_database() -> dict[int, list[int]]:
    """Return each novel's chapter ids, in the plan's order (the model's ordering, then pk)."""
    found: defaultdict[int, list[int]] = defaultdict(list)
    for novel_id, chapter_id in Chapter.objects.order_by("number", "pk").values_list(
        "novel_id", "pk"
    ):
        found[novel_id].append(chapter_id)
    return found


def labels_in_database() -> dict[int, list[str]]:
    found: defaultdict[int, list[str]] = defaultdict(list)
    for novel_id, name in Novel.labels.through.objects.order_by("label__name").values_list(
        "novel_id", "label__name"
    ):
        found[novel_id].append(name)
    return found


def selects_chapters(query: dict[str, str]) -> bool:
    """Return True for a child query of chapters (the root query joins them to count them)."""
    sql = query["sql"]
    return sql.count("FROM") == 1 and f"FROM {connection.ops.quote_name('testapp_chapter')}" in sql


def assert_complete(novels: list[Any]) -> None:
    """Every novel carries exactly its own chapters and labels, as the database has them."""
    chapters, labels = chapters_in_database(), labels_in_database()
    assert novels
    for novel in novels:
        assert [c.id for c in novel.chapters] == chapters.get(novel.id, []), novel.id
        assert sorted(novel.labels) == sorted(labels.get(novel.id, [])), novel.id
        assert len(novel.chapters) == novel.chapter_count


@pytest.mark.usefixtures("small_batches")
def test_a_page_larger_than_the_batch_size_loads_every_batch() -> None:
    """Catches: the last id batch dropped (or any batch), a batch's rows given to the wrong
    parent, and batching skipped (one query for all ids: the query count would be 3)."""
    make_library(writers=11)  # 33 novels
    page = Novel.objects.order_by("pk")[:30]
    with CaptureQueriesContext(connection) as captured:
        novels = fetch_all(plans.NOVEL, page)
    assert [n.id for n in novels] == list(page.values_list("pk", flat=True))
    assert_complete(novels)
    # The root query, then each to-many edge (labels, chapters) once per batch of 4 ids.
    assert len(captured) == 1 + 2 * ceil(30 / BATCH)


@pytest.mark.usefixtures("small_batches")
def test_a_stream_chunk_larger_than_the_batch_size_loads_every_batch() -> None:
    """Catches: the last id batch of a chunk dropped, or a chunk's ids mixed with another's."""
    make_library(writers=11)
    queryset = Novel.objects.order_by("pk")
    with CaptureQueriesContext(connection) as captured:
        novels = list(stream(plans.NOVEL, queryset, chunk_size=10))
    assert [n.id for n in novels] == list(queryset.values_list("pk", flat=True))
    assert_complete(novels)
    # Chunks of 10, 10, 10 and 3 novels: the chapters of each chunk in batches of 4 ids.
    batches = 3 * ceil(10 / BATCH) + ceil(3 / BATCH)
    assert sum(map(selects_chapters, captured.captured_queries)) == batches


def test_nested_levels_batched_match_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Catches: a lost batch two levels down (novels, then their chapters), and a per-parent
    limit applied per batch instead of per parent."""
    make_library(writers=12, novels_per_writer=4)
    page = Writer.objects.order_by("pk")[:10]
    whole = fetch_all(plans.WRITER_CARD, page)
    monkeypatch.setattr(values_strategy, "batch_size", lambda using: 3)
    batched = fetch_all(plans.WRITER_CARD, page)
    assert batched == whole
    assert sum(len(require(w.novels)) for w in whole) == 20  # 2 latest novels of each writer
    assert whole == fetch_all(plans.WRITER_CARD.with_strategy("instances"), page)
