"""The registry holds the plans declared at import time, and only those.

Plans made later (per request, in a test, derived with ``with_*()`` inside a function) are not
registered, so they never pile up and never leak into another test's ``manage.py check``;
they are checked at their first compile instead (test_first_compile.py).
"""

import importlib
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from fetchplan import Many, Plan, Strategy
from fetchplan.dto import DTO
from fetchplan.plan.check_ids import TYPE_MISMATCH
from fetchplan.plan.checks import check_plan, check_plans
from fetchplan.plan.registry import all_plans, is_registered, register, unregister

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import WriterRef
from fetchplan_tests.testapp.models import Novel, Writer

MODULE = "fetchplan_registry_probe"

# A module of its own: what it declares in its body (directly, in a class body, or through a
# factory its body calls) is registered; what `later()` makes after the import is not.
SOURCE = """
from fetchplan import DTO, Plan
from fetchplan_tests.testapp.dtos import WriterRef
from fetchplan_tests.testapp.models import Novel, Writer


class BrokenTitle(DTO):
    id: int
    title: int  # a CharField


def factory(name):
    return Plan(Writer, WriterRef, name=name)


IN_BODY = Plan(Writer, WriterRef, name="probe: in body")
FROM_FACTORY = factory("probe: from factory")
DERIVED = IN_BODY.with_strategy("instances")


class Holder:
    IN_CLASS = Plan(Writer, WriterRef, name="probe: in class body")


BROKEN = Plan(Novel, BrokenTitle, name="probe: broken")


def later():
    return factory("probe: later"), IN_BODY.with_fields(name="name")
"""


def line_of(start: str) -> int:
    """Return the line number of the probe module's line that starts with ``start``."""
    lines = textwrap.dedent(SOURCE).splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


class BrokenTitle(DTO):
    id: int
    title: int  # a CharField


@pytest.fixture
def probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """Import the probe module; unregister its plans and forget it afterwards."""
    (tmp_path / f"{MODULE}.py").write_text(textwrap.dedent(SOURCE))
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module(MODULE)
    try:
        yield module
    finally:
        for plan in list(all_plans()):
            if plan.name.startswith("probe:"):
                unregister(plan)
        sys.modules.pop(MODULE, None)


def test_plans_declared_at_import_time_are_registered(probe: ModuleType) -> None:
    assert is_registered(probe.IN_BODY)
    assert is_registered(probe.FROM_FACTORY)
    assert is_registered(probe.DERIVED)
    assert is_registered(probe.Holder.IN_CLASS)
    assert probe.DERIVED.declared_at.endswith(f"{MODULE}.py:{line_of('DERIVED =')}")
    assert is_registered(plans.NOVEL)
    relation = plans.WRITER_CARD.relations["novels"]
    assert isinstance(relation, Many)
    novels = relation.plan
    assert novels is not None
    assert is_registered(novels)  # derived with with_relations() in a module body


def test_plans_made_after_import_are_not(probe: ModuleType) -> None:
    made, derived = probe.later()
    assert not is_registered(made)
    assert not is_registered(derived)


def test_plans_made_in_a_function_do_not_pile_up() -> None:
    before = all_plans()
    kept: list[Plan[Any, Any]] = []
    for _ in range(200):
        plan = plans.NOVEL.with_strategy(Strategy.INSTANCES)
        kept.append(plan.with_fields(title="title").with_relations(labels=Many(scalar="name")))
        kept.append(Plan(Writer, WriterRef))
    assert all_plans() == before
    assert not any(is_registered(plan) for plan in kept)


def test_a_broken_plan_in_a_function_does_not_leak_into_check() -> None:
    broken = Plan(Novel, BrokenTitle)  # type: ignore[plan-type]  # alive (held here) while the check runs
    call_command("check")
    assert not is_registered(broken)


def test_a_broken_module_level_plan_is_reported_by_check(probe: ModuleType) -> None:
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    report = str(raised.value)
    assert "fetchplan.E003" in report
    assert f"'probe: broken' ({MODULE}.py:{line_of('BROKEN =')})" in report


def test_listing_is_sorted_by_name_then_site(probe: ModuleType) -> None:
    listed = all_plans()
    keys = [(plan.name, plan.declared_at) for plan in listed]
    assert keys == sorted(keys)
    assert all_plans() == listed
    probes = [plan.name for plan in listed if plan.name.startswith("probe:")]
    assert probes == [
        "probe: broken",
        "probe: from factory",
        "probe: in body",
        "probe: in body [instances]",
        "probe: in class body",
    ]


def test_a_problem_is_reported_once_however_often_its_plan_is_nested() -> None:
    class MenteeRow(DTO):
        id: int
        novels: tuple[BrokenTitleRow, ...]

    class Titles(DTO):
        id: int
        novels: tuple[BrokenTitleRow, ...]
        mentees: tuple[MenteeRow, ...]

    broken = Plan(Novel, BrokenTitleRow)  # type: ignore[plan-type]
    mentee = Plan(Writer, MenteeRow, relations={"novels": Many(broken)})
    parent = Plan(Writer, Titles, relations={"novels": Many(broken), "mentees": Many(mentee)})
    registered: list[Plan[Any, Any]] = [broken, mentee, parent]
    for plan in registered:
        register(plan)
    try:
        errors = [error for error in check_plans() if error.obj == broken.label]
    finally:
        for plan in registered:
            unregister(plan)
    assert [error.id for error in errors] == [TYPE_MISMATCH]
    assert [error.id for error in check_plan(parent)] == [TYPE_MISMATCH]


class BrokenTitleRow(DTO):
    id: int
    title: int  # a CharField
