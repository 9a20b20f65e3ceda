"""explain() compiles for the queryset's database, the one the plan will run on.

The "other" alias (tests/settings.py) is SQLite with names quoted in square brackets, so SQL
compiled for it and SQL compiled for "default" differ on every test run.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from fetchplan import explain, fetch_all

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.models import Chapter, Label, Novel, Writer

pytestmark = pytest.mark.django_db(databases=["default", "other"])


def test_explain_uses_the_querysets_database() -> None:
    on_other = explain(plans.NOVEL, Novel.objects.using("other").filter(title__icontains="x"))
    on_default = explain(plans.NOVEL, Novel.objects.filter(title__icontains="x"))
    assert len(on_other.statements) == len(on_default.statements) == plans.NOVEL.budget()
    assert all("[testapp_" in s.sql for s in on_other.statements)
    assert not any("[" in s.sql for s in on_default.statements)
    with_using = explain(plans.NOVEL, Novel.objects.all(), using="other")
    assert all("[testapp_" in s.sql for s in with_using.statements)


def test_the_explained_statements_are_those_that_run_there() -> None:
    writer = Writer.objects.using("other").create(name="Ann")
    novel = Novel.objects.using("other").create(
        title="Alpha", price=Decimal("1.00"), published=dt.date(2000, 1, 1), writer=writer
    )
    novel.labels.add(Label.objects.using("other").create(name="x"))
    Chapter.objects.using("other").create(
        novel=novel, number=1, words=10, written=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    queryset = Novel.objects.using("other").filter(title__startswith="A")
    explained = explain(plans.NOVEL, queryset)
    with CaptureQueriesContext(connections["other"]) as ran:
        (fetched,) = fetch_all(plans.NOVEL, queryset)
    assert fetched.labels == ("x",)
    assert len(ran) == len(explained.statements) == 3
    for statement, query in zip(explained.statements, ran, strict=True):
        assert statement.sql.split(" WHERE ")[0] == query["sql"].split(" WHERE ")[0]


def test_a_compiled_statement_never_runs_on_another_database() -> None:
    """The same plan and queryset shape on another alias compiles its own statement.

    Catches: compiled statements keyed without the database alias, so the statement compiled
    for "default" (its quoting, its backend's SQL) runs on "other" (square brackets there).
    """
    Writer.objects.create(name="on default")
    Writer.objects.using("other").create(name="on other")
    for alias in ("default", "other", "default", "other"):
        with CaptureQueriesContext(connections[alias]) as ran:
            (writer,) = fetch_all(plans.WRITER_REF, Writer.objects.using(alias).order_by("pk")[:5])
        assert writer.name == f"on {alias}"
        assert ("[testapp_writer]" in ran[0]["sql"]) == (alias == "other"), ran[0]["sql"]
