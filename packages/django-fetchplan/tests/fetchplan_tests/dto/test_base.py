"""The DTO base and NotLoaded: frozen, loud when misused, omitted from JSON."""

import copy
import pickle

import pytest
from django.template import Context, Engine
from fetchplan.dto import DTO, NotLoaded, RelationNotLoaded, is_loaded, require
from pydantic import ValidationError

from fetchplan_tests.testapp.dtos import ChapterDTO, NovelDTO, WriterRef


def bare_novel() -> NovelDTO:
    return NovelDTO(
        id=1,
        title="Alpha",
        price=1,  # type: ignore[arg-type]  # pydantic coerces; the point here is NotLoaded
        published="2000-01-01",  # type: ignore[arg-type]
        in_print=True,
        writer_name="Ann",
        chapter_count=0,
        writer=WriterRef(id=1, name="Ann"),
        labels=("x",),
        chapters=NotLoaded("NovelDTO", "chapters", "'novel (no relations)' (repos/x.py:3)"),
    )


def test_touching_a_not_loaded_relation_names_dto_field_and_plan() -> None:
    novel = bare_novel()
    with pytest.raises(RelationNotLoaded) as raised:
        novel.chapters.count  # type: ignore[union-attr]  # the misuse under test  # noqa: B018
    message = str(raised.value)
    assert "NovelDTO.chapters" in message
    assert "'novel (no relations)' (repos/x.py:3)" in message
    assert "reading .count" in message
    assert "add 'chapters' to its relations" in message


@pytest.mark.parametrize(
    ("use", "action"),
    [
        (lambda v: list(v), "iterating"),
        (lambda v: len(v), "len()"),
        (lambda v: v[0], "indexing"),
        (lambda v: 3 in v, "`in`"),
        (lambda v: bool(v), "truth value"),
    ],
)
def test_every_use_of_not_loaded_raises(use: object, action: str) -> None:
    marker = NotLoaded("D", "f", "p")
    with pytest.raises(RelationNotLoaded, match=action):
        use(marker)  # type: ignore[operator]


def test_templates_fail_loudly_instead_of_rendering_nothing() -> None:
    template = Engine().from_string("{% for c in novel.chapters %}{{ c.number }}{% endfor %}")
    with pytest.raises(RelationNotLoaded):
        template.render(Context({"novel": bare_novel()}))


def test_narrowing_helpers() -> None:
    novel = bare_novel()
    assert is_loaded(novel.labels)
    assert not is_loaded(novel.chapters)
    assert require(novel.labels) == ("x",)
    with pytest.raises(RelationNotLoaded, match="require"):
        require(novel.chapters)


def test_not_loaded_fields_are_omitted_from_json() -> None:
    novel = bare_novel()
    assert "chapters" not in novel.model_dump()
    assert '"chapters"' not in novel.model_dump_json()
    assert novel.model_dump()["writer"] == {"id": 1, "name": "Ann"}


def test_not_loaded_fields_are_not_required_in_the_json_schema() -> None:
    schema = NovelDTO.model_json_schema()
    assert "chapters" not in schema["required"]
    assert "title" in schema["required"]
    assert "chapters" in schema["properties"]


def test_not_loaded_values_compare_equal_and_survive_copy_and_pickle() -> None:
    assert NotLoaded("A", "x", "p") == NotLoaded("B", "y", "q")
    novel = bare_novel()
    assert copy.deepcopy(novel) == novel
    assert pickle.loads(pickle.dumps(NotLoaded("A", "x", "p"))) == NotLoaded()


def test_dtos_are_frozen_and_forbid_unknown_fields() -> None:
    chapter = ChapterDTO(id=1, number=1, words=5, written="2020-01-01T00:00:00Z")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        chapter.words = 6  # type: ignore[misc]  # the misuse under test
    with pytest.raises(ValidationError):
        ChapterDTO(id=1, number=1, words=5, written=chapter.written, pages=3)  # type: ignore[call-arg]
    assert hash(chapter) == hash(chapter.model_copy())


def test_not_loaded_cannot_be_parsed_from_input() -> None:
    class Holder(DTO):
        ref: WriterRef | NotLoaded

    with pytest.raises(ValidationError):
        Holder.model_validate({"ref": None})
    assert Holder.model_validate({"ref": {"id": 1, "name": "a"}}).ref == WriterRef(id=1, name="a")
