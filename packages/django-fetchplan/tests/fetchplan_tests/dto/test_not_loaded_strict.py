"""NotLoaded is strict: every way of reading it as a value raises; bookkeeping keeps working.

Raises: ``str()``, ``format()`` / f-strings, ``bool()``, ``==`` / ``!=`` against anything but
another NotLoaded, ``len()``, ``in`` (and attribute reads, indexing, iteration: test_base.py).
Works: ``repr()``, hashing, copying, pickling, JSON (the field is omitted), DTO equality.
"""

import copy
import pickle
from collections.abc import Callable

import pytest
from django.template import Context, Engine
from fetchplan.dto import DTO, NotLoaded, RelationNotLoaded

from fetchplan_tests.testapp.dtos import ChapterDTO, WriterRef

PLAN = "'novel (no relations)' (repos/x.py:3)"


def marker() -> NotLoaded:
    return NotLoaded("NovelDTO", "chapters", PLAN)


class Novel(DTO):
    id: int
    writer: WriterRef | NotLoaded
    chapters: tuple[ChapterDTO, ...] | NotLoaded


def novel(*, chapters: tuple[ChapterDTO, ...] | NotLoaded) -> Novel:
    return Novel(id=1, writer=WriterRef(id=2, name="Ann"), chapters=chapters)


@pytest.mark.parametrize(
    ("use", "action"),
    [
        (str, "str()"),
        (lambda v: f"{v}", "formatting it"),
        (lambda v: format(v, ">10"), "formatting it"),
        (lambda v: "%s" % (v,), "str()"),  # noqa: UP031  (the %-formatting path is the point)
        (bool, "testing its truth value"),
        (lambda v: v == (), "comparing it with tuple"),
        (lambda v: () == v, "comparing it with tuple"),  # noqa: SIM300  (the reflected side)
        (lambda v: v == None, "comparing it with NoneType"),  # noqa: E711
        (lambda v: v != [], "comparing it with list"),
        (lambda v: v == 0, "comparing it with int"),
        (len, "len()"),
        (lambda v: "x" in v, "`in`"),
    ],
)
def test_reading_it_as_a_value_raises(use: Callable[[NotLoaded], object], action: str) -> None:
    with pytest.raises(RelationNotLoaded) as raised:
        use(marker())
    message = str(raised.value)
    assert action in message
    assert "NovelDTO.chapters" in message
    assert PLAN in message


def test_comparing_two_not_loaded_values_works() -> None:
    assert marker() == NotLoaded("OtherDTO", "x", "p")
    assert not (marker() != NotLoaded())  # noqa: SIM202  (`!=` itself is under test)


def test_repr_hash_copy_and_pickle_keep_working() -> None:
    value = marker()
    assert repr(value) == f"NotLoaded(NovelDTO.chapters, plan={PLAN})"
    assert hash(value) == hash(NotLoaded())
    assert copy.copy(value) is value
    assert copy.deepcopy(value) is value
    restored = pickle.loads(pickle.dumps(value))
    assert isinstance(restored, NotLoaded)
    assert repr(restored) == repr(value)


def test_dto_equality_never_asks_not_loaded() -> None:
    lacking = novel(chapters=marker())
    also_lacking = novel(chapters=NotLoaded())
    loaded_empty = novel(chapters=())
    assert lacking == also_lacking
    assert lacking != loaded_empty
    assert loaded_empty != lacking
    assert lacking != novel(chapters=(ChapterDTO.model_validate(_CHAPTER),))
    # Nested: a tuple of DTOs whose fields differ in what was loaded.
    assert (lacking,) != (loaded_empty,)
    assert len({lacking, also_lacking, loaded_empty}) == 2


def test_dtos_holding_not_loaded_hash_copy_and_pickle() -> None:
    lacking = novel(chapters=marker())
    assert hash(lacking) == hash(novel(chapters=NotLoaded()))
    assert copy.deepcopy(lacking) == lacking
    assert pickle.loads(pickle.dumps(lacking)) == lacking


def test_json_omits_the_field_without_touching_it() -> None:
    lacking = novel(chapters=marker())
    assert lacking.model_dump() == {"id": 1, "writer": {"id": 2, "name": "Ann"}}
    assert lacking.model_dump_json() == '{"id":1,"writer":{"id":2,"name":"Ann"}}'


@pytest.mark.parametrize(
    "source",
    [
        "{{ novel.chapters }}",
        "{{ novel.chapters|length }}",
        "{{ novel.chapters|default:'none' }}",
        "{% if novel.chapters %}yes{% endif %}",
        "{% for chapter in novel.chapters %}{{ chapter }}{% endfor %}",
    ],
)
def test_templates_raise_instead_of_printing_a_placeholder(source: str) -> None:
    template = Engine().from_string(source)
    with pytest.raises(RelationNotLoaded, match=r"NovelDTO\.chapters"):
        template.render(Context({"novel": novel(chapters=marker())}))


def test_templates_render_loaded_relations() -> None:
    template = Engine().from_string("{{ novel.writer.name }}: {{ novel.chapters|length }}")
    assert template.render(Context({"novel": novel(chapters=())})) == "Ann: 0"


_CHAPTER = {"id": 1, "number": 1, "words": 10, "written": "2020-01-01T00:00:00Z"}
