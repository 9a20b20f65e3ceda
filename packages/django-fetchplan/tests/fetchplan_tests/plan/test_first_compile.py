"""Validation at first compile: a plan the checks never saw still cannot run broken.

The plans here are made inside test functions, so they are not registered and
``manage.py check`` never sees them (test_registry.py): only the first compile stands between
them and a DTO holding a value of the wrong type.
"""

import sys
from collections.abc import Callable
from enum import IntEnum
from typing import Annotated, Any, Literal, NamedTuple

import pytest
from django.db import connection
from django.db.models import Count, F, Func, IntegerField, JSONField, Value
from django.test.utils import CaptureQueriesContext
from fetchplan import (
    Many,
    One,
    Plan,
    PlanError,
    Strategy,
    explain,
    fetch_all,
    fetch_first,
    fetch_one,
    stream,
)
from fetchplan.dto import DTO, NotLoaded
from fetchplan.plan import field_rules, rules, validate
from fetchplan.plan.check_ids import NO_SOURCE, TYPE_MISMATCH
from fetchplan.plan.errors import IN_NESTED_PLAN
from fetchplan.plan.findings import Findings
from fetchplan.plan.registry import is_registered
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import WriterRef
from fetchplan_tests.testapp.factory import make_library
from fetchplan_tests.testapp.models import Chapter, Novel, Writer

pytestmark = pytest.mark.django_db


class TitleAsInt(DTO):
    id: int
    title: int  # a CharField


class WriterCountry(DTO):
    id: int
    name: str
    country_name: str  # through a nullable FK


def here() -> str:
    """Return ``file:line`` of the caller, as a plan's label spells it."""
    frame = sys._getframe(1)
    return f"{__name__.replace('.', '/')}.py:{frame.f_lineno}"


def test_a_wrongly_typed_plan_never_returns_a_dto() -> None:
    make_library(writers=2)
    plan, site = Plan(Novel, TitleAsInt), here()  # type: ignore[plan-type]
    assert not is_registered(plan)
    with CaptureQueriesContext(connection) as queries, pytest.raises(PlanError) as raised:
        fetch_all(plan, Novel.objects.all())
    assert len(queries) == 0  # refused before any query
    message = str(raised.value)
    assert f"Plan 'TitleAsInt from Novel' ({site}) cannot run" in message
    assert f"{TYPE_MISMATCH} TitleAsInt.title: column 'title' holds str" in message
    assert [problem.id for problem in raised.value.problems] == [TYPE_MISMATCH]


def test_a_nullable_path_into_a_plain_str_never_returns_a_dto() -> None:
    make_library(writers=4)  # writer 0 has no country
    plan = Plan(Writer, WriterCountry, fields={"country_name": "country__name"})  # type: ignore[plan-type]
    with pytest.raises(PlanError, match="column 'country__name' can be NULL"):
        fetch_all(plan, Writer.objects.all())
    fixed = Plan(Writer, WriterCountry, fields={"country_name": "name"})
    assert len(fetch_all(fixed, Writer.objects.all())) == 4


ENTRY_POINTS: list[Callable[[Plan[Any, Any]], object]] = [
    lambda plan: fetch_all(plan, plan.model.objects.all()),
    lambda plan: fetch_one(plan, plan.model.objects.all(), pk=1),
    lambda plan: fetch_first(plan, plan.model.objects.all()),
    lambda plan: next(stream(plan, plan.model.objects.all())),
    lambda plan: plan.budget(),
    lambda plan: explain(plan),
    lambda plan: fetch_all(plan.with_strategy("instances"), plan.model.objects.all()),
]


@pytest.mark.parametrize("run", ENTRY_POINTS)
def test_every_way_to_compile_validates(run: Callable[[Plan[Any, Any]], object]) -> None:
    with pytest.raises(PlanError, match=TYPE_MISMATCH):
        run(Plan(Novel, TitleAsInt))


def test_every_problem_is_listed_with_its_id_including_nested_plans() -> None:
    class Orphan(DTO):
        id: int
        title: int
        subtitle: str

    class WithOrphans(DTO):
        id: int
        novels: tuple[Orphan, ...]

    nested = Plan(Novel, Orphan)  # type: ignore[plan-field, plan-type]
    with pytest.raises(PlanError) as raised:
        Plan(Writer, WithOrphans, relations={"novels": Many(nested)}).budget()
    assert [problem.id for problem in raised.value.problems] == [TYPE_MISMATCH, NO_SOURCE]
    message = str(raised.value)
    assert "cannot run: the checks `manage.py check` runs found 2 problem(s)" in message
    assert IN_NESTED_PLAN.format(plan=nested.label) in message


def test_the_rules_run_once_per_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    make_library(writers=2)
    calls: list[Plan[Any, Any]] = []
    inspect = rules.inspect_plan

    def counting(plan: Plan[Any, Any], **kwargs: Any) -> Findings:
        calls.append(plan)
        return inspect(plan, **kwargs)

    monkeypatch.setattr(validate, "inspect_plan", counting)
    sound = plans.NOVEL.with_fields(title="title")
    for _ in range(3):
        fetch_all(sound, Novel.objects.all())
        sound.budget()
    broken = Plan(Novel, TitleAsInt)  # type: ignore[plan-type]
    for _ in range(3):
        with pytest.raises(PlanError):
            broken.budget()
    assert calls == [sound, broken]


class WordsAsFloat(DTO):
    id: int
    words: float  # an IntegerField: fits, but not exactly


class NumberLiteral(DTO):
    id: int
    number: Literal[1, 2]  # not judged by the checks


class JsonValue(DTO):
    id: int
    value: dict[str, int]


def test_a_proven_plan_builds_without_validation_an_unproven_one_with() -> None:
    assert plans.CHAPTER.compiled().trusted
    assert not Plan(Chapter, WordsAsFloat).compiled().trusted
    assert not Plan(Chapter, NumberLiteral).compiled().trusted
    json = Value({"a": 1}, output_field=JSONField())  # a column type the rules do not judge
    assert not Plan(Chapter, JsonValue, fields={"value": json}).compiled().trusted


def test_unproven_fields_are_validated_when_built() -> None:
    make_library(writers=3)
    chapters = fetch_all(Plan(Chapter, WordsAsFloat), Chapter.objects.all())
    assert chapters
    assert all(type(chapter.words) is float for chapter in chapters)
    numbers = Chapter.objects.filter(number__gte=3)
    assert numbers.exists()
    with pytest.raises(ValidationError, match="literal_error"):
        fetch_all(Plan(Chapter, NumberLiteral), numbers)


class WordsAsFloatTuple(NamedTuple):
    id: int
    words: float


class NumberLiteralTuple(NamedTuple):
    id: int
    number: Literal[1, 2]


class NovelLiteralChapters(NamedTuple):
    id: int
    chapters: tuple[NumberLiteralTuple, ...]


@pytest.mark.parametrize("strategy", list(Strategy))
def test_namedtuples_of_unproven_plans_are_validated_too(strategy: Strategy) -> None:
    """A NamedTuple is built by position, with no validation, only for a proven plan.

    Catches: a NamedTuple of an unproven plan built by position (it held ``number=5`` in a
    ``Literal[1, 2]`` field, and an int in a ``float`` one), in ``fetch_all``, ``stream()``,
    ``fetch_one`` and a to-many level.
    """
    make_library(writers=3)
    as_float = Plan(Chapter, WordsAsFloatTuple).with_strategy(strategy)
    assert not as_float.compiled().trusted
    chapters = fetch_all(as_float, Chapter.objects.all())
    assert chapters
    assert all(type(chapter.words) is float for chapter in chapters)
    assert type(fetch_one(as_float, Chapter.objects.all(), pk=chapters[0].id).words) is float
    low, high = Chapter.objects.filter(number__in=[1, 2]), Chapter.objects.filter(number__gte=3)
    assert low.exists()
    assert high.exists()
    literal = Plan(Chapter, NumberLiteralTuple).with_strategy(strategy)
    assert {chapter.number for chapter in fetch_all(literal, low)} <= {1, 2}
    with pytest.raises(ValidationError, match="literal_error"):
        fetch_all(literal, high)
    if strategy is Strategy.VALUES:
        with pytest.raises(ValidationError, match="literal_error"):
            list(stream(literal, high))
    nested = Plan(
        Novel, NovelLiteralChapters, relations={"chapters": Many(literal, order_by=("number",))}
    ).with_strategy(strategy)
    with pytest.raises(ValidationError, match="literal_error"):
        fetch_all(nested, Novel.objects.filter(chapters__number__gte=3).distinct())


class Number(IntEnum):
    ONE = 1
    TWO = 2


class NumberEnum(DTO):
    id: int
    number: Number


class NumberEnumTuple(NamedTuple):
    id: int
    number: Number | None


@pytest.mark.parametrize("strategy", list(Strategy))
@pytest.mark.parametrize("dto", [NumberEnum, NumberEnumTuple])
def test_an_enum_field_takes_its_members_from_the_column(
    dto: type[NumberEnum | NumberEnumTuple], strategy: Strategy
) -> None:
    """An enum (``TextChoices``, ``IntEnum``...) over a column of its values' type passes the
    checks (the mypy plugin does not judge enums either), and the DTO is validated: it holds
    members, and a value that is none is a validation error, never a plain int.

    Catches: refusing the plan (E003, as before), and building it without validation.
    """
    make_library(writers=3)
    plan = Plan(Chapter, dto).with_strategy(strategy)
    assert not plan.compiled().trusted
    low, high = Chapter.objects.filter(number__in=[1, 2]), Chapter.objects.filter(number__gte=3)
    got = fetch_all(plan, low)
    assert got
    assert all(type(chapter.number) is Number for chapter in got)
    with pytest.raises(ValidationError, match="enum"):
        fetch_all(plan, high)


class OpenChapter(BaseModel):
    """Not frozen, and takes extra fields: each instance needs its own dict of them."""

    model_config = ConfigDict(extra="allow")
    id: int
    words: int


def test_a_dto_that_allows_extra_fields_gets_its_own_dict_of_them() -> None:
    """Catches: building it with the trusted constructor (``model_extra`` None, unlike a
    validated instance's ``{}``; sharing one dict would leak an extra field set on one DTO
    into every other)."""
    make_library(writers=1)
    first, second = fetch_all(Plan(Chapter, OpenChapter), Chapter.objects.order_by("pk")[:2])
    assert first.model_extra == {}
    first.note = "mine"  # type: ignore[attr-defined]  # an extra field, of this instance only
    assert first.model_extra == {"note": "mine"}
    assert second.model_extra == {}
    assert first == OpenChapter.model_validate(
        {"id": first.id, "words": first.words, "note": "mine"}
    )


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (ConfigDict(str_to_upper=True), lambda title: title.upper()),
        (ConfigDict(str_max_length=3), ValidationError),
        (ConfigDict(str_to_lower=True), lambda title: title.lower()),
    ],
    ids=["str_to_upper", "str_max_length", "str_to_lower"],
)
def test_a_dto_configured_to_change_values_is_validated(setting: ConfigDict, expected: Any) -> None:
    """``model_config`` settings that change or refuse values apply to engine-built DTOs too.

    Catches: the trusted constructor for such a DTO (titles kept as they are, longer than the
    DTO allows).
    """
    make_library(writers=1)
    config = ConfigDict(frozen=True)
    config.update(setting)
    namespace = {"__annotations__": {"title": str}, "model_config": config}
    dto: type[BaseModel] = type("Titled", (BaseModel,), namespace)
    novels = Novel.objects.order_by("pk")
    plan: Plan[Novel, BaseModel] = Plan(Novel, dto)
    if expected is ValidationError:
        with pytest.raises(ValidationError, match="at most 3 characters"):
            fetch_all(plan, novels)
        return
    titles = [expected(title) for title in novels.values_list("title", flat=True)]
    assert [novel.model_dump()["title"] for novel in fetch_all(plan, novels)] == titles
    assert titles != list(novels.values_list("title", flat=True))


class ShortChapter(DTO):
    id: int
    words: Annotated[int, Field(lt=1000)]  # a constraint the checks cannot prove
    number: Annotated[int, AfterValidator(lambda number: number + 1)]


def test_field_constraints_and_annotated_validators_are_applied() -> None:
    make_library(writers=3)
    plan = Plan(Chapter, ShortChapter)
    short = Chapter.objects.filter(words__lt=1000).order_by("pk")
    assert [chapter.number for chapter in fetch_all(plan, short)] == [
        number + 1 for number in short.values_list("number", flat=True)
    ]
    with pytest.raises(ValidationError, match="less_than"):
        fetch_all(plan, Chapter.objects.filter(words__gte=1000))


def test_validation_reaches_nested_to_one_and_to_many_plans() -> None:
    class Writer2(DTO):
        id: int
        name: int  # wrong

    class NovelWithWriter(DTO):
        id: int
        writer: Writer2

    class WriterWithNovels(DTO):
        id: int
        novels: tuple[NovelWithWriter, ...] | NotLoaded

    to_one = Plan(Novel, NovelWithWriter, relations={"writer": One(Plan(Writer, Writer2))})  # type: ignore[plan-type]
    with pytest.raises(PlanError, match=r"Writer2\.name"):
        to_one.budget()
    to_many = Plan(Writer, WriterWithNovels, relations={"novels": Many(to_one)})
    with pytest.raises(PlanError, match=r"Writer2\.name"):
        to_many.budget()


def test_a_sound_plan_made_in_a_function_runs() -> None:
    make_library(writers=2)
    plan = Plan(Writer, WriterRef).with_strategy("instances")
    assert len(fetch_all(plan, Writer.objects.all())) == 2


class Unhashable:
    """An expression argument that cannot be hashed (the check cache cannot key on it)."""

    __hash__ = None  # type: ignore[assignment]  # the point of this class


def test_a_plan_rebuilt_from_the_same_expressions_resolves_them_once() -> None:
    def per_request() -> Plan[Any, Any]:
        return Plan(Writer, ExpressionHolder, fields={"value": Count("novels")})

    per_request().budget()
    before = field_rules._output_type.cache_info()
    for _ in range(5):
        per_request().budget()
    after = field_rules._output_type.cache_info()
    assert after.hits - before.hits == 5
    assert after.misses == before.misses
    odd = Func(F("name"), function="LENGTH", output_field=IntegerField(), marker=Unhashable())
    assert Plan(Writer, ExpressionHolder, fields={"value": odd}).budget() == 1


class ExpressionHolder(DTO):
    id: int
    value: int | None
