"""The clinic's business rules: plain functions over DTOs, which cannot run a query."""

from clinic.dtos import PetCard


def last_seen(pet: PetCard) -> str:
    """Return when ``pet`` was last seen: "Rex: last seen 2024-03-02 (vaccine)"."""
    if not pet.visits:
        return f"{pet.name}: no visit yet"
    last = pet.visits[-1]
    return f"{pet.name}: last seen {last.day.isoformat()} ({last.reason})"
