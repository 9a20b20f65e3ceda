"""The plugin's rules: a plan's DTO, model, ``fields=`` and ``relations=`` must fit together.

They mirror the run-time checks (``fetchplan.plan.field_rules``, ``relation_rules``) on what
mypy can see: literal dicts, string paths, ``One(...)`` / ``Many(...)`` calls and the declared
types of nested plans. Whatever is not literal (a dict built elsewhere, an expression source)
is left to the run-time checks.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mypy.errorcodes import ErrorCode
from mypy.messages import format_type
from mypy.nodes import (
    ARG_NAMED,
    ARG_POS,
    CallExpr,
    Context,
    DictExpr,
    Expression,
    ListExpr,
    RefExpr,
    StrExpr,
    TupleExpr,
    TypeInfo,
)
from mypy.plugin import CheckerPluginInterface
from mypy.subtypes import is_subtype
from mypy.types import Instance, ProperType, TupleType, Type, get_proper_type

from fetchplan.mypy import dtos, schema
from fetchplan.mypy.codes import PLAN_FIELD, PLAN_PATH, PLAN_RELATION, PLAN_TYPE
from fetchplan.plan.through import THROUGH, through_link

PLAN = "fetchplan.plan.declare.Plan"
ONE = "fetchplan.plan.declare.One"
MANY = "fetchplan.plan.declare.Many"
LOAD = "fetchplan.plan.declare.Load"
# The dataclass fields of One and Many, in order: how positional arguments map to names.
RELATION_PARAMETERS = {
    ONE: ("plan", "source"),
    MANY: ("plan", "scalar", "source", "filter", "order_by", "limit", "distinct", "through_fields"),
    LOAD: ("source", "scalar", "filter", "order_by", "limit", "distinct", "through_fields"),
}


Entries = Iterable[tuple[str, Expression, Expression]]
"""``(DTO field name, key node, value node)`` of ``fields=`` / ``relations=`` entries."""


@dataclass(frozen=True)
class Target:
    """A plan's model (run-time class) and DTO (mypy's view), as the rules need them."""

    api: CheckerPluginInterface
    model: Any
    dto: TypeInfo
    fields: dict[str, Type]
    within: str = ""
    """Set for an inferred nested plan: which relation it fills (starts its messages)."""

    @property
    def dto_name(self) -> str:
        return self.dto.name

    @property
    def model_name(self) -> str:
        return str(self.model.__name__)

    def fail(self, message: str, context: Context, code: ErrorCode) -> None:
        self.api.fail(self.within + message, context, code=code)


def target_of(api: CheckerPluginInterface, plan_type: Type) -> Target | None:
    """Return the Target of a ``Plan[M, D]`` type, or None when either side is unknown."""
    proper = get_proper_type(plan_type)
    if not (
        isinstance(proper, Instance) and proper.type.fullname == PLAN and len(proper.args) == 2
    ):
        return None
    model_type, dto_type = (get_proper_type(arg) for arg in proper.args)
    if isinstance(dto_type, TupleType):
        dto_type = dto_type.partial_fallback
    if not (isinstance(model_type, Instance) and isinstance(dto_type, Instance)):
        return None
    model = schema.model_class(model_type.type)
    fields = dtos.dto_fields(dto_type.type)
    if model is None or fields is None:
        return None
    return Target(api, model, dto_type.type, fields)


def plan_sides(plan_type: Type) -> tuple[ProperType, ProperType] | None:
    """Return ``(M, D)`` of a ``Plan[M, D]`` type, or None for any other type."""
    proper = get_proper_type(plan_type)
    if isinstance(proper, Instance) and proper.type.fullname == PLAN and len(proper.args) == 2:
        return get_proper_type(proper.args[0]), get_proper_type(proper.args[1])
    return None


# -- fields= ------------------------------------------------------------------------------------


def literal_items(
    expression: Expression | None,
) -> tuple[dict[str, tuple[Expression, Expression]], bool]:
    """Return a literal dict's string keys with (key, value) nodes, and whether that is all.

    No argument is an empty, complete dict. ``**spread``, computed keys or a dict that is not
    written out make it incomplete: the rule "every DTO field has a source" then stays silent.
    """
    if expression is None:
        return {}, True
    if not isinstance(expression, DictExpr):
        return {}, False
    items: dict[str, tuple[Expression, Expression]] = {}
    complete = True
    for key, value in expression.items:
        if isinstance(key, StrExpr):
            items[key.value] = (key, value)
        else:
            complete = False
    return items, complete


def _dto_field(target: Target, name: str, key: Expression, keyword: str) -> Type | None:
    """Return the DTO's annotation of ``name``; report a ``keyword=`` key it lacks (None)."""
    annotation = target.fields.get(name)
    if annotation is None:
        target.fail(
            f"{target.dto_name} has no field {name!r}: {keyword}= keys name DTO fields "
            f"(add {name!r} to {target.dto_name}, or remove it here)",
            key,
            PLAN_FIELD,
        )
    return annotation


def check_sources(target: Target, sources: Entries) -> None:
    """Check ``fields=`` entries (or ``with_fields()`` keywords): the key, the path, the type."""
    for name, key, value in sources:
        annotation = _dto_field(target, name, key, "fields")
        if annotation is None:
            continue
        if isinstance(value, StrExpr):
            check_path(target, name, annotation, value.value, value)


def check_path(target: Target, name: str, annotation: Type, path: str, context: Context) -> None:
    """Check a field filled from the lookup path ``path``."""
    resolved = schema.resolve_path(target.model, path)
    if isinstance(resolved, str):
        target.fail(
            f"{target.dto_name}.{name}: {resolved}; fix the path in fields=", context, PLAN_PATH
        )
        return
    if schema.is_reverse(resolved.field):
        target.fail(
            f"{target.dto_name}.{name}: path {path!r} ends at the reverse relation "
            f"{resolved.field.name!r}, which is no column; name one of its columns "
            f"('{path}__id') or load it with relations={{{name!r}: One(...)}}",
            context,
            PLAN_PATH,
        )
        return
    what = f"column {path!r}"
    check_type(target, name, annotation, resolved.field, resolved.nullable, what, context)


def check_type(
    target: Target,
    name: str,
    annotation: Type,
    field: Any,
    nullable: bool,
    what: str,
    context: Context,
) -> None:
    """Report a DTO field whose type does not accept the column's values or its NULL."""
    value = schema.column_type(target.api, field)
    problems = []
    if dtos.accepts_value(annotation, value) is False:
        problems.append(
            f"{what} holds {format_type(value, _options(target))}, "
            f"the field is {format_type(annotation, _options(target))}"
        )
    if nullable and not dtos.accepts_none(annotation):
        problems.append(f"{what} can be NULL, the field does not accept None")
    if problems:
        target.fail(
            f"{target.dto_name}.{name}: {'; '.join(problems)}. Change the field's type "
            "(X | None when the source can be NULL) or its source",
            context,
            PLAN_TYPE,
        )


def _options(target: Target) -> Any:
    return target.api.options


# -- every DTO field has a source ---------------------------------------------------------------


def check_every_field_has_source(
    target: Target, sources: set[str], relations: set[str], context: Context
) -> None:
    """Check the DTO fields that neither ``fields=`` nor ``relations=`` name.

    Such a field is read from the model field of the same name, or is ``NotLoaded`` when its
    type allows it (the run-time rule, ``fetchplan.E001``).
    """
    for name, annotation in target.fields.items():
        if name in sources or name in relations:
            continue
        resolved = schema.resolve_path(target.model, name)
        not_loaded = dtos.mentions_not_loaded(annotation)
        if isinstance(resolved, str):
            if not not_loaded:
                target.fail(
                    f"{target.dto_name}.{name} has no source: {target.model_name} has no column "
                    f"{name!r}. Add fields={{{name!r}: 'relation__field'}} or an expression, "
                    f"or a relation in relations=",
                    context,
                    PLAN_FIELD,
                )
            continue
        field = resolved.field
        if dtos.dto_infos(annotation) and field.is_relation:
            if not not_loaded:
                target.fail(
                    f"{target.dto_name}.{name} is a relation typed without NotLoaded, but the "
                    f"plan does not load it: add relations={{{name!r}: One(...)}} or type it "
                    "`X | NotLoaded`",
                    context,
                    PLAN_RELATION,
                )
            continue
        if schema.is_reverse(field):
            if not not_loaded:
                target.fail(
                    f"{target.dto_name}.{name}: {name!r} is the reverse relation, no column; "
                    f"load it with relations={{{name!r}: One(...)}}",
                    context,
                    PLAN_PATH,
                )
            continue
        what = f"column {name!r}"
        check_type(target, name, annotation, field, resolved.nullable, what, context)


# -- relations= ---------------------------------------------------------------------------------


def relation_arguments(call: CallExpr) -> dict[str, Expression] | None:
    """Return the arguments of a ``One(...)`` / ``Many(...)`` call by name, or None."""
    callee = call.callee
    if not isinstance(callee, RefExpr) or callee.fullname not in RELATION_PARAMETERS:
        return None
    parameters = RELATION_PARAMETERS[callee.fullname]
    arguments: dict[str, Expression] = {}
    for position, (kind, arg_name, value) in enumerate(
        zip(call.arg_kinds, call.arg_names, call.args, strict=True)
    ):
        if kind == ARG_POS and position < len(parameters):
            arguments[parameters[position]] = value
        elif kind == ARG_NAMED and arg_name is not None:
            arguments[arg_name] = value
        else:
            return None  # *args / **kwargs: not literal
    return arguments


def check_relations(
    target: Target, relations: Iterable[tuple[str, Expression, Expression]]
) -> None:
    """Check ``relations=`` entries (or ``with_relations()`` keywords)."""
    for name, key, value in relations:
        annotation = _dto_field(target, name, key, "relations")
        if annotation is None:
            continue
        if isinstance(value, CallExpr):
            check_relation(target, name, annotation, value)


def check_relation(target: Target, name: str, annotation: Type, call: CallExpr) -> None:
    """Check one ``One(...)`` / ``Many(...)``: the relation, its kind, its plan or scalar."""
    arguments = relation_arguments(call)
    if arguments is None:
        return
    assert isinstance(call.callee, RefExpr)
    kind = "One" if call.callee.fullname == ONE else "Many"
    if call.callee.fullname == LOAD:
        resolved = load_kind(target, name, annotation, arguments, call)
        if resolved is None:
            return
        kind = resolved
    source_node = arguments.get("source")
    if source_node is not None and not isinstance(source_node, StrExpr):
        return
    source = source_node.value if isinstance(source_node, StrExpr) else name
    dto_field = f"{target.dto_name}.{name}"
    if "__" in source:
        check_many_path(target, dto_field, kind, annotation, source, arguments, call)
        return
    field = schema.get_field(target.model, source)
    if field is None:
        target.fail(
            f"{kind}() fills {dto_field}, but {target.model_name} has no relation {source!r}: "
            "name an existing relation, or set source=",
            call,
            PLAN_PATH,
        )
        return
    if not field.is_relation:
        target.fail(
            f"{kind}() fills {dto_field}, but {source!r} is a column of {target.model_name}, "
            "not a relation: list it in fields= (or leave it out) instead",
            call,
            PLAN_RELATION,
        )
        return
    why = schema.unfollowable(field)
    if why is not None:
        target.fail(f"{kind}() fills {dto_field}, but {why}", call, PLAN_RELATION)
        return
    to_one = schema.is_to_one(field)
    if (kind == "One") != to_one and call.callee.fullname == LOAD:
        actual, shape = ("to-one", "X or X | None") if to_one else ("to-many", "tuple[X, ...]")
        target.fail(
            f"Load() fills {dto_field}, but {target.model_name}.{source} is a {actual} "
            f"relation: type the field {shape}",
            call,
            PLAN_RELATION,
        )
        return
    if (kind == "One") != to_one:
        actual, use = ("to-one", "One") if to_one else ("to-many", "Many")
        target.fail(
            f"{kind}() fills {dto_field}, but {target.model_name}.{source} is a {actual} "
            f"relation: use {use}()",
            call,
            PLAN_RELATION,
        )
        return
    related = field.related_model
    through: Through | None = None
    if kind == "One":
        if (field.null or not field.concrete) and not dtos.accepts_none(annotation):
            target.fail(
                f"{dto_field}: relation {source!r} can be empty but the field does not accept "
                "None: type it `X | None`",
                call,
                PLAN_TYPE,
            )
        holder = annotation
    else:
        element = dtos.tuple_element(annotation)
        if element is None:
            target.fail(
                f"{dto_field} must be typed tuple[X, ...] to hold Many()", call, PLAN_RELATION
            )
            return
        holder = element
        through = through_checks(target, dto_field, source, arguments, call)
        if through is None:
            return
        check_order_by(target, dto_field, related, arguments.get("order_by"), through.model)
        scalar = arguments.get("scalar")
        if isinstance(scalar, StrExpr):
            check_scalar(target, name, holder, related, scalar)
    plan = arguments.get("plan")
    if plan is not None:
        check_nested_plan(target, dto_field, kind, source, related, holder, plan)
    elif kind == "One" or "scalar" not in arguments:
        provided = through.fields if kind == "Many" and through is not None else {}
        check_inferred_plan(target, dto_field, kind, related, holder, call, provided)


TO_MANY_OPTIONS = ("scalar", "filter", "order_by", "limit", "distinct", "through_fields")


def load_kind(
    target: Target, name: str, annotation: Type, arguments: dict[str, Expression], call: CallExpr
) -> str | None:
    """Return the kind ``Load()`` takes from its field (``tuple[X, ...]``: Many, else One).

    None, with an error, for a to-one field given options only a to-many relation takes.
    """
    if dtos.tuple_element(annotation) is not None:
        return "Many"
    options = [f"{option}=" for option in TO_MANY_OPTIONS if option in arguments]
    if options:
        given = ", ".join(options)
        target.fail(
            f"Load() fills {target.dto_name}.{name}, a to-one field (not tuple[X, ...]), but "
            f"gives {given}, which only a to-many relation takes: remove {given}, or type the "
            "field tuple[X, ...]",
            call,
            PLAN_RELATION,
        )
        return None
    return "One"


def check_many_path(
    target: Target,
    dto_field: str,
    kind: str,
    annotation: Type,
    source: str,
    arguments: dict[str, Expression],
    call: CallExpr,
) -> None:
    """Check a relation whose ``source`` walks several hops (``"novels__labels"``)."""
    current = target.model
    to_many = False
    for part in source.split("__"):
        field = schema.get_field(current, part)
        if field is None or not field.is_relation:
            what = "relation" if field is None else "relation (it is a column)"
            target.fail(
                f"{kind}() fills {dto_field} through {source!r}, but {current.__name__} has no "
                f"{what} {part!r}: fix source=",
                call,
                PLAN_PATH,
            )
            return
        why = schema.unfollowable(field)
        if why is not None:
            message = f"{kind}() fills {dto_field} through {source!r}, but {why}"
            target.fail(message, call, PLAN_PATH)
            return
        to_many = to_many or bool(field.one_to_many or field.many_to_many)
        current = field.related_model
    if kind == "One" or not to_many:
        use = "Many()" if to_many else "One() or a path in fields="
        target.fail(
            f"{kind}() fills {dto_field} through {source!r}, which reaches "
            f"{'many rows' if to_many else 'one row'} per parent: use {use}",
            call,
            PLAN_RELATION,
        )
        return
    element = dtos.tuple_element(annotation)
    if element is None:
        target.fail(f"{dto_field} must be typed tuple[X, ...] to hold Many()", call, PLAN_RELATION)
        return
    if "limit" in arguments:
        target.fail(
            f"Many() fills {dto_field} through {source!r}: a relation over several hops takes "
            "no limit= (filter= and order_by= work)",
            call,
            PLAN_RELATION,
        )
    if "through_fields" in arguments:
        target.fail(
            f"Many() fills {dto_field} through {source!r}: a relation over several hops has "
            "no through model to read; remove through_fields=",
            call,
            PLAN_RELATION,
        )
    check_order_by(target, dto_field, current, arguments.get("order_by"))
    scalar = arguments.get("scalar")
    if isinstance(scalar, StrExpr):
        check_scalar(target, dto_field.partition(".")[2], element, current, scalar)
    plan = arguments.get("plan")
    if plan is not None:
        check_nested_plan(target, dto_field, kind, source, current, element, plan)


def check_order_by(
    target: Target,
    dto_field: str,
    related: Any,
    order_by: Expression | None,
    through: Any = None,
) -> None:
    """Check that ``Many(order_by=...)`` names fields of the related model, or columns of
    the through model as ``through__<column>`` (``through``: that model, when there is one).
    """
    if not isinstance(order_by, (TupleExpr, ListExpr)):
        return
    for item in order_by.items:
        if not isinstance(item, StrExpr) or item.value == "?":
            continue
        bare = item.value.removeprefix("-")
        if bare.startswith(THROUGH) and through is not None:
            column = bare.removeprefix(THROUGH)
            if isinstance(schema.resolve_path(through, column), str):
                names = ", ".join(f"'{THROUGH}{f.name}'" for f in through._meta.concrete_fields)
                target.fail(
                    f"Many() filling {dto_field} orders by {item.value!r}, but the through "
                    f"model {through.__name__} has no column {column!r}: name one of {names}",
                    item,
                    PLAN_PATH,
                )
            continue
        missing = schema.lookup_exists(related, bare)
        if missing is not None:
            target.fail(
                f"Many() filling {dto_field} orders {related.__name__} rows by {item.value!r}: "
                f"{missing}. Name fields of {related.__name__} in order_by=",
                item,
                PLAN_PATH,
            )
            continue
        hop = schema.to_many_hop(related, bare)
        if hop is not None:
            target.fail(
                f"Many() filling {dto_field} orders {related.__name__} rows by {item.value!r}, "
                f"which goes through the to-many relation {hop!r}: each row would come once "
                f"per related row. Order by columns of {related.__name__} or through its "
                "to-one relations",
                item,
                PLAN_PATH,
            )


def check_scalar(target: Target, name: str, element: Type, related: Any, scalar: StrExpr) -> None:
    """Check ``Many(scalar=...)``: the column exists on the related model, its type fits."""
    resolved = schema.resolve_path(related, scalar.value)
    if isinstance(resolved, str):
        target.fail(
            f"Many(scalar=...) filling {target.dto_name}.{name}: {resolved}", scalar, PLAN_PATH
        )
        return
    value = schema.column_type(target.api, resolved.field)
    if dtos.accepts_value(element, value) is False:
        target.fail(
            f"{target.dto_name}.{name}: column {scalar.value!r} of {related.__name__} holds "
            f"{format_type(value, _options(target))}, the elements are "
            f"{format_type(element, _options(target))}. Change the element type or scalar=",
            scalar,
            PLAN_TYPE,
        )


def check_inferred_plan(
    target: Target,
    dto_field: str,
    kind: str,
    related: Any,
    holder: Type,
    call: CallExpr,
    provided: dict[str, tuple[Expression, Any, str]] | None = None,
) -> None:
    """Check the plan inferred for ``One()`` / ``Many()`` given none: ``Plan(related, X)``."""
    candidates = dtos.dto_infos(holder)
    if len(candidates) != 1:
        shape = "X | None" if kind == "One" else "tuple[X, ...]"
        target.fail(
            f"{kind}() fills {dto_field} with no plan, and none can be inferred: type the field "
            f"{shape} with one DTO class X, or give the plan"
            + (" or scalar=" if kind == "Many" else ""),
            call,
            PLAN_RELATION,
        )
        return
    (dto,) = candidates
    fields = dtos.dto_fields(dto)
    if fields is None:
        return
    within = f"In the plan {kind}() infers for {dto_field} (Plan({related.__name__}, {dto.name})): "
    nested = Target(target.api, related, dto, fields, within=within)
    for name, (node, through, column) in (provided or {}).items():
        check_through_field(nested, name, node, through, column)
    check_every_field_has_source(nested, set(provided or {}), set(), call)


# -- through_fields= ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Through:
    """What ``Many(through_fields=...)`` gives the plan it infers."""

    model: Any
    """The through model, or None when the relation reads none."""
    fields: dict[str, tuple[Expression, Any, str]]
    """Element DTO field -> (its node, the through model, the column it is read from)."""


def through_checks(
    target: Target,
    dto_field: str,
    source: str,
    arguments: dict[str, Expression],
    call: CallExpr,
) -> Through | None:
    """Check ``through_fields=`` and ``through__`` orderings of a ``Many``; None if broken.

    They need a many-to-many relation with a through model of its own (the run-time rule,
    ``fetchplan.plan.through_rules``).
    """
    fields = arguments.get("through_fields")
    order_by = arguments.get("order_by")
    ordered = isinstance(order_by, (TupleExpr, ListExpr)) and any(
        isinstance(item, StrExpr) and item.value.removeprefix("-").startswith(THROUGH)
        for item in order_by.items
    )
    if fields is None and not ordered:
        return Through(None, {})
    link = through_link(target.model, source)
    if isinstance(link, str):
        target.fail(
            f"Many() fills {dto_field} with through columns, but {link}: remove "
            "through_fields= and through__ orderings",
            call,
            PLAN_RELATION,
        )
        return None
    model, _ = link
    items, _ = literal_items(fields)
    provided = {}
    for name, (key, value) in items.items():
        if isinstance(value, StrExpr):
            provided[name] = (key, model, value.value)
    return Through(model, provided)


def check_through_field(
    target: Target, name: str, node: Expression, through: Any, column: str
) -> None:
    """Check one ``through_fields=`` entry against the element DTO and the through model."""
    annotation = target.fields.get(name)
    if annotation is None:
        target.fail(
            f"{target.dto_name} has no field {name!r}: through_fields= keys name fields of "
            f"the element DTO (add {name!r} to {target.dto_name}, or remove it here)",
            node,
            PLAN_FIELD,
        )
        return
    resolved = schema.resolve_path(through, column)
    if isinstance(resolved, str):
        names = ", ".join(repr(f.name) for f in through._meta.concrete_fields)
        target.fail(
            f"{target.dto_name}.{name}: through_fields names {column!r}, which the through "
            f"model {through.__name__} does not have: name one of {names}",
            node,
            PLAN_PATH,
        )
        return
    what = f"through column {column!r}"
    check_type(target, name, annotation, resolved.field, resolved.nullable, what, node)


def check_nested_plan(
    target: Target,
    dto_field: str,
    kind: str,
    source: str,
    related: Any,
    holder: Type,
    plan: Expression,
) -> None:
    """Check that the nested plan runs over the related model and builds a DTO the field holds."""
    nested = get_proper_type(target.api.get_expression_type(plan))
    if not (
        isinstance(nested, Instance) and nested.type.fullname == PLAN and len(nested.args) == 2
    ):
        return
    nested_model, nested_dto = (get_proper_type(arg) for arg in nested.args)
    if isinstance(nested_model, Instance) and nested_model.type.fullname != schema.fullname(
        related
    ):
        target.fail(
            f"{kind}() fills {dto_field} with a plan of {nested_model.type.name}, but "
            f"{target.model_name}.{source} leads to {related.__name__}: give it a plan of "
            f"{related.__name__}",
            plan,
            PLAN_RELATION,
        )
        return
    if isinstance(nested_dto, (Instance, TupleType)):
        accepted = dtos.without_not_loaded(holder)
        if accepted and not any(is_subtype(nested_dto, m) for m in accepted):
            target.fail(
                f"{dto_field} does not accept {format_type(nested_dto, _options(target))}, "
                f"which the nested plan builds: change the field's type or the plan",
                plan,
                PLAN_RELATION,
            )
