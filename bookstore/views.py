"""HTTP views: parse input, call repositories, render DTOs."""

from django.http import HttpRequest, HttpResponse

from repos.books import list_recent_books
from repos.observe import render_without_queries


def home(request: HttpRequest) -> HttpResponse:
    """Show the most recently published books."""
    books = list_recent_books(limit=12)
    return render_without_queries(request, "bookstore/home.html", {"books": books})
