"""Reads of authors: the paged list with book counts, and one author with their latest books.

The author page is the pitfalls report's "flip the query" case: one author row, then their 10 latest
books, then those books' tags (3 queries), instead of 10 book rows each joined to a copy of
the same author.
"""

from django.db.models import Count, QuerySet
from fetchplan import Load, Many, Plan, acount, afetch_all, afetch_one, count, fetch_all, fetch_one
from fetchplan.observe import query_budget

from bookstore.models import Author, Book
from dtos.authors import AuthorBook, AuthorBooks, AuthorDetail, AuthorPage, AuthorRef, AuthorRow

AUTHORS_PER_PAGE = 50
LATEST_BOOKS = 10

AUTHOR_REF = Plan(Author, AuthorRef)
AUTHOR_ROW = Plan(Author, AuthorRow, fields={"book_count": Count("books")})
AUTHOR_BOOK = Plan(Book, AuthorBook, relations={"tags": Load(scalar="name", order_by=("name",))})
AUTHOR_DETAIL = Plan(
    Author,
    AuthorDetail,
    fields={"book_count": Count("books")},
    relations={"books": Many(AUTHOR_BOOK, order_by=("-published", "-id"), limit=LATEST_BOOKS)},
)

# Books without their tags (AuthorBook.tags is NotLoaded): the pitfalls report compares this
# with select_related, which loads no tags either.
AUTHOR_BOOK_BARE = Plan(Book, AuthorBook, name="AuthorBook from Book (no tags)")
AUTHOR_BOOKS = Plan(Author, AuthorBooks, relations={"books": Load(order_by=("id",))})


class PageOutOfRange(LookupError):
    """A page number past the last page; the HTTP edge maps it to a 404."""


@query_budget(1 + AUTHOR_ROW.budget())
def list_authors(*, page: int = 1, per_page: int = AUTHORS_PER_PAGE) -> AuthorPage:
    """Return page ``page`` (from 1) of authors by name, with their book counts and the total.

    2 queries (the count, the page). Raises ``PageOutOfRange`` past the last page (page 1 of
    no authors is an empty page).

    Example::

        first = list_authors(page=1, per_page=50)
        first.items[0].name, first.pages
    """
    total = count(Author.objects.all())
    pages = _pages(total, page, per_page)
    rows = fetch_all(AUTHOR_ROW, _author_page(page, per_page))
    return AuthorPage(items=tuple(rows), page=page, pages=pages, total=total)


@query_budget(1 + AUTHOR_ROW.budget())
async def alist_authors(*, page: int = 1, per_page: int = AUTHORS_PER_PAGE) -> AuthorPage:
    """Async ``list_authors``: the same page, the same 2 queries. Raises ``PageOutOfRange``.

    Example::

        first = await alist_authors(page=1)
    """
    total = await acount(Author.objects.all())
    pages = _pages(total, page, per_page)
    rows = await afetch_all(AUTHOR_ROW, _author_page(page, per_page))
    return AuthorPage(items=tuple(rows), page=page, pages=pages, total=total)


def _pages(total: int, page: int, per_page: int) -> int:
    """Return the number of pages of ``total`` authors; raise ``PageOutOfRange`` past it."""
    pages = max(1, -(-total // per_page))
    if page > pages:
        raise PageOutOfRange(f"Page {page} is past the last page ({pages}).")
    return pages


def _author_page(page: int, per_page: int) -> QuerySet[Author]:
    start = (page - 1) * per_page
    return Author.objects.order_by("name", "id")[start : start + per_page]


@query_budget(1)
def count_authors() -> int:
    """Return the number of authors (1 query).

    Example::

        count_authors()  # -> 1000
    """
    return count(Author.objects.all())


@query_budget(AUTHOR_DETAIL)
def get_author(author_id: int) -> AuthorDetail:
    """Return author ``author_id`` with their book count and 10 latest books, each with tags.

    3 queries (author; books; tags), whatever the number of books. Raises ``NotFound``.

    Example::

        author = get_author(7)
        [(book.title, book.tags) for book in author.books]
    """
    return fetch_one(AUTHOR_DETAIL, Author.objects.all(), pk=author_id)


@query_budget(AUTHOR_DETAIL)
async def aget_author(author_id: int) -> AuthorDetail:
    """Async ``get_author``: the same DTO, the same 3 queries. Raises ``NotFound``.

    Example::

        author = await aget_author(7)
    """
    return await afetch_one(AUTHOR_DETAIL, Author.objects.all(), pk=author_id)


@query_budget(AUTHOR_BOOK)
def list_author_books(*, author_id: int, limit: int = 6) -> list[AuthorBook]:
    """Return the ``limit`` latest books of author ``author_id``, each with its tags.

    2 queries (books; tags). Returns an empty list for an unknown author.

    Example::

        list_author_books(author_id=7, limit=4)
    """
    books = Book.objects.filter(author_id=author_id).order_by("-published", "-id")[:limit]
    return fetch_all(AUTHOR_BOOK, books)


@query_budget(AUTHOR_BOOKS)
def get_author_books(author_id: int) -> AuthorBooks:
    """Return author ``author_id`` with all their books (tags not loaded): 2 queries.

    One author DTO holds the books: the flipped query, not one joined author per book row.
    Raises ``NotFound``.

    Example::

        len(get_author_books(7).books)
    """
    return fetch_one(AUTHOR_BOOKS, Author.objects.all(), pk=author_id)
