"""``manage.py plans [--json] [--pretty] [--name TEXT]``: list every registered plan and its SQL.

``--pretty`` lays each statement out over several indented lines with sqlparse (the library's
``pretty`` extra: ``pip install 'django-fetchplan[pretty]'``); without it a statement is one
line, often over 1,000 characters.
"""

import json
from collections.abc import Callable
from typing import Any, override

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fetchplan.plan.errors import PlanError
from fetchplan.plan.explain import explain
from fetchplan.plan.registry import all_plans

BROKEN_PLANS = (
    "{count} plan(s) cannot run; see the problems above (manage.py check lists them too)."
)
PRETTY_NEEDS_SQLPARSE = (
    "--pretty formats SQL with sqlparse, which is not installed: "
    "pip install 'django-fetchplan[pretty]'"
)


def sql_formatter() -> Callable[[str], str]:
    """Return a function that lays SQL out over indented lines; CommandError without sqlparse."""
    try:
        import sqlparse  # optional: only --pretty needs it
    except ImportError as error:
        raise CommandError(PRETTY_NEEDS_SQLPARSE) from error

    def format_sql(sql: str) -> str:
        formatted: str = sqlparse.format(sql, reindent=True, keyword_case="upper")
        return formatted

    return format_sql


class Command(BaseCommand):
    help = (
        "List every registered fetch plan: DTO, model, strategy, query budget and the SQL "
        "statements it runs (with placeholders). Runs no query."
    )

    @override
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON for machines")
        parser.add_argument(
            "--pretty",
            action="store_true",
            help="format each statement over several lines (needs sqlparse: the 'pretty' extra)",
        )
        parser.add_argument("--name", default="", help="only plans whose name contains this text")

    @override
    def handle(self, *args: Any, **options: Any) -> None:
        format_sql = sql_formatter() if options["pretty"] else str
        wanted: str = options["name"]
        explanations = []
        broken = []
        for plan in all_plans():
            if wanted.lower() not in plan.name.lower():
                continue
            try:
                explanations.append(explain(plan))
            except PlanError as exc:  # listed after the others: one broken plan hides none
                broken.append(str(exc))
        if options["json"]:
            data = [e.as_dict() for e in explanations]
            for entry in data:
                for statement in entry["statements"]:
                    statement["sql"] = format_sql(statement["sql"])
                    for key in ("few_parents_sql", "one_parent_sql"):
                        if statement[key] is not None:
                            statement[key] = format_sql(statement[key])
            self.stdout.write(json.dumps(data, indent=2))
        else:
            for explanation in explanations:
                self.stdout.write(explanation.as_text(format_sql=format_sql))
                self.stdout.write("")
            self.stdout.write(f"{len(explanations)} plan(s).")
        for message in broken:
            self.stderr.write(message)
        if broken:
            raise CommandError(BROKEN_PLANS.format(count=len(broken)))
