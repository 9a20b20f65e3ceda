"""The fixtures pin query counts, compare two data sizes, and forbid queries."""

import contextlib

import pytest
from fetchplan.observe.pytest_plugin import (
    NOT_CONSTANT,
    SWALLOWED_FORBIDDEN,
    WRONG_QUERY_COUNT,
    AssertConstantQueries,
    AssertNoQueries,
    AssertNumQueries,
)
from fetchplan.observe.zones import QueriesForbidden

from fetchplan_tests.compat import lazy
from fetchplan_tests.observe.factories import make_novels
from fetchplan_tests.testapp.models import Novel, Writer

pytestmark = pytest.mark.django_db

Failed = pytest.fail.Exception


def writer_names_n_plus_one() -> list[str]:
    return [novel.writer.name for novel in lazy(Novel.objects.all())]


def writer_names_joined() -> list[str]:
    return [novel.writer.name for novel in Novel.objects.select_related("writer")]


def test_exact_count_passes_and_yields_the_recorder(assert_num_queries: AssertNumQueries) -> None:
    with assert_num_queries(2) as recorded:
        Writer.objects.count()
        Writer.objects.exists()
    assert recorded.count == 2


def two_queries() -> None:
    Writer.objects.count()
    Writer.objects.exists()


def test_wrong_count_fails_with_the_table(assert_num_queries: AssertNumQueries) -> None:
    with pytest.raises(Failed) as caught, assert_num_queries(1):
        two_queries()
    message = str(caught.value)
    assert message.startswith(WRONG_QUERY_COUNT.split("{table}")[0].format(expected=1, actual=2))
    assert "test_pytest_plugin.py:" in message


def test_too_few_queries_fail_too(assert_num_queries: AssertNumQueries) -> None:
    """Catches: ``assert_num_queries(n)`` checking an upper bound (``count > n``) instead of
    an exact count; a pinned count must fail when a change silently drops a query too."""
    with pytest.raises(Failed) as caught, assert_num_queries(3):
        two_queries()
    message = str(caught.value)
    assert message.startswith(WRONG_QUERY_COUNT.split("{table}")[0].format(expected=3, actual=2))
    with pytest.raises(Failed), assert_num_queries(1):
        pass  # no query at all


def test_constant_count_passes(assert_constant_queries: AssertConstantQueries) -> None:
    count = assert_constant_queries(
        writer_names_joined, small=lambda: make_novels(2), large=lambda: make_novels(12)
    )
    assert count == 1
    assert Novel.objects.count() == 0  # each size was rolled back


def test_count_growing_with_the_data_fails(assert_constant_queries: AssertConstantQueries) -> None:
    with pytest.raises(Failed) as caught:
        assert_constant_queries(
            writer_names_n_plus_one, small=lambda: make_novels(2), large=lambda: make_novels(12)
        )
    message = str(caught.value)
    head = NOT_CONSTANT.split("\n")[0].format(small=3, large=13)
    assert message.startswith(head)
    assert "N+1 suspects" in message


def test_no_queries_block_raises(assert_no_queries: AssertNoQueries) -> None:
    with pytest.raises(QueriesForbidden), assert_no_queries():
        Writer.objects.count()


def test_no_queries_block_fails_even_when_the_error_is_swallowed(
    assert_no_queries: AssertNoQueries,
) -> None:
    with (
        pytest.raises(Failed) as caught,
        assert_no_queries(),
        contextlib.suppress(QueriesForbidden),
    ):
        Writer.objects.count()
    assert str(caught.value).startswith(SWALLOWED_FORBIDDEN.split("{errors}")[0])
    assert "test_pytest_plugin.py:" in str(caught.value)


def test_no_queries_block_passes_on_pure_code(assert_no_queries: AssertNoQueries) -> None:
    novels = list(Novel.objects.all())
    with assert_no_queries() as zone:
        titles = [novel.title for novel in novels]
    assert titles == []
    assert zone.violations == []
