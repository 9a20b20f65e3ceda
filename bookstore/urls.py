"""URL routes of the bookstore: HTML pages, the CSV export and the JSON API at /api/.

``handler404`` and ``handler500`` render the site's own error page (when DEBUG is off).
"""

from django.apps import apps
from django.urls import URLPattern, URLResolver, include, path

from bookstore import views, views_catalog, views_site
from bookstore.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("favicon.ico", views_site.favicon, name="favicon"),
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

handler404 = "bookstore.views_site.page_not_found"
handler500 = "bookstore.views_site.server_error"

if apps.is_installed("debug_toolbar"):  # DEBUG only: see settings.py
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
