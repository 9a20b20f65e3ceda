"""DTOs for tags: pure data, no Django."""

from fetchplan.dto import DTO


class TagRow(DTO):
    """A tag with the number of books that carry it."""

    id: int
    name: str
    book_count: int
