"""The clinic's DTOs: pydantic and the library's DTO base, no Django."""

from datetime import date

from fetchplan import DTO, NotLoaded


class OwnerRef(DTO):
    id: int
    name: str


class VisitLine(DTO):
    day: date
    reason: str


class PetCard(DTO):
    id: int
    name: str
    species: str
    owner_name: str
    owner: OwnerRef | NotLoaded  # the card's plan leaves it out
    visits: tuple[VisitLine, ...]


class WrongPetCard(DTO):
    id: int
    name: int  # wrong on purpose: Pet.name is a CharField
