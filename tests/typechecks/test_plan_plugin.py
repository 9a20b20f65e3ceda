"""The bookstore under the ``fetchplan.mypy`` plugin: wrong plans fail mypy, its own pass.

A temporary copy of the project (its mypy.ini, apps, DTOs, repositories and settings) gets one
module per mistake; mypy runs there as a developer would run it, in its own process. Each
mistake must fail with an error that names the DTO field, and nothing else may fail: the
bookstore's real plans (repos/) type-check with the plugin, with no ``# type: ignore``.
"""

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("mypy", reason="mypy is not installed in this environment")

ROOT = Path(__file__).resolve().parents[2]
COPIED = ["mypy.ini", "bookstore", "dtos", "repos", "tests/__init__.py", "tests/settings.py"]

HEADER = """\
from fetchplan import Many, One, Plan
from fetchplan.dto import DTO
from bookstore.models import Author, Book, Review
from dtos.books import ReviewDTO

REVIEW = Plan(Review, ReviewDTO)
"""

MISTAKES = {
    "title_as_int": (
        """
        class Dto(DTO):
            id: int
            title: int

        PLAN = Plan(Book, Dto)
        """,
        "plan-type",
        'Dto.title: column \'title\' holds "str", the field is "int"',
    ),
    "misspelt_path": (
        """
        class Dto(DTO):
            id: int
            publisher_name: str | None

        PLAN = Plan(Book, Dto, fields={"publisher_name": "publisher__nmae"})
        """,
        "plan-path",
        "Dto.publisher_name: Publisher has no field or relation 'nmae'",
    ),
    "one_on_to_many": (
        """
        class Dto(DTO):
            id: int
            reviews: ReviewDTO | None

        PLAN = Plan(Book, Dto, relations={"reviews": One(REVIEW)})
        """,
        "plan-relation",
        "One() fills Dto.reviews, but Book.reviews is a to-many relation: use Many()",
    ),
    "nullable_path_into_str": (
        """
        class Dto(DTO):
            id: int
            publisher_name: str

        PLAN = Plan(Book, Dto, fields={"publisher_name": "publisher__name"})
        """,
        "plan-type",
        "Dto.publisher_name: column 'publisher__name' can be NULL",
    ),
    "order_by_unknown_field": (
        """
        class BookRef(DTO):
            id: int
            title: str

        class Dto(DTO):
            id: int
            name: str
            books: tuple[BookRef, ...]

        BOOK = Plan(Book, BookRef)
        PLAN = Plan(Author, Dto, relations={"books": Many(BOOK, order_by=("-ratign",))})
        """,
        "plan-path",
        "Many() filling Dto.books orders Book rows by '-ratign': Book has no field",
    ),
}

ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<message>.*)  \[(?P<code>[\w-]+)\]$")


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Run mypy (strict, the project's plugins) over a copy of the project plus the mistakes."""
    copy = tmp_path_factory.mktemp("project")
    for name in COPIED:
        source, target = ROOT / name, copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    planted = copy / "planted"
    planted.mkdir()
    (planted / "__init__.py").write_text("")
    for name, (body, _, _) in MISTAKES.items():
        (planted / f"{name}.py").write_text(HEADER + textwrap.dedent(body))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "repos", "planted"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert not result.stderr, result.stderr
    return result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("name", list(MISTAKES))
def test_a_wrong_plan_fails_mypy_naming_the_field(name: str, mypy_output: str) -> None:
    _, code, message = MISTAKES[name]
    errors = [m for line in mypy_output.splitlines() if (m := ERROR.match(line))]
    mine = [m for m in errors if m["file"].replace("\\", "/") == f"planted/{name}.py"]
    assert [m["code"] for m in mine] == [code], mypy_output
    assert message in mine[0]["message"]


@pytest.mark.slow
def test_the_bookstore_plans_pass_the_plugin(mypy_output: str) -> None:
    errors = [m for line in mypy_output.splitlines() if (m := ERROR.match(line))]
    assert [m.group(0) for m in errors if not m["file"].startswith("planted/")] == []
    assert len(errors) == len(MISTAKES)


def test_no_plan_of_the_bookstore_silences_the_plugin() -> None:
    for path in (ROOT / "repos").rglob("*.py"):
        assert "ignore[plan-" not in path.read_text(), path
