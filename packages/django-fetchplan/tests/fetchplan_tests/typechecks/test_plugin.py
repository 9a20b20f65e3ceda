"""The ``fetchplan.mypy`` plugin: every rule fails on a wrong plan with its exact message.

Each snippet is type-checked by mypy with the library's configuration (its pyproject enables
the plugin next to the django and pydantic ones). A line marked ``# E: <code>`` must produce
exactly that error and every other line none; ``MESSAGES`` pins each error's full text, so a
message that stops saying what to change fails here. The first snippets are the positive
controls: correct plans, and what the plugin cannot know, pass silently.
"""

import re
import textwrap
from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api", reason="mypy is not installed in this environment")

LIBRARY = Path(__file__).resolve().parents[3]

HEADER = """\
from typing import Literal
from django.db.models import Count
from fetchplan import Many, One, Plan, fetch_all
from fetchplan.dto import DTO, NotLoaded
from fetchplan_tests.testapp import plans
from fetchplan_tests.testapp.dtos import ChapterDTO, NovelDTO, WriterRef
from fetchplan_tests.testapp.models import Chapter, Novel, Writer
"""

SNIPPETS = {
    "correct_plans_pass": """
        class Card(DTO):
            id: int
            title: str
            writer_name: str
            country: str | None
            chapter_count: int
            writer: WriterRef | NotLoaded
            chapters: tuple[ChapterDTO, ...] | NotLoaded
            labels: tuple[str, ...]

        CARD = Plan(
            Novel,
            Card,
            fields={
                "writer_name": "writer__name",
                "country": "writer__country__name",
                "chapter_count": Count("chapters"),
            },
            relations={
                "writer": One(plans.WRITER_REF),
                "chapters": Many(plans.CHAPTER, order_by=("-number", "novel__title"), limit=2),
                "labels": Many(scalar="name", order_by=("name",)),
            },
        )
        WITH_MORE = plans.NOVEL.with_fields(writer_name="writer__name")
    """,
    "inferred_nested_plans_pass": """
        from fetchplan_tests.testapp.dtos import WriterClubs

        CLUBS = Plan(
            Writer,
            WriterClubs,
            relations={"clubs": Many(order_by=("name",)), "mentor": One(), "mentees": Many()},
        )
    """,
    "many_over_several_hops_passes": """
        class WriterLabels(DTO):
            id: int
            labels: tuple[str, ...]

        LABELS = Plan(
            Writer,
            WriterLabels,
            relations={"labels": Many(scalar="name", source="novels__labels", distinct=True)},
        )
    """,
    "through_fields_and_through_orderings_pass": """
        from fetchplan_tests.testapp.models import Club

        class Member(DTO):
            id: int
            name: str
            role: str

        class Members(DTO):
            id: int
            members: tuple[Member, ...]

        MEMBERS = Plan(
            Club,
            Members,
            relations={
                "members": Many(
                    through_fields={"role": "role"}, order_by=("-through__role", "name")
                )
            },
        )
    """,
    "through_field_not_on_the_element_dto": """
        from fetchplan_tests.testapp.models import Club

        class Members(DTO):
            id: int
            members: tuple[WriterRef, ...]

        BAD = Plan(
            Club,
            Members,
            relations={"members": Many(through_fields={"role": "role"})},  # E: plan-field
        )
    """,
    "through_column_that_does_not_exist": """
        from fetchplan_tests.testapp.models import Club

        class Member(DTO):
            id: int
            role: str

        class Members(DTO):
            id: int
            members: tuple[Member, ...]

        BAD = Plan(
            Club,
            Members,
            relations={"members": Many(through_fields={"role": "rloe"})},  # E: plan-path
        )
    """,
    "through_column_of_another_type": """
        from fetchplan_tests.testapp.models import Club

        class Member(DTO):
            id: int
            role: int

        class Members(DTO):
            id: int
            members: tuple[Member, ...]

        BAD = Plan(
            Club,
            Members,
            relations={"members": Many(through_fields={"role": "role"})},  # E: plan-type
        )
    """,
    "through_ordering_misspelt": """
        from fetchplan_tests.testapp.models import Club

        class Members(DTO):
            id: int
            members: tuple[WriterRef, ...]

        BAD = Plan(
            Club,
            Members,
            relations={"members": Many(order_by=("through__rloe",))},  # E: plan-path
        )
    """,
    "through_columns_of_a_relation_without_a_through_model": """
        class Row(DTO):
            id: int
            name: str

        class Dto(DTO):
            id: int
            labels: tuple[Row, ...]

        BAD = Plan(
            Novel,
            Dto,
            relations={"labels": Many(order_by=("through__id",))},  # E: plan-relation
        )
    """,
    "through_fields_over_several_hops": """
        class Row(DTO):
            id: int
            name: str

        class Dto(DTO):
            id: int
            labels: tuple[Row, ...]

        BAD = Plan(
            Writer,
            Dto,
            relations={
                "labels": Many(  # E: plan-relation
                    source="novels__labels", through_fields={"name": "name"}
                )
            },
        )
    """,
    "load_takes_its_kind_from_the_field": """
        from fetchplan import Load

        class Card(DTO):
            id: int
            writer: WriterRef
            chapters: tuple[ChapterDTO, ...]
            labels: tuple[str, ...] | NotLoaded

        CARD = Plan(
            Novel,
            Card,
            relations={
                "writer": Load(),
                "chapters": Load(order_by=("-number",), limit=2),
                "labels": Load(scalar="name", order_by=("name",)),
            },
        )
    """,
    "load_with_to_many_options_on_a_to_one_field": """
        from fetchplan import Load

        class Dto(DTO):
            id: int
            writer: WriterRef

        BAD = Plan(
            Novel,
            Dto,
            relations={"writer": Load(order_by=("name",), limit=1)},  # E: plan-relation
        )
    """,
    "load_into_a_tuple_over_a_to_one_relation": """
        from fetchplan import Load

        class Dto(DTO):
            id: int
            writer: tuple[WriterRef, ...]

        BAD = Plan(Novel, Dto, relations={"writer": Load()})  # E: plan-relation
    """,
    "load_into_a_single_dto_over_a_to_many_relation": """
        from fetchplan import Load

        class Dto(DTO):
            id: int
            chapters: ChapterDTO | None

        BAD = Plan(Novel, Dto, relations={"chapters": Load()})  # E: plan-relation
    """,
    "load_order_by_is_checked": """
        from fetchplan import Load

        class Dto(DTO):
            id: int
            chapters: tuple[ChapterDTO, ...]

        BAD = Plan(
            Novel,
            Dto,
            relations={"chapters": Load(order_by=("nmuber",))},  # E: plan-path
        )
    """,
    "what_the_plugin_cannot_know_passes": """
        class Loose(DTO):
            id: int
            title: Literal["a", "b"]
            writer_name: str

        SOURCES = {"writer_name": "writer__name"}
        A = Plan(Novel, Loose, fields=SOURCES)
        B = Plan(Novel, Loose, fields={"writer_name": Count("chapters")})  # run time judges it
        C = Plan(Novel, Loose, fields={**SOURCES})
    """,
    "schema_variants_pass": """
        import uuid
        from fetchplan_tests.testapp.models import Anthology, ClassicNovel, Imprint, Label

        class Aliases(DTO):
            id: int
            aliases: tuple[str, ...]  # a foreign key to Label.name (to_field)

        class EditionLine(DTO):
            code: str
            year: int | None

        class Editions(DTO):
            id: uuid.UUID
            editions: tuple[EditionLine, ...]  # Meta.ordering with an expression

        class AnthologyRow(DTO):
            id: int
            title: str
            editor: str
            writer_name: str

        ALIASES = Plan(Label, Aliases, relations={"aliases": Many(scalar="text")})
        EDITIONS = Plan(Imprint, Editions, relations={"editions": Many()})
        ANTHOLOGIES = Plan(Anthology, AnthologyRow, fields={"writer_name": "writer__name"})
        class ClassicRow(DTO):
            id: int
            title: str
            labels: tuple[str, ...]

        CLASSICS = Plan(ClassicNovel, ClassicRow, relations={"labels": Many(scalar="name")})
    """,
    "generic_relations_are_refused": """
        from fetchplan_tests.testapp.models import Label, Remark

        class RemarkText(DTO):
            text: str

        class LabelRemarks(DTO):
            id: int
            remarks: tuple[RemarkText, ...]

        class RemarkTarget(DTO):
            text: str
            target_id: int

        class NovelRemarks(DTO):
            id: int
            remarks: tuple[str, ...]

        BAD = Plan(Label, LabelRemarks, relations={"remarks": Many()})  # E: plan-relation
        PATH = Plan(Remark, RemarkTarget, fields={"target_id": "target__id"})  # E: plan-path
        VIA = Plan(
            Novel,
            NovelRemarks,
            relations={"remarks": Many(scalar="text", source="labels__remarks")},  # E: plan-path
        )
        ORDER = Plan(
            Novel,
            NovelRemarks,
            relations={
                "remarks": Many(
                    scalar="name", source="labels", order_by=("remarks__target__x",)  # E: plan-path
                )
            },
        )
    """,
    "ordering_through_a_to_many_relation": """
        class NovelLine(DTO):
            title: str

        class WriterNovels(DTO):
            id: int
            novels: tuple[NovelLine, ...]

        BAD = Plan(
            Writer,
            WriterNovels,
            relations={"novels": Many(order_by=("-labels__name", "title"))},  # E: plan-path
        )
    """,
    "field_type_does_not_accept_the_column": """
        class Dto(DTO):
            id: int
            title: int

        BAD = Plan(Novel, Dto)  # E: plan-type
    """,
    "nullable_path_into_str": """
        class Dto(DTO):
            id: int
            country: str

        BAD = Plan(Writer, Dto, fields={"country": "country__name"})  # E: plan-type
    """,
    "nullable_column_into_int": """
        class Dto(DTO):
            id: int
            born: int

        BAD = Plan(Writer, Dto)  # E: plan-type
    """,
    "misspelt_path": """
        class Dto(DTO):
            id: int
            writer_name: str

        BAD = Plan(Novel, Dto, fields={"writer_name": "writer__nmae"})  # E: plan-path
    """,
    "path_through_a_to_many_relation": """
        class Dto(DTO):
            id: int
            words: int

        BAD = Plan(Novel, Dto, fields={"words": "chapters__words"})  # E: plan-path
    """,
    "fields_key_not_on_the_dto": """
        class Dto(DTO):
            id: int

        BAD = Plan(Novel, Dto, fields={"titel": "title"})  # E: plan-field
    """,
    "dto_field_without_a_source": """
        class Dto(DTO):
            id: int
            subtitle: str

        BAD = Plan(Novel, Dto)  # E: plan-field
    """,
    "relations_key_not_on_the_dto": """
        class Dto(DTO):
            id: int

        BAD = Plan(Novel, Dto, relations={"writer": One(plans.WRITER_REF)})  # E: plan-field
    """,
    "one_on_a_to_many_relation": """
        class Dto(DTO):
            id: int
            chapters: ChapterDTO | None

        BAD = Plan(Novel, Dto, relations={"chapters": One(plans.CHAPTER)})  # E: plan-relation
    """,
    "many_on_a_to_one_relation": """
        class Dto(DTO):
            id: int
            writer: tuple[WriterRef, ...]

        BAD = Plan(Novel, Dto, relations={"writer": Many(plans.WRITER_REF)})  # E: plan-relation
    """,
    "relation_on_a_column": """
        class Dto(DTO):
            id: int
            title: WriterRef

        BAD = Plan(Novel, Dto, relations={"title": One(plans.WRITER_REF)})  # E: plan-relation
    """,
    "relation_that_does_not_exist": """
        class Dto(DTO):
            id: int
            author: WriterRef

        BAD = Plan(Novel, Dto, relations={"author": One(plans.WRITER_REF)})  # E: plan-path
    """,
    "nested_plan_over_another_model": """
        class Dto(DTO):
            id: int
            chapters: tuple[WriterRef, ...]

        BAD = Plan(Novel, Dto, relations={"chapters": Many(plans.WRITER_REF)})  # E: plan-relation
    """,
    "nested_plan_builds_a_dto_the_field_does_not_hold": """
        class Dto(DTO):
            id: int
            writer: ChapterDTO

        BAD = Plan(Novel, Dto, relations={"writer": One(plans.WRITER_REF)})  # E: plan-relation
    """,
    "many_into_a_field_that_is_no_tuple": """
        class Dto(DTO):
            id: int
            chapters: list[ChapterDTO]

        BAD = Plan(Novel, Dto, relations={"chapters": Many(plans.CHAPTER)})  # E: plan-relation
    """,
    "nullable_to_one_relation_into_a_non_optional_field": """
        class Dto(DTO):
            id: int
            mentor: WriterRef

        BAD = Plan(Writer, Dto, relations={"mentor": One(plans.WRITER_REF)})  # E: plan-type
    """,
    "relation_typed_without_not_loaded_left_out": """
        class Dto(DTO):
            id: int
            writer: WriterRef

        BAD = Plan(Novel, Dto)  # E: plan-relation
    """,
    "order_by_a_field_the_related_model_lacks": """
        class Dto(DTO):
            id: int
            chapters: tuple[ChapterDTO, ...]

        BAD = Plan(
            Novel,
            Dto,
            relations={"chapters": Many(plans.CHAPTER, order_by=("-nmuber",))},  # E: plan-path
        )
    """,
    "scalar_column_that_does_not_exist": """
        class Dto(DTO):
            id: int
            labels: tuple[str, ...]

        BAD = Plan(Novel, Dto, relations={"labels": Many(scalar="nmae")})  # E: plan-path
    """,
    "scalar_column_of_another_type": """
        class Dto(DTO):
            id: int
            labels: tuple[int, ...]

        BAD = Plan(Novel, Dto, relations={"labels": Many(scalar="name")})  # E: plan-type
    """,
    "with_fields_is_checked": """
        BAD = plans.NOVEL.with_fields(writer_name="writer__born")  # E: plan-type
        WORSE = plans.NOVEL.with_fields(nope="title")  # E: plan-field
    """,
    "fetch_over_another_models_queryset": """
        rows = fetch_all(plans.NOVEL, Writer.objects.all())  # E: plan-model
    """,
    "with_dto_may_only_narrow": """
        class Wider(NovelDTO):
            title: str | None  # type: ignore[assignment]

        class Extra(DTO):
            id: int
            blurb: str

        A = plans.NOVEL.with_dto(Wider)  # E: plan-type
        B = plans.NOVEL.with_dto(Extra)  # E: plan-field
    """,
    "inferred_nested_plan_lacks_a_source": """
        class Card(DTO):
            id: int
            novels: tuple[NovelDTO, ...]

        BAD = Plan(Writer, Card, relations={"novels": Many()})  # E: plan-field
    """,
    "nested_plan_that_cannot_be_inferred": """
        class Dto(DTO):
            id: int
            labels: tuple[str, ...]

        BAD = Plan(Novel, Dto, relations={"labels": Many(order_by=("name",))})  # E: plan-relation
    """,
    "one_through_several_hops": """
        class Dto(DTO):
            id: int
            tags: WriterRef

        B = Plan(Writer, Dto, relations={"tags": One(source="novels__labels")})  # E: plan-relation
    """,
    "limit_over_several_hops": """
        class Dto(DTO):
            id: int
            tags: tuple[str, ...]

        B = Plan(
            Writer,
            Dto,
            relations={
                "tags": Many(scalar="name", source="novels__labels", limit=2),  # E: plan-relation
            },
        )
    """,
    "with_relations_is_checked": """
        BAD = plans.NOVEL.with_relations(chapters=One(plans.CHAPTER))  # E: plan-relation
    """,
}

# The full text of each error, in line order, for the snippets that expect errors.
_GENERIC = (
    "which plans cannot follow (they follow foreign keys, one-to-one and many-to-many "
    "relations and their reverses, not generic relations or multi-column foreign objects); "
    "load those rows with a plan over their own model"
)

MESSAGES = {
    "ordering_through_a_to_many_relation": [
        "Many() filling WriterNovels.novels orders Novel rows by '-labels__name', which goes "
        "through the to-many relation 'labels': each row would come once per related row. "
        "Order by columns of Novel or through its to-one relations"
    ],
    "generic_relations_are_refused": [
        f"Many() fills LabelRemarks.remarks, but 'remarks' is a GenericRelation, {_GENERIC}",
        f"RemarkTarget.target_id: path 'target__id': 'target' is a GenericForeignKey, {_GENERIC}; "
        "fix the path in fields=",
        "Many() fills NovelRemarks.remarks through 'labels__remarks', but 'remarks' is a "
        f"GenericRelation, {_GENERIC}",
        "Many() filling NovelRemarks.remarks orders Label rows by 'remarks__target__x': 'target' "
        "is a GenericForeignKey, which order_by cannot follow. Name fields of Label in order_by=",
    ],
    "field_type_does_not_accept_the_column": [
        'Dto.title: column \'title\' holds "str", the field is "int". Change the field\'s type '
        "(X | None when the source can be NULL) or its source"
    ],
    "nullable_path_into_str": [
        "Dto.country: column 'country__name' can be NULL, the field does not accept None. "
        "Change the field's type (X | None when the source can be NULL) or its source"
    ],
    "nullable_column_into_int": [
        "Dto.born: column 'born' can be NULL, the field does not accept None. "
        "Change the field's type (X | None when the source can be NULL) or its source"
    ],
    "misspelt_path": [
        "Dto.writer_name: Writer has no field or relation 'nmae' (path 'writer__nmae'); "
        "fix the path in fields="
    ],
    "path_through_a_to_many_relation": [
        "Dto.words: path 'chapters__words' goes through 'chapters', which is not a to-one "
        "relation (to-many data needs Many()); fix the path in fields="
    ],
    "fields_key_not_on_the_dto": [
        "Dto has no field 'titel': fields= keys name DTO fields (add 'titel' to Dto, or "
        "remove it here)"
    ],
    "dto_field_without_a_source": [
        "Dto.subtitle has no source: Novel has no column 'subtitle'. Add "
        "fields={'subtitle': 'relation__field'} or an expression, or a relation in relations="
    ],
    "relations_key_not_on_the_dto": [
        "Dto has no field 'writer': relations= keys name DTO fields (add 'writer' to Dto, or "
        "remove it here)"
    ],
    "one_on_a_to_many_relation": [
        "One() fills Dto.chapters, but Novel.chapters is a to-many relation: use Many()"
    ],
    "many_on_a_to_one_relation": [
        "Many() fills Dto.writer, but Novel.writer is a to-one relation: use One()"
    ],
    "relation_on_a_column": [
        "One() fills Dto.title, but 'title' is a column of Novel, not a relation: list it in "
        "fields= (or leave it out) instead"
    ],
    "relation_that_does_not_exist": [
        "One() fills Dto.author, but Novel has no relation 'author': name an existing "
        "relation, or set source="
    ],
    "nested_plan_over_another_model": [
        "Many() fills Dto.chapters with a plan of Writer, but Novel.chapters leads to "
        "Chapter: give it a plan of Chapter"
    ],
    "nested_plan_builds_a_dto_the_field_does_not_hold": [
        'Dto.writer does not accept "WriterRef", which the nested plan builds: change the '
        "field's type or the plan"
    ],
    "many_into_a_field_that_is_no_tuple": [
        "Dto.chapters must be typed tuple[X, ...] to hold Many()"
    ],
    "nullable_to_one_relation_into_a_non_optional_field": [
        "Dto.mentor: relation 'mentor' can be empty but the field does not accept None: "
        "type it `X | None`"
    ],
    "relation_typed_without_not_loaded_left_out": [
        "Dto.writer is a relation typed without NotLoaded, but the plan does not load it: "
        "add relations={'writer': One(...)} or type it `X | NotLoaded`"
    ],
    "order_by_a_field_the_related_model_lacks": [
        "Many() filling Dto.chapters orders Chapter rows by '-nmuber': Chapter has no field "
        "or relation 'nmuber'. Name fields of Chapter in order_by="
    ],
    "scalar_column_that_does_not_exist": [
        "Many(scalar=...) filling Dto.labels: Label has no field or relation 'nmae' (path 'nmae')"
    ],
    "scalar_column_of_another_type": [
        'Dto.labels: column \'name\' of Label holds "str", the elements are "int". Change '
        "the element type or scalar="
    ],
    "with_fields_is_checked": [
        'NovelDTO.writer_name: column \'writer__born\' holds "int", the field is "str"; '
        "column 'writer__born' can be NULL, the field does not accept None. Change the "
        "field's type (X | None when the source can be NULL) or its source",
        "NovelDTO has no field 'nope': fields= keys name DTO fields (add 'nope' to NovelDTO, "
        "or remove it here)",
    ],
    "fetch_over_another_models_queryset": [
        "fetch_all() runs a plan of Novel over a queryset of Writer: pass Novel rows "
        "(Novel.objects...), or a plan of Writer"
    ],
    "with_dto_may_only_narrow": [
        'with_dto(Wider): Wider.title is "str | None", not "str" or narrower (as in '
        "NovelDTO): a DTO for with_dto() may only narrow fields, such as `X | NotLoaded` to `X`",
        "with_dto(Extra): Extra.blurb is not a field of NovelDTO, so the plan has no source "
        "for it: add it to NovelDTO and the plan first",
    ],
    "inferred_nested_plan_lacks_a_source": [
        "In the plan Many() infers for Card.novels (Plan(Novel, NovelDTO)): NovelDTO.chapter_count"
        " has no source: Novel has no column 'chapter_count'. Add "
        "fields={'chapter_count': 'relation__field'} or an expression, or a relation in relations=",
        "In the plan Many() infers for Card.novels (Plan(Novel, NovelDTO)): NovelDTO.writer_name"
        " has no source: Novel has no column 'writer_name'. Add "
        "fields={'writer_name': 'relation__field'} or an expression, or a relation in relations=",
    ],
    "nested_plan_that_cannot_be_inferred": [
        "Many() fills Dto.labels with no plan, and none can be inferred: type the field "
        "tuple[X, ...] with one DTO class X, or give the plan or scalar="
    ],
    "one_through_several_hops": [
        "One() fills Dto.tags through 'novels__labels', which reaches many rows per parent: "
        "use Many()"
    ],
    "limit_over_several_hops": [
        "Many() fills Dto.tags through 'novels__labels': a relation over several hops takes no "
        "limit= (filter= and order_by= work)"
    ],
    "through_field_not_on_the_element_dto": [
        "In the plan Many() infers for Members.members (Plan(Writer, WriterRef)): WriterRef has "
        "no field 'role': through_fields= keys name fields of the element DTO (add 'role' to "
        "WriterRef, or remove it here)"
    ],
    "through_column_that_does_not_exist": [
        "In the plan Many() infers for Members.members (Plan(Writer, Member)): Member.role: "
        "through_fields names 'rloe', which the through model Membership does not have: name "
        "one of 'id', 'club', 'writer', 'role'"
    ],
    "through_column_of_another_type": [
        "In the plan Many() infers for Members.members (Plan(Writer, Member)): Member.role: "
        'through column \'role\' holds "str", the field is "int". Change the field\'s type '
        "(X | None when the source can be NULL) or its source"
    ],
    "through_ordering_misspelt": [
        "Many() filling Members.members orders by 'through__rloe', but the through model "
        "Membership has no column 'rloe': name one of 'through__id', 'through__club', "
        "'through__writer', 'through__role'"
    ],
    "through_columns_of_a_relation_without_a_through_model": [
        "Many() fills Dto.labels with through columns, but 'labels' has no through model of its "
        "own (Django's auto-created table holds no other column): remove through_fields= and "
        "through__ orderings"
    ],
    "through_fields_over_several_hops": [
        "Many() fills Dto.labels through 'novels__labels': a relation over several hops has no "
        "through model to read; remove through_fields="
    ],
    "load_with_to_many_options_on_a_to_one_field": [
        "Load() fills Dto.writer, a to-one field (not tuple[X, ...]), but gives order_by=, "
        "limit=, which only a to-many relation takes: remove order_by=, limit=, or type the "
        "field tuple[X, ...]"
    ],
    "load_into_a_tuple_over_a_to_one_relation": [
        "Load() fills Dto.writer, but Novel.writer is a to-one relation: type the field X or "
        "X | None"
    ],
    "load_into_a_single_dto_over_a_to_many_relation": [
        "Load() fills Dto.chapters, but Novel.chapters is a to-many relation: type the field "
        "tuple[X, ...]"
    ],
    "load_order_by_is_checked": [
        "Many() filling Dto.chapters orders Chapter rows by 'nmuber': Chapter has no field or "
        "relation 'nmuber'. Name fields of Chapter in order_by="
    ],
    "with_relations_is_checked": [
        "One() fills NovelDTO.chapters, but Novel.chapters is a to-many relation: use Many()"
    ],
}

ERROR_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<message>.*)  \[(?P<code>[\w-]+)\]$"
)

Found = dict[str, list[tuple[int, str, str]]]


@pytest.fixture(scope="module")
def mypy_results(tmp_path_factory: pytest.TempPathFactory) -> Found:
    """Type-check every snippet in one mypy run; return each one's (line, code, message)."""
    folder = tmp_path_factory.mktemp("plugin_snippets")
    for name, body in SNIPPETS.items():
        (folder / f"{name}.py").write_text(HEADER + textwrap.dedent(body))
    stdout, stderr, _ = api.run(
        ["--config-file", str(LIBRARY / "pyproject.toml"), "--no-incremental", str(folder)]
    )
    assert not stderr, stderr
    found: Found = {name: [] for name in SNIPPETS}
    for line in stdout.splitlines():
        match = ERROR_LINE.match(line)
        if match:
            entry = (int(match["line"]), match["code"], match["message"])
            found[Path(match["file"]).stem].append(entry)
    return found


def expected_errors(name: str) -> set[tuple[int, str]]:
    source = HEADER + textwrap.dedent(SNIPPETS[name])
    return {
        (number, match[1])
        for number, text in enumerate(source.splitlines(), start=1)
        if (match := re.search(r"# E: ([\w-]+)", text))
    }


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_snippet_type_checks_as_expected(name: str, mypy_results: Found) -> None:
    assert {(line, code) for line, code, _ in mypy_results[name]} == expected_errors(name)
    assert [message for _, _, message in sorted(mypy_results[name])] == MESSAGES.get(name, [])


def test_every_rule_has_a_failing_snippet() -> None:
    codes = {code for name in SNIPPETS for _, code in expected_errors(name)}
    assert codes == {"plan-field", "plan-path", "plan-type", "plan-relation", "plan-model"}
    assert set(MESSAGES) == {name for name in SNIPPETS if expected_errors(name)}
