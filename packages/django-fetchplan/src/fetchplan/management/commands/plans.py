"""``manage.py plans [--json] [--name TEXT]``: list every registered fetch plan and its SQL."""

import json
from typing import Any, override

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fetchplan.plan.errors import PlanError
from fetchplan.plan.explain import explain
from fetchplan.plan.registry import all_plans

BROKEN_PLANS = (
    "{count} plan(s) cannot run; see the problems above (manage.py check lists them too)."
)


class Command(BaseCommand):
    help = (
        "List every registered fetch plan: DTO, model, strategy, query budget and the SQL "
        "statements it runs (with placeholders). Runs no query."
    )

    @override
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON for machines")
        parser.add_argument("--name", default="", help="only plans whose name contains this text")

    @override
    def handle(self, *args: Any, **options: Any) -> None:
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
            self.stdout.write(json.dumps([e.as_dict() for e in explanations], indent=2))
        else:
            for explanation in explanations:
                self.stdout.write(str(explanation))
                self.stdout.write("")
            self.stdout.write(f"{len(explanations)} plan(s).")
        for message in broken:
            self.stderr.write(message)
        if broken:
            raise CommandError(BROKEN_PLANS.format(count=len(broken)))
