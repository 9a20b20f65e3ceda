"""Records compare every field of the bookstore DTO, in one form whatever produced them."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from bench.harness import RecordsDiffer, Variant, warm_up
from bench.scenarios import listing
from bench.scenarios.common import NO_CANONICAL_FORM, canonical, records
from bookstore.seeding.generator import Seeder


def test_driver_values_and_orm_values_have_one_form() -> None:
    created = datetime(2024, 5, 1, 10, 20, 30, 123456, tzinfo=UTC)
    assert canonical(Decimal("12.50")) == canonical(12.5)  # SQLite's cursor: a float
    assert canonical(Decimal("4.3333333333333333")) == canonical(13 / 3)  # PostgreSQL's AVG
    assert canonical(created) == "2024-05-01 10:20:30.123456"  # SQLite's cursor: this text
    assert canonical(date(2024, 5, 1)) == "2024-05-01"
    assert canonical({"b": [1], "a": None}) == (("a", None), ("b", (1,)))


def test_a_value_without_a_form_is_refused() -> None:
    value = object()
    with pytest.raises(
        TypeError, match=re.escape(NO_CANONICAL_FORM.format(value=value, kind="object"))
    ):
        canonical(value)


@pytest.mark.django_db
def test_a_variant_that_leaves_out_one_field_differs() -> None:
    Seeder(books=10, seed=2).run()
    bound = listing.bound_for(10)

    def without_average(bound: int) -> list[dict[str, Any]]:
        rows = listing.hand_tuned(bound)
        return [
            {key: value for key, value in row.items() if key != "average_rating"} for row in rows
        ]

    floor = next(v for v in listing.variants() if v.key == "floor")
    assert floor.records(floor.run(bound)) == records(listing.hand_tuned(bound))
    with pytest.raises(RecordsDiffer, match="average_rating"):
        warm_up([floor, Variant("short", without_average, records)], bound)
