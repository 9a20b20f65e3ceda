"""DTOs for publishers: pure data, no Django."""

from fetchplan.dto import DTO


class PublisherRef(DTO):
    """A publisher as other DTOs name it."""

    id: int
    name: str


class PublisherRow(DTO):
    """A publisher with the number of books it published."""

    id: int
    name: str
    country: str
    book_count: int
