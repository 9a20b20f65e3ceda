"""Rules on calls that use a plan: ``fetch_*()`` over a queryset, ``with_dto()``.

A queryset of another model than the plan's is reported naming both models (mypy alone says
``Cannot infer value of type parameter "M"``). ``with_dto(Richer)`` may only narrow the plan's
DTO: the same fields, each typed as the old one or narrower (``X | NotLoaded`` to ``X``); the
run-time check at first compile then proves the plan loads what ``Richer`` promises.
"""

from mypy.messages import format_type
from mypy.nodes import TypeInfo
from mypy.plugin import FunctionSigContext, MethodContext
from mypy.subtypes import is_subtype
from mypy.types import AnyType, CallableType, Instance, Type, TypeOfAny, get_proper_type

from fetchplan.mypy import dtos
from fetchplan.mypy.codes import PLAN_FIELD, PLAN_MODEL, PLAN_TYPE
from fetchplan.mypy.rules import plan_sides

FETCH_FUNCTIONS = frozenset(
    {f"fetchplan.plan.run.{name}" for name in ("fetch_all", "fetch_one", "fetch_first", "stream")}
    | {
        f"fetchplan.plan.arun.{name}"
        for name in ("afetch_all", "afetch_one", "afetch_first", "astream")
    }
)
QUERYSETS = frozenset({"django.db.models.query.QuerySet", "django.db.models.query._QuerySet"})


def queryset_model(queryset: Type) -> Instance | None:
    """Return the model type of a ``QuerySet[M, ...]`` (or a subclass), else None."""
    proper = get_proper_type(queryset)
    if not isinstance(proper, Instance):
        return None
    for base in proper.type.mro:
        if base.fullname in QUERYSETS:
            from mypy.maptype import map_instance_to_supertype

            args = map_instance_to_supertype(proper, base).args
            model = get_proper_type(args[0]) if args else None
            return model if isinstance(model, Instance) else None
    return None


def check_fetch_signature(ctx: FunctionSigContext) -> CallableType:
    """Report a plan fetched over another model's queryset; then let inference go on.

    The queryset parameter is loosened to ``Any`` for that call only, so the one error is
    this plugin's, which names both models, instead of mypy's inference failure.
    """
    signature = ctx.default_signature
    if len(ctx.args) < 2 or len(ctx.args[0]) != 1 or len(ctx.args[1]) != 1:
        return signature
    sides = plan_sides(ctx.api.get_expression_type(ctx.args[0][0]))
    model = queryset_model(ctx.api.get_expression_type(ctx.args[1][0]))
    if sides is None or model is None or not isinstance(sides[0], Instance):
        return signature
    plan_model = sides[0]
    if _same_model(model, plan_model):
        return signature
    name = (signature.name or "fetch").split(" ")[0]
    ctx.api.fail(
        f"{name}() runs a plan of {plan_model.type.name} over a queryset of "
        f"{model.type.name}: pass {plan_model.type.name} rows "
        f"({plan_model.type.name}.objects...), or a plan of {model.type.name}",
        ctx.context,
        code=PLAN_MODEL,
    )
    arg_types = list(signature.arg_types)
    arg_types[1] = AnyType(TypeOfAny.from_error)
    return signature.copy_modified(arg_types=arg_types)


def check_with_dto(ctx: MethodContext) -> Type:
    """Check ``plan.with_dto(Richer)``: Richer only narrows the plan's DTO fields."""
    sides = plan_sides(ctx.type)
    new = plan_sides(ctx.default_return_type)
    if sides is None or new is None:
        return ctx.default_return_type
    old_info, new_info = _info(sides[1]), _info(new[1])
    if old_info is None or new_info is None:
        return ctx.default_return_type
    old_fields, new_fields = dtos.dto_fields(old_info), dtos.dto_fields(new_info)
    if old_fields is None or new_fields is None:
        return ctx.default_return_type
    options = ctx.api.options
    for name, annotation in new_fields.items():
        if name not in old_fields:
            ctx.api.fail(
                f"with_dto({new_info.name}): {new_info.name}.{name} is not a field of "
                f"{old_info.name}, so the plan has no source for it: add it to "
                f"{old_info.name} and the plan first",
                ctx.context,
                code=PLAN_FIELD,
            )
        elif not is_subtype(annotation, old_fields[name]):
            ctx.api.fail(
                f"with_dto({new_info.name}): {new_info.name}.{name} is "
                f"{format_type(annotation, options)}, not {format_type(old_fields[name], options)}"
                f" or narrower (as in {old_info.name}): a DTO for with_dto() may only narrow "
                "fields, such as `X | NotLoaded` to `X`",
                ctx.context,
                code=PLAN_TYPE,
            )
    return ctx.default_return_type


def _same_model(model: Instance, plan_model: Instance) -> bool:
    """True for the plan's model, a subclass, or ``annotate()``'s ``Model@AnnotatedWith``."""
    if model.type.has_base(plan_model.type.fullname) or is_subtype(model, plan_model):
        return True
    return any(_same_model(base, plan_model) for base in model.type.bases)


def _info(dto: Type) -> TypeInfo | None:
    proper = get_proper_type(dto)
    if isinstance(proper, Instance):
        return proper.type
    return None
