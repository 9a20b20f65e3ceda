"""Views for the middleware tests: one runs an N+1 loop, one is async."""

from django.db.models import FETCH_ONE
from django.http import HttpRequest, HttpResponse
from django.urls import path

from bookstore.models import Author, Book


def authors_of_books(request: HttpRequest) -> HttpResponse:
    """List each book's author the slow way: one query per book."""
    names = [book.author.name for book in Book.objects.all().fetch_mode(FETCH_ONE)]
    return HttpResponse(", ".join(names))


async def count_authors(request: HttpRequest) -> HttpResponse:
    """Count authors from async code."""
    return HttpResponse(str(await Author.objects.acount()))


urlpatterns = [
    path("authors-of-books/", authors_of_books),
    path("async-count/", count_authors),
]
