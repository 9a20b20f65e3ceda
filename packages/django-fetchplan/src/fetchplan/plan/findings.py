"""What checking a plan finds: its problems, and which DTOs the rules could not prove.

Shared by the rule modules; a :class:`Scope` is one plan of the tree being checked.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core import checks

from fetchplan.plan.declare import Plan


@dataclass
class Findings:
    """The result of checking a plan and every plan nested in it."""

    errors: list[checks.CheckMessage] = field(default_factory=list)
    unproven: "set[Plan[Any, Any]]" = field(default_factory=set)
    """Plans with a field whose value the rules could not prove to have the field's exact type
    (a ``Literal``, an ``int`` column into a ``float`` field, a column type the rules do not
    know): their DTOs are built with pydantic validation instead of the trusted constructor."""


@dataclass
class Scope:
    """One plan of the tree being checked, and where its findings go."""

    plan: Plan[Any, Any]
    findings: Findings

    @property
    def dto_name(self) -> str:
        """The DTO class's name, as messages show it."""
        return str(getattr(self.plan.dto, "__name__", self.plan.dto))

    @property
    def model_name(self) -> str:
        """The model class's name, as messages show it."""
        return str(getattr(self.plan.model, "__name__", self.plan.model))

    def error(self, check_id: str, message: str, hint: str) -> None:
        """Record a problem of this plan."""
        error = checks.Error(message, hint=hint, obj=self.plan.label, id=check_id)
        self.findings.errors.append(error)

    def doubt(self) -> None:
        """Record that this plan's DTO must be validated when built."""
        self.findings.unproven.add(self.plan)
