"""``fetchplan.mypy``: a mypy plugin that checks plans against their model and DTO.

Enable it next to django-stubs' plugin (which it needs: it reads the models Django loads in
the mypy process)::

    [mypy]
    plugins = mypy_django_plugin.main, pydantic.mypy, fetchplan.mypy

It checks every ``Plan(Model, DTO, fields=..., relations=...)`` and every ``with_fields()`` /
``with_relations()`` call: each DTO field has a source, each path exists and walks only
to-one relations, each field's type accepts its column's type and NULL, ``One``/``Many``
match the relation, nested plans run over the related model and build a DTO the field holds,
``Many(order_by=...)`` names fields of the related model; ``fetch_*()`` gets a queryset of the
plan's model; ``with_dto()`` only narrows the DTO's fields. Errors carry the codes of
:mod:`fetchplan.mypy.codes`. What it cannot see (a dict built elsewhere, an expression) it
leaves to the run-time checks (``manage.py check``, first compile), which stay the backstop.
"""

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, override

from mypy.nodes import Expression
from mypy.plugin import (
    FunctionContext,
    FunctionSigContext,
    MethodContext,
    Plugin,
    ReportConfigContext,
)
from mypy.types import FunctionLike, Type

from fetchplan.mypy.calls import FETCH_FUNCTIONS, check_fetch_signature, check_with_dto
from fetchplan.mypy.rules import (
    PLAN,
    check_every_field_has_source,
    check_relations,
    check_sources,
    literal_items,
    target_of,
)


def check_plan_call(ctx: FunctionContext) -> Type:
    """Check ``Plan(Model, DTO, fields=..., relations=...)``."""
    target = target_of(ctx.api, ctx.default_return_type)
    if target is None:
        return ctx.default_return_type
    arguments = dict(zip(ctx.callee_arg_names, ctx.args, strict=False))
    kinds = dict(zip(ctx.callee_arg_names, ctx.arg_kinds, strict=False))
    found: dict[str, tuple[dict[str, tuple[Expression, Expression]], bool]] = {}
    for name in ("fields", "relations"):
        given = arguments.get(name, [])
        if len(given) > 1 or any(kind.is_star() for kind in kinds.get(name, [])):
            found[name] = ({}, False)
        else:
            found[name] = literal_items(given[0] if given else None)
    sources, sources_complete = found["fields"]
    relations, relations_complete = found["relations"]
    check_sources(target, [(name, *nodes) for name, nodes in sources.items()])
    check_relations(target, [(name, *nodes) for name, nodes in relations.items()])
    if sources_complete and relations_complete:
        check_every_field_has_source(target, set(sources), set(relations), ctx.context)
    return ctx.default_return_type


def check_with_fields(ctx: MethodContext) -> Type:
    """Check ``plan.with_fields(name=source, ...)``."""
    target = target_of(ctx.api, ctx.type)
    if target is not None:
        check_sources(target, _keywords(ctx))
    return ctx.default_return_type


def check_with_relations(ctx: MethodContext) -> Type:
    """Check ``plan.with_relations(name=One(...) | Many(...), ...)``."""
    target = target_of(ctx.api, ctx.type)
    if target is not None:
        check_relations(target, _keywords(ctx))
    return ctx.default_return_type


def _keywords(ctx: MethodContext) -> list[tuple[str, Expression, Expression]]:
    return [
        (name, value, value)
        for names, values in zip(ctx.arg_names, ctx.args, strict=True)
        for name, value in zip(names, values, strict=True)
        if name is not None
    ]


class FetchplanPlugin(Plugin):
    """Hooks on the calls that declare plans."""

    @override
    def report_config_data(self, ctx: ReportConfigContext) -> Any:
        # mypy's cache knows the plugin's entry module only: a change in any of its modules
        # (a new rule) must recheck the code, not replay errors cached by the old rules.
        digest = hashlib.sha256()
        for path in sorted(Path(__file__).parent.glob("*.py")):
            digest.update(path.read_bytes())
        return digest.hexdigest()

    @override
    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        return check_plan_call if fullname == PLAN else None

    @override
    def get_function_signature_hook(
        self, fullname: str
    ) -> Callable[[FunctionSigContext], FunctionLike] | None:
        return check_fetch_signature if fullname in FETCH_FUNCTIONS else None

    @override
    def get_method_hook(self, fullname: str) -> Callable[[MethodContext], Type] | None:
        if fullname == f"{PLAN}.with_fields":
            return check_with_fields
        if fullname == f"{PLAN}.with_relations":
            return check_with_relations
        if fullname == f"{PLAN}.with_dto":
            return check_with_dto
        return None


def plugin(version: str) -> type[Plugin]:
    """Return the plugin class (mypy's entry point)."""
    return FetchplanPlugin
