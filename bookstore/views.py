"""HTTP views for books: parse input, call repositories and services, render DTOs.

Every page renders inside ``render_without_queries``: templates receive DTOs only, and the
zone proves (in DEBUG and tests) that rendering cannot query.
"""

import csv
from collections.abc import Iterator
from datetime import date

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from fetchplan.observe import render_without_queries

from bookstore import throttle
from bookstore import views_params as params
from bookstore.presentation import (
    SORT_OPTIONS,
    author_choices,
    author_name_on,
    clear_filters_url,
    filter_chips,
    menu_options,
)
from bookstore.services.authors import more_by_author
from bookstore.services.pricing import sale_price
from bookstore.services.ratings import rating_summary
from dtos.books import BookRow
from repos.authors import list_author_books
from repos.books import count_books, get_book, list_books, list_recent_books, stream_books
from repos.publishers import list_publisher_refs
from repos.tags import list_tags

EXPORT_CHUNK_SIZE = 2000
EXPORT_MAX_ROWS = 100_000
EXPORT_TOO_LARGE = (
    "{count} books match; an export holds at most {limit}. Narrow the filters "
    "(a tag, an author, a price range) and export each part."
)
EXPORTS = throttle.Limit(
    scope="export", setting="BOOKSTORE_EXPORTS_PER_MINUTE", window=60, what="exports"
)
CSV_HEADER = (
    "id",
    "title",
    "isbn",
    "price",
    "published",
    "author",
    "publisher",
    "tags",
    "reviews",
    "average_rating",
)


def home(request: HttpRequest) -> HttpResponse:
    """Show the most recently published books (1 query)."""
    books = list_recent_books(limit=12)
    return render_without_queries(request, "bookstore/home.html", {"books": books})


@params.handles_bad_input
def book_list(request: HttpRequest) -> HttpResponse:
    """List books with filters, a sort and keyset pages (5 queries).

    The page of books and their tags, the count, and the tag and publisher menus. The active
    filters show as chips; the filtered author's name comes from the page's own rows.
    """
    filters = params.book_filters(request.GET)
    page = list_books(
        filters=filters, cursor=params.cursor(request.GET), limit=params.page_size(request.GET)
    )
    publishers = list_publisher_refs()
    tags = list_tags()
    author_name = author_name_on(page, filters.author)
    publisher_name = next((p.name for p in publishers if p.id == filters.publisher), None)
    context = {
        "page": page,
        "filters": filters,
        "total": count_books(filters=filters),
        # The menus' options as markup (presentation.menu_options says why not a template loop).
        "tag_options": menu_options(
            ((tag.name, f"{tag.name} ({tag.book_count})") for tag in tags), selected=filters.tag
        ),
        "publisher_options": menu_options(
            ((p.id, p.name) for p in publishers), selected=filters.publisher
        ),
        "author_options": menu_options(
            author_choices(page, active=filters.author), selected=filters.author
        ),
        "sort_options": menu_options(SORT_OPTIONS, selected=filters.sort),
        "chips": filter_chips(
            filters,
            request.GET,
            path=request.path,
            author_name=author_name,
            publisher_name=publisher_name,
        ),
        "clear_url": clear_filters_url(request.GET, path=request.path),
    }
    return render_without_queries(request, "bookstore/book_list.html", context)


@params.handles_bad_input
def book_detail(request: HttpRequest, book_id: int) -> HttpResponse:
    """Show one book: author, publisher, tags, latest reviews, ratings, stock (5 queries)."""
    book = get_book(book_id)
    others = list_author_books(author_id=book.author.id, limit=6)
    context = {
        "book": book,
        "ratings": rating_summary(book),
        "sale_price": sale_price(book, today=date.today()),
        "more": more_by_author(book, others, limit=5),
    }
    return render_without_queries(request, "bookstore/book_detail.html", context)


class _LineBuffer:
    """A file for ``csv.writer`` that keeps only the last line written."""

    line = ""

    def write(self, text: str) -> None:
        """Keep ``text`` (one CSV line)."""
        self.line = text


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): such a
# cell gets a leading apostrophe, which spreadsheets show as text and do not display.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """Return ``text`` as a CSV cell a spreadsheet will not run as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _export_values(row: BookRow) -> tuple[object, ...]:
    return (
        row.id,
        formula_safe(row.title),
        row.isbn,
        row.price,
        row.published.isoformat(),
        formula_safe(row.author_name),
        formula_safe(row.publisher_name or ""),
        formula_safe(";".join(row.tags)),
        row.review_count,
        "" if row.average_rating is None else f"{row.average_rating:.2f}",
    )


def export_lines(rows: Iterator[BookRow]) -> Iterator[str]:
    """Yield the CSV header, then one line per row, as the rows stream in."""
    buffer = _LineBuffer()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    yield buffer.line
    for row in rows:
        writer.writerow(_export_values(row))
        yield buffer.line


@throttle.rate_limited(EXPORTS)
@params.handles_bad_input
def book_export(request: HttpRequest) -> StreamingHttpResponse | HttpResponse:
    """Stream the filtered books as CSV (2 queries + 1 per 2,000 books, constant memory).

    At most ``EXPORT_MAX_ROWS`` books: more is a 400 that says to narrow the filters (counted
    first, so the body is never cut off at the limit). A client may start
    ``BOOKSTORE_EXPORTS_PER_MINUTE`` exports a minute (429 with ``Retry-After`` beyond).
    """
    filters = params.book_filters(request.GET)
    matching = count_books(filters=filters)
    if matching > EXPORT_MAX_ROWS:
        message = EXPORT_TOO_LARGE.format(count=matching, limit=EXPORT_MAX_ROWS)
        return params.error_page(request, status=400, message=message)
    rows = stream_books(filters=filters, chunk_size=EXPORT_CHUNK_SIZE)
    response = StreamingHttpResponse(export_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="books.csv"'
    return response
