"""URL routes of the bookstore."""

from django.apps import apps
from django.urls import URLPattern, URLResolver, include, path

from bookstore import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("", include("bookstore.urls_writes")),
]

if apps.is_installed("debug_toolbar"):  # DEBUG only: see settings.py
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
