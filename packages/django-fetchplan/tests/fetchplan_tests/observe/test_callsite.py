"""Call sites point at the project line that caused a query, not at library internals."""

import contextlib
import sys

import django
import fetchplan.observe.hook
import pytest
from django.db.models.query import QuerySet
from fetchplan.observe.callsite import UNKNOWN, CallSite, find_call_site, is_library_file
from fetchplan.observe.recorder import record_queries

from bookstore.models import Author
from repos.books import list_recent_books


def test_library_files_are_skipped_and_project_files_are_not() -> None:
    assert is_library_file(django.__file__)
    assert is_library_file(sys.modules[QuerySet.__module__].__file__ or "")
    assert is_library_file(fetchplan.observe.hook.__file__)
    assert is_library_file(contextlib.__file__)
    assert is_library_file(pytest.__file__)
    assert is_library_file("<frozen importlib._bootstrap>")
    assert not is_library_file(__file__)
    assert not is_library_file(sys.modules[list_recent_books.__module__].__file__ or "")
    assert not is_library_file("<string>")
    assert not is_library_file("<console>")


def test_find_call_site_returns_the_calling_line() -> None:
    line = sys._getframe().f_lineno + 1
    site = find_call_site()
    assert site == CallSite(__file__, line, "test_find_call_site_returns_the_calling_line")


@pytest.mark.django_db
def test_query_call_site_is_this_test_file_and_line() -> None:
    with record_queries() as recorded:
        line = sys._getframe().f_lineno + 1
        Author.objects.filter(name="x").exists()
    (record,) = recorded.records
    assert record.call_site.filename == __file__
    assert record.call_site.lineno == line
    assert record.call_site.function == "test_query_call_site_is_this_test_file_and_line"
    assert str(record.call_site).endswith(f"test_callsite.py:{line} in {record.call_site.function}")


@pytest.mark.django_db
def test_lazy_queryset_call_site_is_where_it_is_evaluated() -> None:
    books = Author.objects.filter(name__startswith="A")  # no query yet
    with record_queries() as recorded:
        line = sys._getframe().f_lineno + 1
        list(books)
    assert [r.call_site.lineno for r in recorded.records] == [line]


@pytest.mark.django_db
def test_repository_code_outside_the_engine_is_a_call_site() -> None:
    with record_queries() as recorded:
        list_recent_books(limit=3)
    (record,) = recorded.records
    assert record.call_site.filename == sys.modules[list_recent_books.__module__].__file__


@pytest.mark.django_db
def test_call_sites_can_be_turned_off() -> None:
    with record_queries(call_sites=False) as recorded:
        Author.objects.exists()
    assert [r.call_site for r in recorded.records] == [UNKNOWN]
