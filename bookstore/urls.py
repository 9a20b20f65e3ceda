"""URL routes of the bookstore: HTML pages, the CSV export and the JSON API at /api/."""

from django.apps import apps
from django.urls import URLPattern, URLResolver, include, path

from bookstore import views, views_catalog
from bookstore.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("books/", views.book_list, name="book-list"),
    path("books/export.csv", views.book_export, name="book-export"),
    path("books/<int:book_id>/", views.book_detail, name="book-detail"),
    path("authors/", views_catalog.author_list, name="author-list"),
    path("authors/<int:author_id>/", views_catalog.author_detail, name="author-detail"),
    path("publishers/", views_catalog.publisher_list, name="publisher-list"),
    path("tags/<str:name>/", views_catalog.tag_detail, name="tag-detail"),
    path("api/", api.urls),
    path("", include("bookstore.urls_writes")),
]

if apps.is_installed("debug_toolbar"):  # DEBUG only: see settings.py
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
