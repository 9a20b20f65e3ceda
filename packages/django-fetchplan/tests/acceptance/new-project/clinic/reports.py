"""A report whose plan is declared inside a function, where no system check sees it."""

from fetchplan import Plan, fetch_all

from clinic.dtos import WrongPetCard
from clinic.models import Pet


def pet_names_as_numbers() -> list[WrongPetCard]:
    """Fetch with a wrongly typed plan (``name: int`` over a CharField)."""
    plan = Plan(Pet, WrongPetCard, name="wrong pet card (in a function)")  # type: ignore[plan-type]
    return fetch_all(plan, Pet.objects.order_by("name"))
