"""The stored book count of a tag: exact after every writer of book-tag links, because triggers
on the link table keep it (bookstore/migrations/0006_tag_book_count.py), and what the tag list
reads instead of counting the links per request."""

import threading
from typing import Any

import pytest
from django.db import connection, transaction
from fetchplan.observe import record_queries
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookstore.models import Book, Tag
from repos.tags import get_tag, list_tags
from tests.bookstore.data import seed
from tests.repos.tag_counts import live, stored
from tests.writes.concurrency import run_workers
from tests.writes.factories import make_book

Link = Book.tags.through
LINKS = Link._meta.db_table


def assert_exact() -> None:
    assert stored() == live()


def world(books: int = 3, tags: int = 4) -> tuple[list[Book], list[Tag]]:
    made = [Tag.objects.create(name=f"tag-{n}") for n in range(tags)]
    return [make_book(stock=None, title=f"Book {n}") for n in range(books)], made


@pytest.mark.django_db
def test_add_and_remove_from_either_side() -> None:
    (b1, b2, b3), (t1, t2, t3, _t4) = world()
    b1.tags.add(t1, t2)
    t1.books.add(b2, b3)
    assert stored()[t1.pk] == 3
    assert_exact()
    b1.tags.remove(t1)
    t2.books.remove(b1)
    t3.books.add(b1)
    assert_exact()
    assert stored()[t1.pk] == 2


@pytest.mark.django_db
def test_set_and_clear_from_either_side() -> None:
    (b1, b2, _b3), (t1, t2, t3, t4) = world()
    b1.tags.set([t1, t2, t3])
    b1.tags.set([t3, t4])
    t1.books.set([b1, b2])
    assert_exact()
    b1.tags.clear()
    t1.books.clear()
    assert_exact()
    assert stored() == {t.pk: 0 for t in (t1, t2, t3, t4)}


@pytest.mark.django_db
def test_deleting_a_book_or_a_tag() -> None:
    """The collector deletes the link rows itself: their triggers count them down."""
    (b1, b2, b3), (t1, t2, _t3, _t4) = world()
    for book in (b1, b2, b3):
        book.tags.add(t1, t2)
    b1.delete()
    assert stored()[t1.pk] == 2
    Book.objects.filter(pk=b2.pk).delete()  # the queryset's bulk delete
    t2.delete()
    assert_exact()
    assert stored()[t1.pk] == 1


@pytest.mark.django_db
def test_bulk_create_of_links_the_seeder_way() -> None:
    (b1, b2, b3), (t1, t2, _t3, _t4) = world()
    Link.objects.bulk_create([Link(book_id=b.pk, tag_id=t1.pk) for b in (b1, b2, b3)])
    # An existing link ignored by the database (the race add() guards against) counts once.
    Link.objects.bulk_create(
        [Link(book_id=b1.pk, tag_id=t1.pk), Link(book_id=b1.pk, tag_id=t2.pk)],
        ignore_conflicts=True,
    )
    assert stored()[t1.pk] == 3
    assert stored()[t2.pk] == 1
    assert_exact()


@pytest.mark.django_db
def test_the_seeder_leaves_exact_counts() -> None:
    seed(60)
    assert sum(stored().values()) == Link.objects.count() > 60
    assert_exact()


@pytest.mark.django_db
def test_raw_sql_inserts_and_deletes() -> None:
    (b1, b2, _b3), (t1, _t2, _t3, _t4) = world()
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bookstore_book_tags (book_id, tag_id) VALUES (%s, %s)",
            [(b1.pk, t1.pk), (b2.pk, t1.pk)],
        )
        assert stored()[t1.pk] == 2
        cursor.execute("DELETE FROM bookstore_book_tags WHERE book_id = %s", [b1.pk])
    assert stored()[t1.pk] == 1
    assert_exact()


@pytest.mark.django_db
def test_an_update_moving_links_to_another_tag() -> None:
    (b1, b2, b3), (t1, t2, t3, _t4) = world()
    for book in (b1, b2, b3):
        book.tags.add(t1)
    b3.tags.add(t3)
    Link.objects.filter(tag_id=t1.pk, book_id__in=[b1.pk, b2.pk]).update(tag_id=t2.pk)
    assert (stored()[t1.pk], stored()[t2.pk]) == (1, 2)
    # An update that keeps the tag (here: moves the link to another book) changes no count.
    Link.objects.filter(tag_id=t3.pk).update(book_id=b1.pk)
    assert stored()[t3.pk] == 1
    assert_exact()


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite has no TRUNCATE; MySQL/MariaDB's fires no trigger",
)
def test_truncating_the_links_zeroes_every_count() -> None:
    (b1, b2, _b3), (t1, t2, _t3, _t4) = world()
    b1.tags.add(t1, t2)
    b2.tags.add(t1)
    with connection.cursor() as cursor:
        # The links' deferred foreign key checks run first: TRUNCATE refuses pending ones.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE bookstore_book_tags")
    assert set(stored().values()) == {0}
    assert_exact()


@pytest.mark.django_db
def test_a_rolled_back_write_takes_its_count_with_it() -> None:
    (b1, b2, _b3), (t1, t2, _t3, _t4) = world()
    b1.tags.add(t1)
    before = stored()
    inside: list[int] = []

    def write_then_fail() -> None:
        with transaction.atomic():
            b2.tags.add(t1, t2)
            b1.tags.clear()
            inside.append(stored()[t1.pk])
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert inside == [1]  # b2's link in, b1's out: seen inside the transaction
    assert stored() == before
    assert_exact()


@pytest.mark.django_db
def test_the_tag_list_reads_the_stored_count_not_the_links() -> None:
    (b1, _b2, _b3), (t1, _t2, _t3, _t4) = world()
    b1.tags.add(t1)
    with record_queries() as recorder:
        tags = list_tags()
    assert len(recorder.sql) == 1
    assert not any(LINKS in sql for sql in recorder.sql), recorder.sql
    assert {t.id: t.book_count for t in tags} == live()
    Tag.objects.filter(pk=t1.pk).update(book_count=7)  # what the column says is what is shown
    assert get_tag(t1.name).book_count == 7


def apply(manager: Any, verb: str, items: list[Any]) -> None:
    """Call ``manager.<verb>`` (add, remove, set, clear) with ``items`` as that verb takes them."""
    if verb == "set":
        manager.set(items)
    elif verb == "clear":
        manager.clear()
    else:
        getattr(manager, verb)(*items)


OPS = st.sampled_from(
    [
        *("add", "remove", "set", "clear"),
        *("tag_add", "tag_remove", "tag_set", "tag_clear"),
        *("delete_book", "delete_tag"),
    ]
)
STEP = st.tuples(OPS, st.integers(0, 3), st.lists(st.integers(0, 4), max_size=4))


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_random_writes_keep_every_count_exact(steps: list[tuple[str, int, list[int]]]) -> None:
    """Any sequence of link writes from either side, and deletes, in a transaction that is
    then rolled back (so each example starts from the same rows, and the rollback is checked)."""
    before = stored()
    with transaction.atomic():
        books, tags = world(books=4, tags=5)
        for op, one, many in steps:
            book, tag = books[one], tags[one]
            some_tags = [tags[i] for i in many]
            some_books = [books[i % len(books)] for i in many]
            if op == "delete_book":
                Book.objects.filter(pk=book.pk).delete()
            elif op == "delete_tag":
                Tag.objects.filter(pk=tag.pk).delete()
            elif op.startswith("tag_"):
                if Tag.objects.filter(pk=tag.pk).exists():
                    alive = [b for b in some_books if Book.objects.filter(pk=b.pk).exists()]
                    apply(tag.books, op.removeprefix("tag_"), alive)
            elif Book.objects.filter(pk=book.pk).exists():
                alive_tags = [t for t in some_tags if Tag.objects.filter(pk=t.pk).exists()]
                apply(book.tags, op, alive_tags)
            assert_exact()
        transaction.set_rollback(True)
    assert stored() == before


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_links_to_one_tag_lose_no_increment() -> None:
    """6 threads each tag 8 books of their own with one tag at once: the tag counts all 48
    (book_count = book_count + 1 updates the row in place; no read-modify-write)."""
    tag = Tag.objects.create(name="hot")
    books = [make_book(stock=None, title=f"B{n}") for n in range(48)]
    ids = iter(range(6))
    lock = threading.Lock()

    def link(_tally: object) -> None:
        with lock:
            worker = next(ids)
        for book in books[worker * 8 : worker * 8 + 8]:
            with transaction.atomic():
                Link.objects.create(book_id=book.pk, tag_id=tag.pk)

    tally = run_workers(workers=6, target=link)
    assert tally.unexpected == []
    assert Tag.objects.get(pk=tag.pk).book_count == 48
    assert_exact()
