"""The report groups by shape, counts duplicates and names N+1 suspects with their lines."""

import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from fetchplan.observe.callsite import display_path
from fetchplan.observe.recorder import record_queries

from fetchplan_tests.compat import lazy, needs_fetch_modes, qn
from fetchplan_tests.observe.factories import make_novels
from fetchplan_tests.testapp.models import Novel, Writer

pytestmark = pytest.mark.django_db


def test_classic_n_plus_one_on_fetch_one_is_flagged_at_the_loop_line() -> None:
    make_novels(5)
    with record_queries() as recorded:
        novels = lazy(Novel.objects.all())
        names = []
        line = 0
        for novel in novels:
            line = sys._getframe().f_lineno + 1
            names.append(novel.writer.name)
    report = recorded.report()
    assert len(names) == 5
    assert report.count == 6
    (suspect,) = report.n_plus_one
    assert suspect.count == 5
    assert (suspect.call_site.filename, suspect.call_site.lineno) == (__file__, line)
    assert qn("testapp_writer") in suspect.shape
    assert f"5x at {display_path(__file__)}:{line}" in report.table()


def test_one_batched_prefetch_is_not_flagged() -> None:
    make_novels(5, chapters_each=2)
    with record_queries() as recorded:
        novels = list(Novel.objects.select_related("writer").prefetch_related("chapters"))
        numbers = [chapter.number for novel in novels for chapter in novel.chapters.all()]
    report = recorded.report()
    assert len(numbers) == 10
    assert report.count == 2
    assert report.n_plus_one == ()
    assert "0 N+1 suspects" in report.summary()


@needs_fetch_modes
def test_fetch_peers_loads_writers_in_one_batch_and_is_not_flagged() -> None:
    from django.db.models import FETCH_PEERS

    make_novels(5)
    with record_queries() as recorded:
        for novel in Novel.objects.all().fetch_mode(FETCH_PEERS):
            assert novel.writer.name
    assert recorded.count == 2
    assert recorded.report().n_plus_one == ()


def test_threshold_is_configurable() -> None:
    make_novels(2)
    with record_queries(n_plus_one_threshold=2) as two:
        for novel in lazy(Novel.objects.all()):
            assert novel.writer.name
    assert len(two.report().n_plus_one) == 1
    with override_settings(FETCHPLAN_N_PLUS_ONE_THRESHOLD=3), record_queries() as three:
        for novel in lazy(Novel.objects.all()):
            assert novel.writer.name
    assert three.report().n_plus_one == ()


def test_bad_threshold_setting_is_refused() -> None:
    with (
        override_settings(FETCHPLAN_N_PLUS_ONE_THRESHOLD=1),
        record_queries() as recorded,
        pytest.raises(ImproperlyConfigured, match="FETCHPLAN_N_PLUS_ONE_THRESHOLD"),
    ):
        recorded.report()


def test_same_shape_from_different_lines_is_not_n_plus_one() -> None:
    with record_queries() as recorded:
        Writer.objects.filter(pk=1).exists()
        Writer.objects.filter(pk=2).exists()
        Writer.objects.filter(pk=3).exists()
    report = recorded.report()
    assert len(report.shapes) == 1
    assert report.shapes[0].count == 3
    assert report.n_plus_one == ()
    assert report.duplicates == ()


def test_duplicates_are_same_sql_and_params() -> None:
    with record_queries() as recorded:
        for _ in range(3):
            Writer.objects.filter(pk=7).exists()
        Writer.objects.filter(pk=8).exists()
    report = recorded.report()
    (duplicate,) = report.duplicates
    assert duplicate.count == 3
    assert 7 in duplicate.params
    assert report.duplicate_count == 2
    assert "Duplicates (same SQL and parameters):\n  3x params=" in report.table()


def test_table_shows_summary_shapes_and_call_sites() -> None:
    make_novels(3)
    line = 0
    with record_queries() as recorded:
        for novel in lazy(Novel.objects.all()):
            line = sys._getframe().f_lineno + 1
            assert novel.writer.name
    table = str(recorded.report())
    assert table.startswith("4 queries in ")
    assert "2 shapes, 0 duplicates, 1 N+1 suspect" in table.splitlines()[0]
    writer = qn("testapp_writer")
    assert f"SELECT ... FROM {writer} WHERE {writer}.{qn('id')} = ?" in table
    assert f"3x {display_path(__file__)}:{line} in " in table
    assert "N+1 suspects" in table
    assert "Duplicates" not in table


def test_empty_report_is_one_line() -> None:
    with record_queries() as recorded:
        pass
    empty = "0 queries in 0.00 ms: 0 shapes, 0 duplicates, 0 N+1 suspects"
    assert recorded.report().table() == empty
