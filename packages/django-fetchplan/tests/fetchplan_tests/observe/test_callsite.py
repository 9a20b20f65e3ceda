"""Call sites point at the project line that caused a query, not at library internals.

When no project frame is on the stack (the project, or an app, installed into site-packages),
the nearest installed frame is named instead of ``<unknown>``.
"""

import contextlib
import sys
import sysconfig
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asgiref
import django
import fetchplan.observe.hook
import pytest
from django.db.models.query import QuerySet
from fetchplan.observe.callsite import (
    INFRASTRUCTURE,
    UNKNOWN,
    CallSite,
    FileKind,
    file_kind,
    find_call_site,
    is_library_file,
)
from fetchplan.observe.hook import carry_context
from fetchplan.observe.recorder import Recorder, record_queries

from fetchplan_tests.testapp.models import Writer
from fetchplan_tests.testapp.repos import list_recent_novels

SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
# Code that queries from a thread, so that no frame of this test file is on its stack.
QUERYING_MODULE = """\
from django.db import connection, connections


def select_one():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")  # line 7
    finally:
        connections.close_all()
"""
QUERY_LINE = 7


def test_infrastructure_files_are_skipped() -> None:
    for filename in [
        django.__file__ or "",
        sys.modules[QuerySet.__module__].__file__ or "",
        fetchplan.observe.hook.__file__,
        contextlib.__file__,
        pytest.__file__,
        asgiref.__file__ or "",
        "<frozen importlib._bootstrap>",
    ]:
        assert file_kind(filename) is FileKind.INFRASTRUCTURE, filename
        assert is_library_file(filename)


def test_project_files_and_shell_input_are_project_code() -> None:
    for filename in [__file__, sys.modules[list_recent_novels.__module__].__file__ or ""]:
        assert file_kind(filename) is FileKind.PROJECT, filename
        assert not is_library_file(filename)
    assert file_kind("<string>") is FileKind.PROJECT
    assert file_kind("<console>") is FileKind.PROJECT


def test_installed_packages_are_installed_code_unless_known_infrastructure() -> None:
    assert file_kind(str(SITE_PACKAGES / "shopapp" / "repos.py")) is FileKind.INSTALLED
    assert file_kind(str(SITE_PACKAGES / "shopapp.py")) is FileKind.INSTALLED
    assert file_kind("/usr/lib/python3/dist-packages/shopapp/views.py") is FileKind.INSTALLED
    assert "gunicorn" in INFRASTRUCTURE
    assert file_kind(str(SITE_PACKAGES / "gunicorn" / "workers.py")) is FileKind.INFRASTRUCTURE


def test_find_call_site_returns_the_calling_line() -> None:
    line = sys._getframe().f_lineno + 1
    site = find_call_site()
    assert site == CallSite(__file__, line, "test_find_call_site_returns_the_calling_line")


@pytest.mark.django_db
def test_query_call_site_is_this_test_file_and_line() -> None:
    with record_queries() as recorded:
        line = sys._getframe().f_lineno + 1
        Writer.objects.filter(name="x").exists()
    (record,) = recorded.records
    assert record.call_site.filename == __file__
    assert record.call_site.lineno == line
    assert record.call_site.function == "test_query_call_site_is_this_test_file_and_line"
    assert str(record.call_site).endswith(f"test_callsite.py:{line} in {record.call_site.function}")


@pytest.mark.django_db
def test_lazy_queryset_call_site_is_where_it_is_evaluated() -> None:
    writers = Writer.objects.filter(name__startswith="A")  # no query yet
    with record_queries() as recorded:
        line = sys._getframe().f_lineno + 1
        list(writers)
    assert [r.call_site.lineno for r in recorded.records] == [line]


@pytest.mark.django_db
def test_repository_code_outside_the_engine_is_a_call_site() -> None:
    with record_queries() as recorded:
        list_recent_novels(limit=3)
    (record,) = recorded.records
    assert record.call_site.filename == sys.modules[list_recent_novels.__module__].__file__


@pytest.mark.django_db
def test_call_sites_can_be_turned_off() -> None:
    with record_queries(call_sites=False) as recorded:
        Writer.objects.exists()
    assert [r.call_site for r in recorded.records] == [UNKNOWN]


def _load(filename: Path) -> Callable[[], None]:
    """Compile :data:`QUERYING_MODULE` as if it lived at ``filename``; return its function."""
    namespace: dict[str, Any] = {}
    exec(compile(QUERYING_MODULE, str(filename), "exec"), namespace)  # test code, on purpose
    select_one: Callable[[], None] = namespace["select_one"]
    return select_one


def _record_in_thread(target: Callable[[], None]) -> Recorder:
    """Run ``target`` in a thread under a recorder; the thread's stack holds no test frame."""
    with record_queries() as recorded:
        thread = threading.Thread(target=carry_context(target))
        thread.start()
        thread.join()
    return recorded


@pytest.mark.django_db
def test_installed_code_is_named_when_no_project_frame_is_on_the_stack() -> None:
    installed = SITE_PACKAGES / "fetchplan_installed_example" / "service.py"
    recorded = _record_in_thread(_load(installed))
    (record,) = recorded.records
    assert record.call_site == CallSite(str(installed), QUERY_LINE, "select_one")


@pytest.mark.django_db
def test_unknown_only_when_every_frame_is_infrastructure() -> None:
    inside_django = Path(django.__file__ or "").parent / "fetchplan_example.py"
    recorded = _record_in_thread(_load(inside_django))
    assert [record.call_site for record in recorded.records] == [UNKNOWN]
