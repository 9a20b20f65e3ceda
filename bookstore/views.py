"""HTTP views: parse input, call repositories, render DTOs."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from repos.books import list_recent_books


def home(request: HttpRequest) -> HttpResponse:
    """Show the most recently published books."""
    return render(request, "bookstore/home.html", {"books": list_recent_books(limit=12)})
