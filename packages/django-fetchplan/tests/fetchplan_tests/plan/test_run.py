"""Running plans: one, first, count, exists, stream, using=, and their errors."""

import pytest
from django.db.models import Count
from fetchplan import (
    MultipleFound,
    NotFound,
    count,
    exists,
    fetch_all,
    fetch_first,
    fetch_one,
    stream,
)
from fetchplan.plan.errors import BAD_CHUNK_SIZE, NOT_FOUND
from pytest_django import DjangoAssertNumQueries

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Novel, Writer

pytestmark = pytest.mark.django_db


def test_fetch_one_returns_the_match(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    make_library(writers=5)
    writer = Writer.objects.order_by("pk").first()
    assert writer is not None
    with django_assert_num_queries(plans.WRITER_CARD.budget()):
        card = fetch_one(plans.WRITER_CARD, Writer.objects.all(), pk=writer.pk)
    assert (card.id, card.name) == (writer.pk, writer.name)


def test_fetch_one_raises_not_found_naming_model_and_lookup() -> None:
    with pytest.raises(NotFound) as raised:
        fetch_one(plans.WRITER_CARD, Writer.objects.all(), pk=404)
    assert str(raised.value) == NOT_FOUND.format(model="Writer", lookup={"pk": 404})
    assert raised.value.model == "Writer"
    assert raised.value.lookup == {"pk": 404}


def test_fetch_one_raises_when_several_match() -> None:
    make_library(writers=3)
    with pytest.raises(MultipleFound):
        fetch_one(plans.WRITER_REF, Writer.objects.all(), name__startswith="Writer")


def test_fetch_first_and_empty() -> None:
    assert fetch_first(plans.NOVEL, Novel.objects.all()) is None
    make_library(writers=2)
    first = fetch_first(plans.NOVEL, Novel.objects.order_by("-title"))
    assert first is not None
    assert first.title == Novel.objects.order_by("-title").values_list("title", flat=True)[0]


def test_count_and_exists_run_one_small_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    make_library(writers=4)
    with django_assert_num_queries(1) as captured:
        assert count(Writer.objects.filter(born__isnull=False)) == 3
    assert "COUNT(" in captured.captured_queries[0]["sql"].upper()
    with django_assert_num_queries(1) as captured:
        assert exists(Novel.objects.filter(title__startswith="Novel"))
    assert "LIMIT 1" in captured.captured_queries[0]["sql"].upper()
    assert not exists(Novel.objects.filter(title="nope"))


def test_stream_gives_the_same_dtos_as_fetch_all() -> None:
    make_library(writers=20, novels_per_writer=2)
    queryset = Novel.objects.order_by("pk")
    assert list(stream(plans.NOVEL, queryset, chunk_size=7)) == fetch_all(plans.NOVEL, queryset)
    instances = plans.NOVEL.with_strategy("instances")
    assert list(stream(instances, queryset, chunk_size=7)) == fetch_all(plans.NOVEL, queryset)


@pytest.mark.parametrize("chunk_size", [0, -5])
def test_stream_rejects_a_bad_chunk_size(chunk_size: int) -> None:
    with pytest.raises(ValueError, match="chunk_size") as raised:
        next(stream(plans.NOVEL, Novel.objects.all(), chunk_size=chunk_size))
    assert str(raised.value) == BAD_CHUNK_SIZE.format(chunk_size=chunk_size)


def test_using_selects_the_database_alias() -> None:
    make_library(writers=2)
    assert len(fetch_all(plans.NOVEL, Novel.objects.all(), using="default")) == 6
    with pytest.raises(Exception, match="nowhere"):
        fetch_all(plans.NOVEL, Novel.objects.all(), using="nowhere")


def test_the_same_related_row_is_one_dto_object() -> None:
    make_library(writers=1, novels_per_writer=50)
    novels = fetch_all(plans.NOVEL, Novel.objects.all())
    writers = {id(novel.writer) for novel in novels}
    assert len(novels) == 50
    assert len(writers) == 1


def test_many_parents_are_loaded_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    make_library(writers=10)
    from fetchplan.plan import values_strategy

    monkeypatch.setattr(values_strategy, "batch_size", lambda using: 4)
    novels = fetch_all(plans.NOVEL, Novel.objects.order_by("pk"))
    monkeypatch.undo()
    assert novels == fetch_all(plans.NOVEL, Novel.objects.order_by("pk"))


def test_annotations_on_the_callers_queryset_do_not_disturb_the_plan() -> None:
    make_library(writers=3)
    queryset = Writer.objects.annotate(n=Count("novels")).filter(n__gte=1).order_by("name")
    cards = fetch_all(plans.WRITER_CARD, queryset)
    assert [c.novel_count for c in cards] == [3, 3, 3]
