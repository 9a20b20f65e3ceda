"""Columns of an M2M through model next to the related row: ``Many(through_fields=...)``.

``Club.members`` runs through ``Membership(club, writer, role)``. A plan loading a club's
members may read each membership's columns into the member DTO::

    relations={"members": Many(through_fields={"role": "role"}, order_by=("through__role",))}

``through_fields`` maps fields of the element DTO to columns (or to-one paths) of the through
model; ``order_by`` may name them as ``"through__<column>"``. The child query stays one query:
it already joins the through table to select each row's parent, and Django reuses that join
for the through columns (one row per membership, so the same member in two clubs comes twice,
each with its own role). The nested plan is inferred (``tuple[Member, ...]``: Plan(Writer,
Member) without ``role``), so ``plan=`` and ``scalar=`` are refused with ``through_fields``.
Values strategy only; the checks refuse it elsewhere.
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ManyToManyField, ManyToManyRel, Model

THROUGH = "through__"
"""The prefix that names a through-model column in ``Many(order_by=...)``."""


def through_link(model: type[Model], source: str) -> tuple[type[Model], str] | str:
    """Return the through model of relation ``source`` of ``model`` and the lookup from the
    related model to it (``"membership"``), or a sentence saying why there is none.
    """
    try:
        relation: Any = model._meta.get_field(source)
    except FieldDoesNotExist:
        return f"{model.__name__} has no relation {source!r}"
    if isinstance(relation, ManyToManyField):
        m2m, link_name = relation, relation.m2m_reverse_field_name()
    elif isinstance(relation, ManyToManyRel):
        m2m = relation.field
        link_name = m2m.m2m_field_name()
    else:
        return f"{source!r} is not a many-to-many relation, so it has no through model"
    through: Any = m2m.remote_field.through
    if through._meta.auto_created:
        return (
            f"{source!r} has no through model of its own (Django's auto-created table holds "
            "no other column)"
        )
    link: Any = through._meta.get_field(link_name)
    return through, str(link.related_query_name())


def through_order(order_by: tuple[str, ...], lookup: str) -> tuple[str, ...]:
    """Return ``order_by`` with each ``through__<column>`` spelt as ``<lookup>__<column>``."""
    spelt = []
    for name in order_by:
        sign = "-" if name.startswith("-") else ""
        bare = name.removeprefix("-")
        if bare.startswith(THROUGH):
            bare = f"{lookup}__{bare.removeprefix(THROUGH)}"
        spelt.append(sign + bare)
    return tuple(spelt)


def names_through(order_by: tuple[str, ...]) -> list[str]:
    """Return the through-model columns ``order_by`` names (``through__role`` -> ``role``)."""
    bare = (name.removeprefix("-") for name in order_by)
    return [name.removeprefix(THROUGH) for name in bare if name.startswith(THROUGH)]
