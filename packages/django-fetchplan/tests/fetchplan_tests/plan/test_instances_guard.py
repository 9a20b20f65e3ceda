"""The instances strategy never queries lazily, on Django 5.2 (no fetch modes) as on 6.1.

DTOs are built from model instances inside a no-query zone: reading a field the caller's
queryset deferred, or a DTO validator that queries, raises ``LazyLoadRefused`` (a
``PlanError``) naming the plan and the field, and no statement reaches the database.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from fetchplan import Plan, PlanError, Strategy, fetch_all, stream
from fetchplan.dto import DTO
from fetchplan.plan.guard import LAZY_LOAD, OUTSIDE_FIELDS, LazyLoadRefused
from pydantic import field_validator

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import WriterRef
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Writer

pytestmark = pytest.mark.django_db

WRITER_REF = plans.WRITER_REF.with_strategy(Strategy.INSTANCES)


class CheckedWriter(DTO):
    """A DTO whose validator queries: building it from a fetch must be refused."""

    id: int
    name: str

    @field_validator("name")
    @classmethod
    def name_is_known(cls, name: str) -> str:
        Writer.objects.filter(name=name).exists()
        return name


CHECKED_WRITER = Plan(Writer, CheckedWriter, strategy=Strategy.INSTANCES, name="checked writer")


@contextmanager
def reaching_the_database() -> Iterator[list[str]]:
    """Collect the SQL of every statement that reaches the database (the innermost wrapper)."""
    executed: list[str] = []

    def count(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        executed.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        yield executed


def message_head(plan: Plan[Any, Any], *, dto: str, field: str, model: str) -> str:
    """Return the error message up to its detail, which differs between Django versions."""
    return LAZY_LOAD.format(plan=plan.label, dto=dto, field=field, model=model, detail="@").split(
        "@"
    )[0]


def test_a_deferred_field_is_refused_naming_the_plan_and_field() -> None:
    make_library(writers=3)
    with reaching_the_database() as executed, pytest.raises(LazyLoadRefused) as raised:
        fetch_all(WRITER_REF, Writer.objects.only("id"))
    assert str(raised.value).startswith(
        message_head(WRITER_REF, dto="WriterRef", field=".name", model="Writer")
    )
    assert isinstance(raised.value, PlanError)
    assert len(executed) == 1  # the root query; the lazy load of `name` never ran


def test_streaming_refuses_too() -> None:
    make_library(writers=3)
    with reaching_the_database() as executed, pytest.raises(LazyLoadRefused, match=r"\.name"):
        list(stream(WRITER_REF, Writer.objects.only("id"), chunk_size=2))
    assert all("testapp_writer" in sql for sql in executed)
    assert len(executed) == 1


def test_a_validator_that_queries_is_refused() -> None:
    make_library(writers=2)
    with reaching_the_database() as executed, pytest.raises(LazyLoadRefused) as raised:
        fetch_all(CHECKED_WRITER, Writer.objects.all())
    assert str(raised.value).startswith(
        message_head(
            CHECKED_WRITER, dto="CheckedWriter", field=f" {OUTSIDE_FIELDS}", model="Writer"
        )
    )
    assert len(executed) == 1


def test_queries_run_again_after_a_refusal() -> None:
    make_library(writers=2)
    with pytest.raises(LazyLoadRefused):
        fetch_all(WRITER_REF, Writer.objects.only("id"))
    assert Writer.objects.count() == 2
    assert [dto.name for dto in fetch_all(WRITER_REF, Writer.objects.order_by("pk"))] == list(
        Writer.objects.order_by("pk").values_list("name", flat=True)
    )


def test_the_values_strategy_reads_columns_whatever_the_queryset_defers() -> None:
    make_library(writers=2)
    with reaching_the_database() as executed:
        writers = fetch_all(plans.WRITER_REF, Writer.objects.only("id").order_by("pk"))
    assert len(executed) == 1
    assert [writer.name for writer in writers] == list(
        Writer.objects.order_by("pk").values_list("name", flat=True)
    )
    assert all(isinstance(writer, WriterRef) for writer in writers)
