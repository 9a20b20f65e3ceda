"""Validation at first compile: a plan runs only once the checks' rules found nothing wrong.

``Plan.compiled()`` calls :func:`validate` before it resolves a plan, the first time the plan
is fetched, streamed, explained or asked its ``budget()``. So every plan is checked, wherever
it was declared (inside a function, outside any ``repos`` module) and in every process (one
that never ran ``manage.py check``, a gunicorn worker). That is what makes the trusted DTO
constructor safe: it only ever sees rows of a plan whose every field source and type the rules
proved (DTOs of plans they could not prove exactly are validated instead).

The findings are kept on the plan object, so the rules run once per plan.
"""

from typing import Any

from fetchplan.plan.declare import Plan
from fetchplan.plan.errors import IN_NESTED_PLAN, PLAN_REJECTED, PROBLEM_LINE, PlanError
from fetchplan.plan.findings import Findings
from fetchplan.plan.rules import inspect_plan

FINDINGS_KEY = "_findings"


def findings_of(plan: Plan[Any, Any]) -> Findings:
    """Return what the rules find in ``plan`` (computed once per plan object)."""
    findings: Findings | None = plan.__dict__.get(FINDINGS_KEY)
    if findings is None:
        findings = plan.__dict__[FINDINGS_KEY] = inspect_plan(plan)
    return findings


def validate(plan: Plan[Any, Any]) -> Findings:
    """Return the findings of ``plan``, or raise ``PlanError`` listing every problem.

    The message names the plan and where it was declared, then each problem with its check
    id, the way ``manage.py check`` shows it.
    """
    findings = findings_of(plan)
    if findings.errors:
        lines = [
            PROBLEM_LINE.format(
                id=error.id,
                where="" if error.obj == plan.label else IN_NESTED_PLAN.format(plan=error.obj),
                message=error.msg,
                hint=error.hint,
            )
            for error in findings.errors
        ]
        message = PLAN_REJECTED.format(
            plan=plan.label, count=len(findings.errors), problems="\n".join(lines)
        )
        raise PlanError(message, problems=findings.errors)
    return findings
