"""Types are part of the API: misuse must fail to type-check.

Each snippet is type-checked by mypy with the library's configuration (its pyproject: strict,
django, pydantic and fetchplan plugins). Lines marked ``# E: <code>`` must produce exactly
that error; every other line must produce none. The first snippet is the positive control:
correct use passes.
"""

import re
import textwrap
from pathlib import Path

import pytest

# mypy and django-stubs are installed where the types are checked (the main venv, Django 6.1),
# not in the venv that runs the suite on Django 5.2.
api = pytest.importorskip("mypy.api", reason="mypy is not installed in this environment")

LIBRARY = Path(__file__).resolve().parents[3]

HEADER = """\
from fetchplan import (
    Plan,
    Strategy,
    afetch_all,
    afetch_first,
    afetch_one,
    astream,
    fetch_all,
    fetch_one,
)
from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import NovelDTO, NovelWithChapters, WriterRef
from fetchplan_tests.testapp.models import Novel, Writer
from fetchplan.dto import NotLoaded, require
"""

SNIPPETS = {
    "correct_use_passes": """
        def list_novels() -> list[NovelDTO]:
            return fetch_all(plans.NOVEL, Novel.objects.all())

        def chapter_count(novel: NovelDTO) -> int:
            if isinstance(novel.chapters, NotLoaded):
                return 0
            return len(novel.chapters)

        def writer_name(novel: NovelDTO) -> str:
            return require(novel.writer).name

        one: NovelDTO = fetch_one(plans.NOVEL, Novel.objects.all(), pk=1)

        def total_words(novel: NovelWithChapters) -> int:
            return sum(chapter.words for chapter in novel.chapters)

        RICH = plans.NOVEL.with_dto(NovelWithChapters)
        words = [total_words(n) for n in fetch_all(RICH, Novel.objects.all())]
        slow = plans.NOVEL.with_strategy("instances").with_strategy(Strategy.VALUES)
    """,
    "async_twins_are_typed_like_the_sync_ones": """
        async def list_novels() -> list[NovelDTO]:
            return await afetch_all(plans.NOVEL, Novel.objects.all())

        async def one_novel() -> NovelDTO:
            return await afetch_one(plans.NOVEL, Novel.objects.all(), pk=1)

        async def first_novel() -> NovelDTO | None:
            return await afetch_first(plans.NOVEL, Novel.objects.all())

        async def titles() -> list[str]:
            return [novel.title async for novel in astream(plans.NOVEL, Novel.objects.all())]
    """,
    "async_twin_misuse": """
        async def list_writers() -> list[WriterRef]:
            return await afetch_all(plans.NOVEL, Novel.objects.all())  # E: arg-type

        async def over_writers() -> None:
            await afetch_all(plans.NOVEL, Writer.objects.all())  # E: plan-model

        async def not_awaited() -> list[NovelDTO]:
            return afetch_all(plans.NOVEL, Novel.objects.all())  # E: return-value

        async def stream_is_async() -> None:
            for novel in astream(plans.NOVEL, Novel.objects.all()):  # E: attr-defined
                print(novel)
    """,
    "not_loaded_used_without_narrowing": """
        def chapter_count(novel: NovelDTO) -> int:
            return len(novel.chapters)  # E: arg-type

        def writer_name(novel: NovelDTO) -> str:
            return novel.writer.name  # E: union-attr
    """,
    "plan_returns_another_dto": """
        def list_writers() -> list[WriterRef]:
            return fetch_all(plans.NOVEL, Novel.objects.all())  # E: arg-type
    """,
    "plan_over_another_model": """
        rows = fetch_all(plans.NOVEL, Writer.objects.all())  # E: plan-model
    """,
    "plan_of_something_that_is_no_dto": """
        PLAN = Plan(Novel, dict)  # E: type-var
    """,
    "strategy_is_the_enum_or_its_values": """
        PLAN = plans.NOVEL.with_strategy("fast")  # E: arg-type
    """,
    "code_that_needs_a_relation_gets_a_dto_without_it": """
        def total_words(novel: NovelWithChapters) -> int:
            return sum(chapter.words for chapter in novel.chapters)

        for novel in fetch_all(plans.NOVEL, Novel.objects.all()):
            total_words(novel)  # E: arg-type
    """,
    "model_instance_where_a_dto_is_expected": """
        def describe(novel: NovelDTO) -> str:
            return novel.title

        describe(Novel.objects.get(pk=1))  # E: arg-type
    """,
    "wrong_dto_field_name": """
        def title(novel: NovelDTO) -> None:
            print(novel.titel)  # E: attr-defined
    """,
    "dtos_are_frozen": """
        def rename(novel: NovelDTO) -> None:
            novel.title = "x"  # E: misc
    """,
}

ERROR_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[\w-]+)\]$")


@pytest.fixture(scope="module")
def mypy_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[tuple[int, str]]]:
    """Type-check every snippet in one mypy run; return the errors of each, by (line, code)."""
    folder = tmp_path_factory.mktemp("snippets")
    for name, body in SNIPPETS.items():
        (folder / f"{name}.py").write_text(HEADER + textwrap.dedent(body))
    stdout, stderr, _ = api.run(
        ["--config-file", str(LIBRARY / "pyproject.toml"), "--no-incremental", str(folder)]
    )
    assert not stderr, stderr
    found: dict[str, set[tuple[int, str]]] = {name: set() for name in SNIPPETS}
    for line in stdout.splitlines():
        match = ERROR_LINE.match(line)
        if match:
            found[Path(match["file"]).stem].add((int(match["line"]), match["code"]))
    return found


def expected_errors(name: str) -> set[tuple[int, str]]:
    source = HEADER + textwrap.dedent(SNIPPETS[name])
    return {
        (number, match[1])
        for number, text in enumerate(source.splitlines(), start=1)
        if (match := re.search(r"# E: ([\w-]+)", text))
    }


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_snippet_type_checks_as_expected(
    name: str, mypy_results: dict[str, set[tuple[int, str]]]
) -> None:
    assert mypy_results[name] == expected_errors(name)


def test_the_negative_snippets_expect_errors() -> None:
    positive = {"correct_use_passes", "async_twins_are_typed_like_the_sync_ones"}
    assert all(expected_errors(name) == set() for name in positive)
    assert all(expected_errors(name) for name in SNIPPETS if name not in positive)
