"""The NamedTuple twins load exactly what the bookstore's DTOs and plans load."""

import re
from typing import Any, get_type_hints

import pytest
from django.db.models import Model
from fetchplan import NotLoaded, Plan, fetch_all

from bench.scenarios.common import records
from bench.scenarios.twins import NOT_A_DTO, namedtuple_plan, namedtuple_twin
from bookstore.models import Author, Book
from bookstore.seeding.generator import Seeder
from dtos.authors import AuthorBook, AuthorRef
from dtos.books import BookDetail, ReviewDTO
from dtos.publishers import PublisherRef
from repos.authors import AUTHOR_DETAIL
from repos.books import BOOK_DETAIL


def test_a_twin_has_the_dto_fields_in_order_with_nested_dtos_as_twins() -> None:
    twin = namedtuple_twin(BookDetail)
    hints = get_type_hints(twin)
    assert twin._fields == tuple(BookDetail.model_fields)  # type: ignore[attr-defined]  # a NamedTuple made at run time
    assert hints["title"] is str
    assert hints["author"] is namedtuple_twin(AuthorRef)
    assert hints["publisher"] == namedtuple_twin(PublisherRef) | None
    assert hints["reviews"] == tuple[namedtuple_twin(ReviewDTO), ...]  # type: ignore[misc]  # a class made at run time
    assert get_type_hints(namedtuple_twin(AuthorBook))["tags"] == tuple[str, ...] | NotLoaded


def test_one_twin_per_dto() -> None:
    assert namedtuple_twin(BookDetail) is namedtuple_twin(BookDetail)


def test_only_pydantic_dtos_have_twins() -> None:
    with pytest.raises(TypeError, match=re.escape(NOT_A_DTO.format(dto=dict))):
        namedtuple_twin(dict)


@pytest.mark.django_db
@pytest.mark.parametrize(("plan", "model"), [(BOOK_DETAIL, Book), (AUTHOR_DETAIL, Author)])
def test_a_twin_plan_loads_the_same_data_as_the_bookstore_plan(
    plan: Plan[Any, Any], model: type[Model]
) -> None:
    Seeder(books=30, seed=3).run()
    queryset = model._default_manager.order_by("pk")
    twins = fetch_all(namedtuple_plan(plan), queryset)
    assert len(twins) == model._default_manager.count() > 0
    assert all(type(item) is namedtuple_twin(plan.dto) for item in twins)
    assert records(twins) == records(fetch_all(plan, queryset))
