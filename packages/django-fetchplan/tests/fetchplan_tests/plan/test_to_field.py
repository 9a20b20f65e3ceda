"""A to-many level whose foreign key targets a unique field, not the parent's primary key.

``Alias.label`` is ``ForeignKey(Label, to_field="name")``: the column holds the label's
name. The engine selects a level's children by their parents' primary keys (an id list, a
subquery of the caller's queryset, one id for a limited page), so it must filter on
``label__pk``, not on ``label`` (which compares the stored names with the ids). Before it did,
every form but the whole table returned no aliases at all, silently.

Each test compares the engine's DTOs with what the ORM reads one object at a time, on the
compiled path (the second run of a shape) and the normal one, for both strategies.
Catches: filtering the children on the foreign key's column with parent primary keys (an id
list, a subquery, one parent id, each a case below).
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db.models import QuerySet
from fetchplan import DTO, Many, Plan, fetch_all, fetch_one, stream
from fetchplan.plan import compiled_sql, querysets

from fetchplan_tests.testapp.models import Alias, Label

pytestmark = pytest.mark.django_db


class LabelAliases(DTO):
    """A label and its aliases (the to_field level), by text."""

    id: int
    name: str
    aliases: tuple[str, ...]


class AliasLine(DTO):
    """One alias, as a DTO level (not a scalar)."""

    id: int
    text: str


class LabelLatest(DTO):
    """A label and its alias with the greatest text (a limited level)."""

    name: str
    aliases: tuple[AliasLine, ...]


def _plans() -> list[tuple[Plan[Any, Any], Callable[[Label], Any]]]:
    """Return each plan with the DTO the ORM reads for one label (made per call: never
    registered)."""

    def aliases(label: Label) -> LabelAliases:
        texts = label.aliases.order_by("text", "pk").values_list("text", flat=True)
        return LabelAliases(id=label.pk, name=label.name, aliases=tuple(texts))

    def latest(label: Label) -> LabelLatest:
        rows = label.aliases.order_by("-text", "pk")[:1]
        return LabelLatest(
            name=label.name, aliases=tuple(AliasLine(id=a.pk, text=a.text) for a in rows)
        )

    scalar = Plan(
        Label, LabelAliases, relations={"aliases": Many(scalar="text", order_by=("text",))}
    )
    limited = Plan(
        Label,
        LabelLatest,
        relations={"aliases": Many(Plan(Alias, AliasLine), order_by=("-text",), limit=1)},
    )
    return [
        (scalar, aliases),
        (limited, latest),
        (scalar.with_strategy("instances"), aliases),
        (limited.with_strategy("instances"), latest),
    ]


@pytest.fixture
def labels() -> list[Label]:
    """Five labels with 0, 1, 2, 3 and 4 aliases (texts out of id order)."""
    made = Label.objects.bulk_create([Label(name=f"label-{i}") for i in range(5)])
    Alias.objects.bulk_create(
        [
            Alias(label=label, text=f"alias {9 - j} of {label.name}")
            for i, label in enumerate(made)
            for j in range(i)
        ]
    )
    return made


def _both_paths() -> Iterator[str]:
    """Run the block's body on the normal path, then twice compiled (the second reuses it)."""
    compiled_sql.clear()
    with compiled_sql.disabled():
        yield "normal"
    yield "compiled, first run"
    yield "compiled, reused"


SELECTIONS: dict[str, Callable[[], QuerySet[Label]]] = {
    "whole table": lambda: Label.objects.order_by("name"),
    "filtered (ids or subquery)": lambda: Label.objects.filter(name__gte="label-1").order_by(
        "name"
    ),
    "sliced (ids)": lambda: Label.objects.order_by("name")[1:4],
}


@pytest.mark.parametrize("few_parents", [querysets.FEW_PARENTS, 0], ids=["ids", "subquery"])
@pytest.mark.parametrize("selection", SELECTIONS)
def test_lists_load_every_child(
    labels: list[Label], selection: str, few_parents: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``fetch_all`` and ``stream`` (chunks of 2) give what the ORM reads, label by label."""
    monkeypatch.setattr(querysets, "FEW_PARENTS", few_parents)
    assert Alias.objects.count() == 10
    for plan, expected_of in _plans():
        expected = [expected_of(label) for label in SELECTIONS[selection]()]
        assert sum(len(dto.aliases) for dto in expected) > 0
        for path in _both_paths():
            assert fetch_all(plan, SELECTIONS[selection]()) == expected, (plan.label, path)
            if plan.strategy == "values":
                streamed = list(stream(plan, SELECTIONS[selection](), chunk_size=2))
                assert streamed == expected, (plan.label, path)


def test_one_label_loads_its_children(labels: list[Label]) -> None:
    """``fetch_one`` (one parent id; a plain LIMIT for the limited level)."""
    for plan, expected_of in _plans():
        for label in labels:
            for path in _both_paths():
                got = fetch_one(plan, Label.objects.all(), pk=label.pk)
                assert got == expected_of(label), (plan.label, label.name, path)
