"""Rules about authors and their books, over DTOs.

``author_name_length`` and ``process_author_books`` are the pitfalls report's functions made
safe (docs/pitfalls.md): given a model instance they could query on any attribute; given a DTO
they cannot.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from fetchplan.dto import NotLoaded

from dtos.authors import AuthorBook, AuthorDetail, AuthorRef
from dtos.books import BookDetail


def author_name_length(author: AuthorRef | AuthorDetail) -> int:
    """Return the number of characters in the author's name.

    Example::

        author_name_length(book.author)  # -> 14
    """
    return len(author.name)


@dataclass(frozen=True)
class AuthorBooksReport:
    """What an author's latest books have in common."""

    author: str
    titles: tuple[str, ...]
    top_tags: tuple[tuple[str, int], ...]
    newest: str | None


def process_author_books(author: AuthorDetail, *, top: int = 3) -> AuthorBooksReport:
    """Return the titles of ``author``'s loaded books, their ``top`` tags and the newest title.

    Books whose tags were not loaded count for no tag.

    Example::

        process_author_books(get_author(7)).top_tags  # -> (("poetry", 4), ("history", 2))
    """
    tags: Counter[str] = Counter()
    for book in author.books:
        if not isinstance(book.tags, NotLoaded):
            tags.update(book.tags)
    newest = max(author.books, key=lambda book: (book.published, book.id), default=None)
    return AuthorBooksReport(
        author=author.name,
        titles=tuple(book.title for book in author.books),
        top_tags=tuple(sorted(tags.items(), key=lambda item: (-item[1], item[0]))[:top]),
        newest=newest.title if newest else None,
    )


def more_by_author(
    book: BookDetail, candidates: Sequence[AuthorBook], *, limit: int = 5
) -> tuple[AuthorBook, ...]:
    """Return up to ``limit`` of ``candidates`` by ``book``'s author, ``book`` itself excluded.

    Example::

        more_by_author(book, list_author_books(author_id=book.author.id, limit=6))
    """
    return tuple(candidate for candidate in candidates if candidate.id != book.id)[:limit]
