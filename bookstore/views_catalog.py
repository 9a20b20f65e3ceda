"""HTTP views for authors, publishers and tags."""

from django.http import HttpRequest, HttpResponse
from fetchplan.observe import render_without_queries

from bookstore import views_params as params
from bookstore.presentation import SORT_OPTIONS
from bookstore.services.authors import process_author_books
from repos.authors import get_author, list_authors
from repos.books import list_books
from repos.publishers import list_publishers
from repos.tags import get_tag


@params.handles_bad_input
def author_list(request: HttpRequest) -> HttpResponse:
    """List authors by name, 50 a page, with their book counts (2 queries)."""
    page = list_authors(page=params.author_page(request.GET))
    return render_without_queries(request, "bookstore/author_list.html", {"page": page})


@params.handles_bad_input
def author_detail(request: HttpRequest, author_id: int) -> HttpResponse:
    """Show an author with their 10 latest books and those books' tags (3 queries)."""
    author = get_author(author_id)
    context = {"author": author, "report": process_author_books(author)}
    return render_without_queries(request, "bookstore/author_detail.html", context)


def publisher_list(request: HttpRequest) -> HttpResponse:
    """List publishers with their book counts (1 query)."""
    context = {"publishers": list_publishers()}
    return render_without_queries(request, "bookstore/publisher_list.html", context)


@params.handles_bad_input
def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    """List the books of tag ``name`` with the book list's sort and pages (3 queries)."""
    filters = params.book_filters(request.GET, tag=name)  # validates the name before the query
    tag = get_tag(name)
    page = list_books(
        filters=filters, cursor=params.cursor(request.GET), limit=params.page_size(request.GET)
    )
    context = {
        "tag": tag,
        "page": page,
        "filters": filters,
        "sorts": SORT_OPTIONS,
    }
    return render_without_queries(request, "bookstore/tag_detail.html", context)
