"""What the generated row builders make: DTOs in declared field order, sharing what they can."""

from typing import Any

import pytest
from fetchplan import DTO, Plan, Strategy, fetch_all
from fetchplan.plan.dto_kinds import is_pydantic
from pydantic import BaseModel

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Writer

pytestmark = pytest.mark.django_db

TEST_PLANS = [plan for plan in vars(plans).values() if isinstance(plan, Plan)]
"""The test app's own plans (other test modules register plans that refuse to run)."""


def assert_declared_order(dto: Any) -> int:
    """Check ``dto`` and every DTO inside it; return how many were checked."""
    if not isinstance(dto, BaseModel):
        return 0
    declared = list(type(dto).model_fields)
    assert list(dto.__dict__) == declared, type(dto).__name__
    dumped = list(dto.model_dump())
    assert dumped == [name for name in declared if name in dumped], type(dto).__name__
    checked = 1
    for value in dto.__dict__.values():
        for item in value if isinstance(value, tuple) else (value,):
            checked += assert_declared_order(item)
    return checked


@pytest.mark.parametrize("strategy", list(Strategy))
def test_dtos_keep_their_declared_field_order(strategy: Strategy) -> None:
    """``model_dump()`` (and so the JSON an API sends) lists fields in the DTO's order.

    Catches: a builder that fills a DTO's ``__dict__`` in the plan's column order (columns,
    then to-one, then to-many relations) instead of the DTO's, as the trusted constructor
    did before the generated builders.
    """
    make_library(writers=6)
    checked = 0
    for plan in TEST_PLANS:
        if not is_pydantic(plan.dto):
            continue
        for dto in fetch_all(plan.with_strategy(strategy), plan.model._default_manager.all()):
            checked += assert_declared_order(dto)
    assert checked > 100


def test_dtos_of_a_class_share_one_fields_set_that_copies_do_not_touch() -> None:
    """Catches: a shared fields set that ``model_copy(update=...)`` would change for all."""
    make_library(writers=3)
    first, second, _ = fetch_all(plans.WRITER_REF, Writer.objects.order_by("pk"))
    assert isinstance(first, DTO)
    assert first.model_fields_set is second.model_fields_set
    assert first.model_fields_set == {"id", "name"}
    renamed = first.model_copy(update={"name": "Renamed"})
    assert renamed.name == "Renamed"
    assert second.model_fields_set == {"id", "name"}
    assert renamed.model_fields_set is not first.model_fields_set


def test_namedtuple_dtos_are_built_by_position() -> None:
    """Catches: positions swapped between two fields of one type (title and writer name)."""
    make_library(writers=4)
    rows = fetch_all(plans.NOVEL_ROW, plans.NOVEL_ROW.model._default_manager.order_by("pk"))
    expected = list(
        plans.NOVEL_ROW.model._default_manager.order_by("pk").values_list(
            "pk", "title", "writer__name", "writer__country__name"
        )
    )
    assert [row[:4] for row in rows] == expected
    assert [row._asdict()["title"] for row in rows] == [title for _, title, _, _ in expected]
