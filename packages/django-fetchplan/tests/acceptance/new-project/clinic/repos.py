"""The clinic's repository functions and their plans (autodiscovered as ``clinic.repos``)."""

from fetchplan import Many, Plan, fetch_all

from clinic.dtos import PetCard, VisitLine
from clinic.models import Pet, Visit

VISIT_LINE = Plan(Visit, VisitLine)
PET_CARD = Plan(
    Pet,
    PetCard,
    fields={"owner_name": "owner__name"},  # a path through a to-one relation
    relations={"visits": Many(VISIT_LINE, order_by=("day",))},  # one more query
    name="pet card",
)  # `owner` is not loaded: every PetCard holds NotLoaded there


def list_pets() -> list[PetCard]:
    """Return every pet with its visits, by name. 2 queries, whatever the number of pets."""
    return fetch_all(PET_CARD, Pet.objects.order_by("name"))
