"""Plans over schema variants: a foreign key to a unique field, UUID and text primary keys, a
default order with an expression, multi-table inheritance and a proxy model.

Each case compares the engine's DTOs with what the ORM reads one object at a time, for each
plan, on both strategies, on the normal path and the compiled one (first run and reuse), for
a whole table, an unsliced filter (children selected by an id list, and by a subquery with
``FEW_PARENTS`` at 0), a slice, ``stream()`` in chunks of 2, and ``fetch_one`` of each object.

What each case catches:

- ``to_field``: ``Alias.label`` is ``ForeignKey(Label, to_field="name")``, so its column holds
  the label's name. Children filtered on that column with parent primary keys (an id list, a
  subquery, one parent id) are none at all; they must be filtered on ``label__pk``.
- ``uuid and text keys``: ``Imprint`` has a UUID primary key, ``Edition`` a text one and a
  ``Meta.ordering`` of ``F("year").desc(nulls_last=True)``: a default order that is an
  expression, which the engine once turned into a string (a ``FieldError``), in the list, the
  per-parent window of a limit, and the plain ``LIMIT`` of one parent.
- ``inheritance``: ``Anthology`` inherits ``Novel`` (its own table joined by ``novel_ptr``):
  fields, a path and to-many relations declared on the parent model; ``ClassicNovel`` is a
  proxy of ``Novel``.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.test.utils import CaptureQueriesContext
from fetchplan import DTO, Many, Plan, explain, fetch_all, fetch_one, stream
from fetchplan.plan import compiled_sql, querysets

from fetchplan_tests.plan.test_explain import shape
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import (
    Alias,
    Anthology,
    Chapter,
    ClassicNovel,
    Edition,
    Imprint,
    Label,
    Writer,
)

pytestmark = pytest.mark.django_db


class LabelAliases(DTO):
    id: int
    name: str
    aliases: tuple[str, ...]


class AliasLine(DTO):
    id: int
    text: str


class LabelLatest(DTO):
    name: str
    aliases: tuple[AliasLine, ...]


class EditionLine(DTO):
    code: str
    year: int | None


class ImprintEditions(DTO):
    id: uuid.UUID
    name: str
    editions: tuple[EditionLine, ...]


class ImprintCodes(DTO):
    id: uuid.UUID
    codes: tuple[str, ...]


class ImprintLatest(DTO):
    name: str
    editions: tuple[EditionLine, ...]


class ChapterLine(DTO):
    number: int
    words: int


class AnthologyCard(DTO):
    id: int
    title: str
    editor: str
    writer_name: str
    chapters: tuple[ChapterLine, ...]
    labels: tuple[str, ...]


class ClassicCard(DTO):
    id: int
    title: str
    chapters: tuple[int, ...]


Expected = Callable[[Any], DTO]


@dataclass
class Case:
    """Plans over one model, each with the DTO the ORM reads for one of its objects."""

    model: type[Model]
    plans: list[tuple[Plan[Any, Any], Expected]]
    make: Callable[[], None]


def _label_aliases(label: Label) -> LabelAliases:
    texts = label.aliases.order_by("text", "pk").values_list("text", flat=True)
    return LabelAliases(id=label.pk, name=label.name, aliases=tuple(texts))


def _label_latest(label: Label) -> LabelLatest:
    rows = label.aliases.order_by("-text", "pk")[:1]
    return LabelLatest(
        name=label.name, aliases=tuple(AliasLine(id=a.pk, text=a.text) for a in rows)
    )


def _make_aliases() -> None:
    """Five labels with 0 to 4 aliases, texts out of id order."""
    made = Label.objects.bulk_create([Label(name=f"label-{i}") for i in range(5)])
    Alias.objects.bulk_create(
        [
            Alias(label=label, text=f"alias {9 - j}")
            for i, label in enumerate(made)
            for j in range(i)
        ]
    )


def _editions(imprint: Imprint) -> tuple[EditionLine, ...]:
    return tuple(EditionLine(code=e.code, year=e.year) for e in imprint.editions.all())


def _make_editions() -> None:
    """Four imprints with 0 to 3 editions; some years are NULL (they sort last)."""
    imprints = [Imprint.objects.create(name=f"imprint {i}") for i in range(4)]
    years = [2001, None, 1999, None, 2010, 1999]
    Edition.objects.bulk_create(
        [
            Edition(code=f"E-{i}-{j}", imprint=imprint, year=years[(i + j) % len(years)])
            for i, imprint in enumerate(imprints)
            for j in range(i)
        ]
    )


def _anthology(novel: Anthology) -> AnthologyCard:
    return AnthologyCard(
        id=novel.pk,
        title=novel.title,
        editor=novel.editor,
        writer_name=novel.writer.name,
        chapters=tuple(ChapterLine(number=c.number, words=c.words) for c in novel.chapters.all()),
        labels=tuple(novel.labels.order_by("name", "pk").values_list("name", flat=True)),
    )


def _classic(novel: ClassicNovel) -> ClassicCard:
    chapters = novel.chapters.order_by("number", "pk").values_list("number", flat=True)
    return ClassicCard(id=novel.pk, title=novel.title, chapters=tuple(chapters))


def _make_anthologies() -> None:
    """Four anthologies (among the library's novels) with 0 to 3 chapters and labels."""
    make_library(writers=3, novels_per_writer=2)
    writer = Writer.objects.order_by("pk")[0]
    labels = list(Label.objects.order_by("pk"))
    for i in range(4):
        anthology = Anthology.objects.create(
            title=f"Anthology {i}",
            price=Decimal("9.50"),
            published=dt.date(2000 + i, 1, 1),
            writer=writer,
            editor=f"Editor {3 - i}",
        )
        anthology.labels.set(labels[:i])
        written = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        Chapter.objects.bulk_create(
            [
                Chapter(novel=anthology, number=j + 1, words=100 * (3 - j), written=written)
                for j in range(i)
            ]
        )


def _cases() -> dict[str, Case]:
    """Return the cases (plans made per call: never registered)."""
    aliases = Plan(
        Label, LabelAliases, relations={"aliases": Many(scalar="text", order_by=("text",))}
    )
    latest_alias = Plan(
        Label,
        LabelLatest,
        relations={"aliases": Many(Plan(Alias, AliasLine), order_by=("-text",), limit=1)},
    )
    editions = Plan(Imprint, ImprintEditions, relations={"editions": Many()})
    codes = Plan(Imprint, ImprintCodes, relations={"codes": Many(scalar="code", source="editions")})
    latest_edition = Plan(Imprint, ImprintLatest, relations={"editions": Many(limit=1)})
    anthology = Plan(
        Anthology,
        AnthologyCard,
        fields={"writer_name": "writer__name"},
        relations={"chapters": Many(), "labels": Many(scalar="name", order_by=("name",))},
    )
    classic = Plan(
        ClassicNovel,
        ClassicCard,
        relations={"chapters": Many(scalar="number", order_by=("number",))},
    )
    return {
        "to_field": Case(
            Label, [(aliases, _label_aliases), (latest_alias, _label_latest)], _make_aliases
        ),
        "uuid and text keys": Case(
            Imprint,
            [
                (editions, lambda i: ImprintEditions(id=i.pk, name=i.name, editions=_editions(i))),
                (
                    codes,
                    lambda i: ImprintCodes(id=i.pk, codes=tuple(e.code for e in i.editions.all())),
                ),
                (latest_edition, lambda i: ImprintLatest(name=i.name, editions=_editions(i)[:1])),
            ],
            _make_editions,
        ),
        "inheritance": Case(Anthology, [(anthology, _anthology)], _make_anthologies),
        "proxy": Case(ClassicNovel, [(classic, _classic)], _make_anthologies),
    }


CASES = list(_cases())


def _with_strategies(case: Case) -> Iterator[tuple[Plan[Any, Any], Expected]]:
    for plan, expected_of in case.plans:
        yield plan, expected_of
        yield plan.with_strategy("instances"), expected_of


def _paths() -> Iterator[str]:
    """Run the loop's body on the normal path, then twice compiled (the second reuses it)."""
    compiled_sql.clear()
    with compiled_sql.disabled():
        yield "normal"
    yield "compiled, first run"
    yield "compiled, reused"


def _selections(model: type[Model]) -> dict[str, Callable[[], QuerySet[Any]]]:
    manager = model._default_manager
    pks = list(manager.order_by("pk").values_list("pk", flat=True))
    return {
        "whole table": lambda: manager.order_by("pk"),
        "filtered": lambda: manager.filter(pk__in=pks[1:]).order_by("pk"),
        "sliced": lambda: manager.order_by("pk")[1:4],
    }


@pytest.mark.parametrize("few_parents", [querysets.FEW_PARENTS, 0], ids=["ids", "subquery"])
@pytest.mark.parametrize("name", CASES)
def test_lists_equal_the_orm(name: str, few_parents: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """``fetch_all`` of each selection, and ``stream()`` in chunks of 2 (values strategy)."""
    monkeypatch.setattr(querysets, "FEW_PARENTS", few_parents)
    case = _cases()[name]
    case.make()
    for selection, queryset in _selections(case.model).items():
        for plan, expected_of in _with_strategies(case):
            expected = [expected_of(obj) for obj in queryset()]
            assert len(expected) >= 3, selection
            for path in _paths():
                where = (plan.label, selection, path)
                assert fetch_all(plan, queryset()) == expected, where
                if plan.strategy == "values":
                    assert list(stream(plan, queryset(), chunk_size=2)) == expected, where


@pytest.mark.parametrize("name", CASES)
def test_each_object_alone_equals_the_orm(name: str) -> None:
    """``fetch_one`` by primary key (one parent id: a plain ``LIMIT`` for a limited level)."""
    case = _cases()[name]
    case.make()
    for plan, expected_of in _with_strategies(case):
        for obj in case.model._default_manager.order_by("pk"):
            for path in _paths():
                got = fetch_one(plan, case.model._default_manager.all(), pk=obj.pk)
                assert got == expected_of(obj), (plan.label, obj.pk, path)


@pytest.mark.parametrize("few", [True, False], ids=["few-parents", "many-parents"])
@pytest.mark.parametrize("name", CASES)
def test_explain_shows_what_runs(name: str, few: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every statement ``explain()`` shows is the one that runs (as ``test_explain`` checks
    for the test app's plans). Catches: an explanation still filtering the to_field level on
    the key's column, or ordering by a model's expression otherwise than the run does."""
    if not few:
        monkeypatch.setattr(querysets, "FEW_PARENTS", 0)
    case = _cases()[name]
    case.make()
    for plan, _ in _with_strategies(case):
        for queryset in _selections(case.model).values():
            explanation = explain(plan, queryset())
            explained = [
                shape((few and statement.few_parents_sql) or statement.sql)
                for statement in explanation.statements
            ]
            with CaptureQueriesContext(connection) as captured:
                fetch_all(plan, queryset())
            executed = [shape(query["sql"]) for query in captured.captured_queries]
            if plan.strategy == "values":
                assert executed == explained, plan.label
            else:  # Prefetch runs the levels in its own order: the same statements
                assert sorted(executed) == sorted(explained), plan.label


def test_every_case_has_children_to_load() -> None:
    """The cases are not vacuous: each plan's expected DTOs hold some children."""
    for name, case in _cases().items():
        with transaction.atomic():
            case.make()
            for plan, expected_of in case.plans:
                dtos = [expected_of(obj) for obj in case.model._default_manager.all()]
                children = [
                    v for d in dtos for v in d.model_dump().values() if isinstance(v, tuple)
                ]
                assert any(children), (name, plan.label)
            transaction.set_rollback(True)
