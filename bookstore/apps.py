"""App configuration for the bookstore."""

from django.apps import AppConfig


class BookstoreConfig(AppConfig):
    """The bookstore application: models, views, seeding."""

    name = "bookstore"
    default_auto_field = "django.db.models.BigAutoField"
