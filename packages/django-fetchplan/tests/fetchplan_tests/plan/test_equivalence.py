"""Property: the values and instances strategies give equal DTOs for the same plan and data."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from fetchplan import Strategy, fetch_all
from fetchplan.plan.registry import all_plans
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fetchplan_tests.testapp import plans  # noqa: F401  (registers the test plans)
from fetchplan_tests.testapp.models import (
    Chapter,
    Club,
    Country,
    Label,
    Membership,
    Novel,
    Profile,
    Writer,
)

pytestmark = pytest.mark.django_db

TEST_PLANS = [
    plan for plan in all_plans() if plan.model.__module__ == "fetchplan_tests.testapp.models"
]
WRITTEN = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)

# PostgreSQL text cannot hold NUL or lone surrogates; the rest of unicode is fair game.
text = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=12
)


@dataclass(frozen=True)
class NovelSpec:
    title: str
    cents: int
    days: int
    labels: frozenset[int]
    chapters: list[int]


@dataclass(frozen=True)
class WriterSpec:
    name: str
    born: int | None
    country: int | None
    mentor: int | None
    profile: bool
    clubs: frozenset[int]
    novels: list[NovelSpec]


novel_st = st.builds(
    NovelSpec,
    title=text,
    cents=st.integers(0, 10_000),
    days=st.integers(0, 3),  # few distinct dates: ties exercise the pk tiebreak
    labels=st.frozensets(st.integers(0, 3), max_size=4),
    chapters=st.lists(st.integers(1, 2500), max_size=4),
)
writer_st = st.builds(
    WriterSpec,
    name=text,
    born=st.none() | st.integers(1800, 2020),
    country=st.none() | st.integers(0, 1),
    mentor=st.none() | st.integers(0, 5),
    profile=st.booleans(),
    clubs=st.frozensets(st.integers(0, 1), max_size=2),
    novels=st.lists(novel_st, max_size=4),
)


def build(writers: list[WriterSpec]) -> None:
    """Insert the generated world (inside the caller's transaction)."""
    countries = [Country.objects.create(name=f"C{i}") for i in range(2)]
    labels = [Label.objects.create(name=f"L{i}") for i in range(4)]
    clubs = [Club.objects.create(name=f"Club{i}") for i in range(2)]
    created: list[Writer] = []
    for spec in writers:
        writer = Writer.objects.create(
            name=spec.name,
            born=spec.born,
            country=None if spec.country is None else countries[spec.country],
        )
        created.append(writer)
        if spec.profile:
            Profile.objects.create(writer=writer, bio=f"bio {writer.pk}")
        for club in spec.clubs:
            Membership.objects.create(club=clubs[club], writer=writer, role="m")
        for number, novel_spec in enumerate(spec.novels):
            novel = Novel.objects.create(
                title=novel_spec.title,
                price=Decimal(novel_spec.cents).scaleb(-2),
                published=dt.date(2000, 1, 1) + dt.timedelta(days=novel_spec.days),
                in_print=number % 2 == 0,
                writer=writer,
            )
            novel.labels.set([labels[i] for i in novel_spec.labels])
            Chapter.objects.bulk_create(
                Chapter(novel=novel, number=n, words=words, written=WRITTEN)
                for n, words in enumerate(novel_spec.chapters)
            )
    for writer, spec in zip(created, writers, strict=True):
        if spec.mentor is not None and spec.mentor < len(created):
            writer.mentor = created[spec.mentor]
            writer.save(update_fields=["mentor"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(writer_st, max_size=5))
def test_both_strategies_give_equal_dtos(writers: list[WriterSpec]) -> None:
    with transaction.atomic():
        build(writers)
        for plan in TEST_PLANS:
            queryset = plan.model._default_manager.order_by("pk")
            by_values = fetch_all(plan.with_strategy(Strategy.VALUES), queryset)
            by_instances = fetch_all(plan.with_strategy(Strategy.INSTANCES), queryset)
            assert by_values == by_instances, plan.label
        transaction.set_rollback(True)
