"""Column-wise builders: the DTOs of the per-row builders, value by value, type by type.

``fetchplan.plan.column_builders`` builds the DTOs of a query's rows (NamedTuple and trusted
pydantic DTOs) from column iterators consumed in C; the generated per-row builders
(``row_builders``) are what :func:`column_builders.disabled` falls back to. These tests build
each plan both ways on the same data and compare the results deeply: field order
(``__dict__`` and ``model_dump()``), each value's type, pydantic's four slots, and which DTOs
are one object (identity within a fetch or a chunk).
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, NamedTuple

import pytest
from django.db import transaction
from fetchplan import Many, One, Plan, fetch_all, stream
from fetchplan.plan import column_builders, raw_builders
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from fetchplan_tests.plan.test_equivalence import build, writer_st
from fetchplan_tests.testapp import dtos, models, plans
from fetchplan_tests.testapp.factory import make_library

pytestmark = pytest.mark.django_db


class WriterRow(NamedTuple):
    """Every field a plain column: built with one ``itemgetter`` of all positions a row."""

    id: int
    name: str
    born: int | None


class WriterName(NamedTuple):
    """One field: a 1-tuple per row (no multi-position ``itemgetter``)."""

    name: str


class NovelWithWriter(NamedTuple):
    """A NamedTuple holding a nested pydantic DTO (per-row builder inside a column)."""

    id: int
    writer: dtos.WriterRef
    title: str


WRITER_ROW = Plan(models.Writer, WriterRow)
WRITER_NAME = Plan(models.Writer, WriterName)
NOVEL_WITH_WRITER = Plan(models.Novel, NovelWithWriter, relations={"writer": One(plans.WRITER_REF)})
CLUB_ROWS = Plan(models.Club, dtos.ClubDTO, relations={"members": Many(plans.WRITER_REF)})

PLANS = [
    *(plan for plan in vars(plans).values() if isinstance(plan, Plan)),
    WRITER_ROW,
    WRITER_NAME,
    NOVEL_WITH_WRITER,
]


def _dtos(value: Any) -> Iterator[Any]:
    """Yield every DTO in ``value`` (depth first, in field order), itself included."""
    if isinstance(value, BaseModel) or hasattr(type(value), "_fields"):
        yield value
    items = value.__dict__.values() if isinstance(value, BaseModel) else value
    if isinstance(value, BaseModel | tuple):
        for item in items:
            yield from _dtos(item)


def assert_same(got: Any, expected: Any, where: str = "") -> None:
    """Assert ``got`` equals ``expected`` in types, field order and values, recursively.

    ``==`` is not enough: pydantic compares ``__dict__``s as dicts (order ignored), and a
    NamedTuple equals any tuple of the same items.
    """
    assert type(got) is type(expected), where
    if isinstance(expected, BaseModel):
        assert list(got.__dict__) == list(expected.__dict__) == list(type(got).model_fields)
        assert list(got.model_dump()) == list(expected.model_dump()), where
        assert got.__pydantic_fields_set__ is expected.__pydantic_fields_set__, where
        for slot in ("__pydantic_extra__", "__pydantic_private__"):
            assert getattr(got, slot) is None, where
            assert getattr(expected, slot) is None, where
        for name, value in expected.__dict__.items():
            assert_same(got.__dict__[name], value, f"{where}.{name}")
    elif isinstance(expected, tuple | list):
        assert len(got) == len(expected), where
        for number, (item, wanted) in enumerate(zip(got, expected, strict=True)):
            assert_same(item, wanted, f"{where}[{number}]")
    else:
        assert got == expected, where


def assert_same_sharing(got: list[Any], expected: list[Any]) -> None:
    """Assert the same DTOs are one object in ``got`` as in ``expected`` (identity kept)."""

    def shape(dtos: list[Any]) -> list[int]:
        first: dict[int, int] = {}
        return [first.setdefault(id(dto), len(first)) for dto in _dtos(tuple(dtos))]

    assert shape(got) == shape(expected)


def assert_same_both_ways(
    run: Any, where: str, off: Callable[[], AbstractContextManager[None]] = column_builders.disabled
) -> None:
    """Assert ``run()`` gives the same DTOs, shared alike, with a fast path and inside ``off()``
    (by default the column-wise builders, then the per-row builders)."""
    fast = list(run())
    with off():
        general = list(run())
    assert_same(fast, general, where)
    assert_same_sharing(fast, general)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(writer_st, max_size=5), st.integers(1, 4))
def test_column_builders_give_the_dtos_of_the_per_row_builders(
    writers: list[Any], chunk_size: int
) -> None:
    """Each plan's DTOs, from ``fetch_all`` and from ``stream()`` in chunks, both ways.

    Catches: a row dropped, a column shifted, fields in another order, one ``__dict__``
    shared by several DTOs, a pydantic slot left unset, to-many children of another parent,
    the NotLoaded marker in the wrong field, identity lost (or invented) within a chunk."""
    with transaction.atomic():
        build(writers)
        for plan in PLANS:
            queryset = plan.model._default_manager.order_by("pk")
            assert_same_both_ways(lambda: fetch_all(plan, queryset), plan.label)  # noqa: B023
            assert_same_both_ways(
                lambda: stream(plan, queryset, chunk_size=chunk_size),  # noqa: B023
                plan.label,
            )
        transaction.set_rollback(True)


def test_the_column_builders_run_for_every_plan_they_apply_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Catches: ``applies()`` false everywhere (the comparison above would then compare the
    per-row builders with themselves), and a chunk of ``stream()`` built row by row."""
    calls: list[tuple[str, int]] = []
    real = column_builders.build

    def spy(node: Any, rows: Any, *bound: Any) -> list[Any]:
        calls.append((node.plan.dto.__name__, len(rows)))
        return real(node, rows, *bound)

    monkeypatch.setattr(column_builders, "build", spy)
    make_library(writers=5)
    queryset = models.Writer.objects.order_by("pk")
    with raw_builders.disabled():  # else the root's DTOs come from its fetched rows
        assert len(list(stream(WRITER_ROW, queryset, chunk_size=2))) == 5
        assert calls == [("WriterRow", 2), ("WriterRow", 2), ("WriterRow", 1)]
        calls.clear()
        fetch_all(plans.CLUB, models.Club.objects.all())
    assert {name for name, _ in calls} == {"ClubDTO", "WriterRef"}  # root and child level
    calls.clear()
    with column_builders.disabled():
        fetch_all(plans.CLUB, models.Club.objects.all())
    assert calls == []


def test_pydantic_dtos_each_get_their_own_dict_and_share_the_fields_set() -> None:
    """Catches: one ``__dict__`` object set on every DTO of a chunk (equal values would hide
    it from ``==`` after the fact, not from a later ``model_copy``), and a fields set per DTO."""
    make_library(writers=4)
    refs = fetch_all(plans.WRITER_REF, models.Writer.objects.order_by("pk"))
    assert len({id(ref.__dict__) for ref in refs}) == len(refs) == 4
    assert len({id(ref.__pydantic_fields_set__) for ref in refs}) == 1
    assert [ref.id for ref in refs] == list(
        models.Writer.objects.order_by("pk").values_list("pk", flat=True)
    )


def test_an_empty_result_builds_no_dto() -> None:
    """An empty result (or last chunk) is no DTO and no error, on both paths. Catches: a
    builder that assumes a first row (e.g. reads ``rows[0]`` to choose a layout)."""
    make_library(writers=2)
    for plan in PLANS:
        empty = plan.model._default_manager.filter(pk__lt=0)
        assert fetch_all(plan, empty) == []
        assert list(stream(plan, empty, chunk_size=2)) == []


def test_rows_with_extra_columns_at_the_end_give_the_same_dtos() -> None:
    """Keyset chunks (MySQL/MariaDB) append their key's columns after the plan's, so a row of
    a plan whose fields are columns 0, 1, 2 is not the DTO's values as it is there. Catches:
    the whole row taken as the NamedTuple's values without checking its width (a DTO with a
    fourth item), on any database."""
    make_library(writers=3)
    node = WRITER_ROW.compiled()
    rows = list(models.Writer.objects.order_by("pk").values_list(*node.keys))
    plain = column_builders.build(node, rows, [], [], lambda row: None)
    widened = column_builders.build(node, [(*row, "key") for row in rows], [], [], lambda row: None)
    assert_same(widened, plain)
    assert [len(row) for row in widened] == [3, 3, 3]
