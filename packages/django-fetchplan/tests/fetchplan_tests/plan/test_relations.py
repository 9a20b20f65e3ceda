"""Every relation kind, through both strategies, with exact DTOs and exact query counts."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model, QuerySet
from fetchplan import Plan, Strategy, fetch_all
from fetchplan.dto import NotLoaded
from pydantic import BaseModel
from pytest_django import DjangoAssertNumQueries

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import ClubRef, CountryDTO, NovelDTO, ProfileBio, WriterRef
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

STRATEGIES = [Strategy.VALUES, Strategy.INSTANCES]


@pytest.fixture
def small_world() -> dict[str, int]:
    """Two writers (Bob mentored by Ann), three novels, labels, chapters, a club."""
    france = Country.objects.create(name="France")
    ann = Writer.objects.create(name="Ann", born=1950, country=france)
    bob = Writer.objects.create(name="Bob", mentor=ann)
    Profile.objects.create(writer=ann, bio="Ann's bio")
    poetry, prose = Label.objects.create(name="poetry"), Label.objects.create(name="prose")
    written = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    ids: dict[str, int] = {"ann": ann.pk, "bob": bob.pk, "france": france.pk}
    for i, (title, writer, labels) in enumerate(
        [("Alpha", ann, [poetry, prose]), ("Beta", ann, []), ("Gamma", bob, [prose])]
    ):
        novel = Novel.objects.create(
            title=title,
            price=Decimal("10.00") + i,
            published=dt.date(2000 + i, 1, 1),
            writer=writer,
        )
        novel.labels.set(labels)
        for n in range(i + 1):
            Chapter.objects.create(novel=novel, number=n, words=900 + 100 * n, written=written)
        ids[title] = novel.pk
    club = Club.objects.create(name="Inklings")
    Membership.objects.create(club=club, writer=bob, role="chair")
    Membership.objects.create(club=club, writer=ann, role="member")
    ids["club"] = club.pk
    return ids


def run[M: Model, D: BaseModel | tuple[Any, ...]](
    plan: Plan[M, D],
    queryset: QuerySet[M],
    strategy: Strategy,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> list[D]:
    """Fetch with ``strategy``, asserting the plan's budget is exactly the queries run."""
    variant = plan.with_strategy(strategy)
    with django_assert_num_queries(variant.budget()):
        return fetch_all(variant, queryset)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_fk_m2m_reverse_fk_and_aggregate(
    strategy: Strategy,
    small_world: dict[str, int],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    novels = run(plans.NOVEL, Novel.objects.order_by("title"), strategy, django_assert_num_queries)
    alpha, beta, gamma = novels
    assert isinstance(alpha, NovelDTO)
    assert alpha.title == "Alpha"
    assert alpha.price == Decimal("10.00")
    assert alpha.published == dt.date(2000, 1, 1)
    assert alpha.writer_name == "Ann"
    assert alpha.writer == WriterRef(id=small_world["ann"], name="Ann")
    assert alpha.labels == ("poetry", "prose")
    assert beta.labels == ()
    assert gamma.labels == ("prose",)
    assert [c.number for c in gamma.chapters] == [0, 1, 2]  # type: ignore[union-attr]  # loaded
    assert (alpha.chapter_count, beta.chapter_count, gamma.chapter_count) == (1, 2, 3)
    # Identity: one WriterRef object for Ann's two novels.
    assert alpha.writer is beta.writer


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_nullable_fk_self_fk_and_three_levels(
    strategy: Strategy,
    small_world: dict[str, int],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    ann, bob = run(plans.WRITER_CARD, Writer.objects.all(), strategy, django_assert_num_queries)
    assert ann.country == CountryDTO(id=small_world["france"], name="France")
    assert bob.country is None
    assert ann.mentor is None
    assert bob.mentor == WriterRef(id=small_world["ann"], name="Ann")
    assert ann.novel_count == 2
    assert ann.average_words == pytest.approx((900 + 900 + 1000) / 3)
    assert bob.average_words == pytest.approx(1000)
    # Per-parent order and limit: Ann's 2 latest novels, newest first.
    assert not isinstance(ann.novels, NotLoaded)
    assert [n.title for n in ann.novels] == ["Beta", "Alpha"]
    # Third level, filtered per parent: only chapters of >= 1000 words.
    beta = ann.novels[0]
    assert not isinstance(beta.chapters, NotLoaded)
    assert [(c.number, c.words) for c in beta.chapters] == [(1, 1000)]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_forward_and_reverse_one_to_one(
    strategy: Strategy,
    small_world: dict[str, int],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    (profile,) = run(plans.PROFILE, Profile.objects.all(), strategy, django_assert_num_queries)
    assert profile.writer == WriterRef(id=small_world["ann"], name="Ann")
    ann, bob = run(plans.WRITER_PROFILE, Writer.objects.all(), strategy, django_assert_num_queries)
    assert ann.profile == ProfileBio(id=profile.id, bio="Ann's bio")
    assert bob.profile is None


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_m2m_through_model_both_directions_and_self_reverse_fk(
    strategy: Strategy,
    small_world: dict[str, int],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    (club,) = run(plans.CLUB, Club.objects.all(), strategy, django_assert_num_queries)
    assert [m.name for m in club.members] == ["Ann", "Bob"]  # Writer's Meta.ordering
    ann, bob = run(plans.WRITER_CLUBS, Writer.objects.all(), strategy, django_assert_num_queries)
    assert ann.clubs == bob.clubs == (ClubRef(id=small_world["club"], name="Inklings"),)
    assert ann.clubs[0] is bob.clubs[0]  # one DTO per club row within a fetch
    assert ann.mentees == (WriterRef(id=small_world["bob"], name="Bob"),)
    assert bob.mentees == ()


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_namedtuple_dto(
    strategy: Strategy,
    small_world: dict[str, int],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    rows = run(
        plans.NOVEL_ROW, Novel.objects.order_by("title"), strategy, django_assert_num_queries
    )
    alpha, _, gamma = rows
    assert alpha.labels == ("poetry", "prose")
    assert gamma.country_name is None  # Bob has no country: the nullable hop gives None
    assert tuple(alpha) == (small_world["Alpha"], "Alpha", "Ann", "France", ("poetry", "prose"))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_relations_left_out_are_not_loaded(
    strategy: Strategy,
    small_world: dict[str, int],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    (alpha, *_) = run(
        plans.NOVEL_BARE, Novel.objects.order_by("title"), strategy, django_assert_num_queries
    )
    assert isinstance(alpha.chapters, NotLoaded)
    assert isinstance(alpha.writer, NotLoaded)
    assert "'novel (no relations)" in alpha.chapters.plan
    assert (alpha.chapters.dto, alpha.chapters.field) == ("NovelDTO", "chapters")


def test_reading_dtos_afterwards_runs_no_query(
    small_world: dict[str, int], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    writers = fetch_all(plans.WRITER_CARD, Writer.objects.all())
    with django_assert_num_queries(0):
        dumped = [w.model_dump() for w in writers]
        titles = [
            [n.title for n in w.novels] for w in writers if not isinstance(w.novels, NotLoaded)
        ]
    assert dumped[0]["novels"][1]["labels"] == ("poetry", "prose")
    assert titles == [["Beta", "Alpha"], ["Gamma"]]


def test_caller_queryset_filters_and_slices_are_kept(small_world: dict[str, int]) -> None:
    novels = fetch_all(plans.NOVEL, Novel.objects.filter(writer__name="Ann").order_by("-title")[:1])
    assert [n.title for n in novels] == ["Beta"]
