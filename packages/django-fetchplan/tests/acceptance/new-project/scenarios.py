"""Run inside the generated project (``python scenarios.py``); print what happened as JSON.

It seeds a few rows, then uses the installed library the way the project's code would; the
acceptance test asserts on the JSON.
"""

import datetime
import importlib.metadata
import json
import os
import re
import sys
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetsite.settings")

import django

django.setup()

import fetchplan
from clinic import reports, repos, services
from clinic.models import Owner, Pet, Visit
from fetchplan import PlanError, RelationNotLoaded, is_loaded
from fetchplan.observe import no_queries, record_queries


def seed() -> None:
    """Two owners, three pets; Rex has two visits, Tom one, Bella none."""
    ann, bob = Owner.objects.create(name="Ann"), Owner.objects.create(name="Bob")
    rex = Pet.objects.create(name="Rex", species="dog", owner=ann)
    tom = Pet.objects.create(name="Tom", species="cat", owner=bob)
    Pet.objects.create(name="Bella", species="dog", owner=ann)
    Visit.objects.create(pet=rex, day=datetime.date(2024, 3, 2), reason="vaccine")
    Visit.objects.create(pet=rex, day=datetime.date(2024, 1, 5), reason="check-up")
    Visit.objects.create(pet=tom, day=datetime.date(2024, 2, 1), reason="claws")


def correct_plan() -> dict[str, Any]:
    """Fetch the pet cards under a recorder: the DTOs, the query count and call sites."""
    with record_queries() as recorded:
        pets = repos.list_pets()
    not_loaded = "(no error)"
    with no_queries():
        last_seen = [services.last_seen(pet) for pet in pets]
        try:
            pets[0].owner.name  # type: ignore[union-attr]  # noqa: B018  (unnarrowed on purpose: it must raise)
        except RelationNotLoaded as error:
            not_loaded = str(error)
    return {
        "last_seen": last_seen,
        "not_loaded": not_loaded,
        "pets": [pet.model_dump(mode="json") for pet in pets],
        "owner_loaded": [is_loaded(pet.owner) for pet in pets],
        "queries": recorded.count,
        "budget": repos.PET_CARD.budget(),
        "call_sites": [
            [record.call_site.filename, record.call_site.lineno, record.call_site.function]
            for record in recorded.records
        ],
    }


def wrong_plan_in_a_function() -> dict[str, Any]:
    """Fetch with the wrongly typed plan declared inside a function."""
    try:
        dtos = reports.pet_names_as_numbers()
    except PlanError as error:
        return {"raised": type(error).__name__, "message": str(error)}
    return {"returned": [[dto.name, type(dto.name).__name__] for dto in dtos]}


def environment() -> dict[str, Any]:
    """What is installed and imported: the proof of "only Django, pydantic and the wheel"."""
    return {
        "python": list(sys.version_info[:2]),
        "django": django.get_version(),
        "fetchplan_file": fetchplan.__file__,
        "distributions": sorted(
            re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower()  # PEP 503 normalized
            for dist in importlib.metadata.distributions()
        ),
        "django_stubs_ext_imported": "django_stubs_ext" in sys.modules,
    }


if __name__ == "__main__":
    seed()
    print(
        json.dumps(
            {
                "environment": environment(),
                "correct_plan": correct_plan(),
                "wrong_plan_in_a_function": wrong_plan_in_a_function(),
            }
        )
    )
