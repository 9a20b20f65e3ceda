"""Columns of an M2M through model next to the related row (``Many(through_fields=...)``).

``Club.members`` runs through ``Membership(club, writer, role)``: a club's members each carry
their membership's role, in one query for that level, ordered by it when asked
(``order_by=("through__role", ...)``), on every backend. The checks refuse what cannot run.
"""

from collections import defaultdict

import pytest
from django.db import connection
from fetchplan import DTO, Many, Plan, Strategy, fetch_all
from fetchplan.plan.check_ids import (
    BAD_MANY_QUERY,
    BAD_PATH,
    TYPE_MISMATCH,
    UNKNOWN_FIELD,
    WRONG_RELATION,
)
from fetchplan.plan.checks import check_plan
from fetchplan.plan.errors import PlanError
from pytest_django import DjangoAssertNumQueries

from fetchplan_tests.testapp.dtos import WriterRef
from fetchplan_tests.testapp.models import Club, Membership, Novel, Writer

pytestmark = pytest.mark.django_db


class Member(DTO):
    id: int
    name: str
    role: str


class ClubMembers(DTO):
    id: int
    members: tuple[Member, ...]


class ClubAsJoined(DTO):
    id: int
    name: str
    role: str


class WriterClubsWithRoles(DTO):
    id: int
    clubs: tuple[ClubAsJoined, ...]


class MemberWithNumber(DTO):
    id: int
    role: int


class ClubMembersNumbered(DTO):
    id: int
    members: tuple[MemberWithNumber, ...]


def by_role(*order: str) -> Plan[Club, ClubMembers]:
    return Plan(
        Club,
        ClubMembers,
        relations={"members": Many(through_fields={"role": "role"}, order_by=order)},
    )


@pytest.fixture
def clubs() -> tuple[Club, Club]:
    """Two clubs; Ann is in both with a different role in each."""
    ann, bob, cy = (Writer.objects.create(name=name) for name in ("Ann", "Bob", "Cy"))
    inklings, oulipo = Club.objects.create(name="Inklings"), Club.objects.create(name="Oulipo")
    for club, writer, role in [
        (inklings, ann, "member"),
        (inklings, bob, "chair"),
        (inklings, cy, "treasurer"),
        (oulipo, ann, "chair"),
        (oulipo, cy, "member"),
    ]:
        Membership.objects.create(club=club, writer=writer, role=role)
    return inklings, oulipo


def hand_written() -> dict[int, list[tuple[str, str]]]:
    """Each club's (role, name) pairs in plain SQL, ordered by role then name."""
    assert (Membership._meta.db_table, Writer._meta.db_table) == (
        "testapp_membership",
        "testapp_writer",
    )
    sql = (
        "SELECT m.club_id, m.role, w.name FROM testapp_membership m "
        "JOIN testapp_writer w ON w.id = m.writer_id ORDER BY m.club_id, m.role, w.name"
    )
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for club, role, name in cursor.fetchall():
            found[club].append((role, name))
    return found


def test_through_columns_come_with_each_member_in_one_query(
    clubs: tuple[Club, Club], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(2):  # the clubs, then every club's members at once
        loaded = fetch_all(by_role("through__role", "name"), Club.objects.order_by("pk"))
    expected = hand_written()
    assert {c.id: [(m.role, m.name) for m in c.members] for c in loaded} == expected
    inklings, oulipo = loaded
    ann_roles = [m.role for c in loaded for m in c.members if m.name == "Ann"]
    assert ann_roles == ["member", "chair"]  # one DTO per membership, not one per writer
    assert [m.name for m in oulipo.members] == ["Ann", "Cy"]
    assert [m.name for m in inklings.members] == ["Bob", "Ann", "Cy"]


def test_ordering_by_a_through_column_descending(clubs: tuple[Club, Club]) -> None:
    loaded = fetch_all(by_role("-through__role", "name"), Club.objects.order_by("pk"))
    expected = hand_written()
    assert {c.id: [(m.role, m.name) for m in c.members] for c in loaded} == {
        club: sorted(pairs, key=lambda pair: pair[0], reverse=True)
        for club, pairs in expected.items()
    }


def test_the_reverse_side_reads_the_same_through_model(clubs: tuple[Club, Club]) -> None:
    plan = Plan(
        Writer,
        WriterClubsWithRoles,
        relations={
            "clubs": Many(through_fields={"role": "role"}, order_by=("through__role", "name"))
        },
    )
    loaded = {w.id: w for w in fetch_all(plan, Writer.objects.all())}
    ann = Writer.objects.get(name="Ann")
    assert [(c.name, c.role) for c in loaded[ann.pk].clubs] == [
        ("Oulipo", "chair"),
        ("Inklings", "member"),
    ]


def test_a_limit_per_parent_counts_memberships(clubs: tuple[Club, Club]) -> None:
    plan = Plan(
        Club,
        ClubMembers,
        relations={
            "members": Many(through_fields={"role": "role"}, order_by=("through__role",), limit=1)
        },
    )
    loaded = fetch_all(plan, Club.objects.order_by("pk"))
    assert [[(m.name, m.role) for m in c.members] for c in loaded] == [
        [("Bob", "chair")],
        [("Ann", "chair")],
    ]


def test_what_through_fields_cannot_do_is_reported() -> None:
    misspelt_order = by_role("through__rloe")
    problems = check_plan(misspelt_order)
    assert [p.id for p in problems] == [BAD_MANY_QUERY]
    assert "no column 'rloe'" in problems[0].msg
    assert "'through__role'" in str(problems[0].hint)
    misspelt_column = Plan(
        Club,
        ClubMembers,
        relations={"members": Many(through_fields={"role": "rol"})},  # type: ignore[plan-path]
    )
    assert [p.id for p in check_plan(misspelt_column)] == [BAD_PATH]
    unknown_field = Plan(
        Club,
        ClubMembers,
        relations={"members": Many(through_fields={"rank": "role"})},  # type: ignore[plan-field]
    )
    assert [p.id for p in check_plan(unknown_field)] == [UNKNOWN_FIELD]
    wrong_type = Plan(
        Club,
        ClubMembersNumbered,
        relations={"members": Many(through_fields={"role": "role"})},  # type: ignore[plan-type]
    )
    assert [p.id for p in check_plan(wrong_type)] == [TYPE_MISMATCH]
    instances = by_role("through__role").with_strategy(Strategy.INSTANCES)
    assert [p.id for p in check_plan(instances)] == [WRONG_RELATION]

    class Ordered(DTO):
        id: int
        members: tuple[WriterRef, ...]

    ordered_only = Plan(
        Club, Ordered, relations={"members": Many(order_by=("through__role",))}
    ).with_strategy(Strategy.INSTANCES)
    assert [p.id for p in check_plan(ordered_only)] == [WRONG_RELATION]


def test_a_relation_without_a_through_model_is_refused() -> None:
    class LabelRow(DTO):
        id: int
        role: str

    class NovelLabels(DTO):
        id: int
        labels: tuple[LabelRow, ...]

    plan = Plan(
        Novel,
        NovelLabels,
        relations={"labels": Many(through_fields={"role": "role"})},  # type: ignore[plan-relation]
    )
    problems = check_plan(plan)
    assert [p.id for p in problems] == [WRONG_RELATION]
    assert "no through model of its own" in problems[0].msg
    with pytest.raises(PlanError):
        fetch_all(plan, Novel.objects.all())


def test_through_fields_must_map_names_to_columns() -> None:
    with pytest.raises(PlanError, match="through_fields="):
        Many(through_fields={"role": 3})  # type: ignore[dict-item]


def test_through_fields_leave_the_nested_plan_to_inference() -> None:
    explicit = by_role("name")
    with pytest.raises(PlanError, match="takes neither plan= nor scalar="):
        Many(explicit, through_fields={"role": "role"})
    with pytest.raises(PlanError, match="takes neither plan= nor scalar="):
        Many(scalar="name", through_fields={"role": "role"})
